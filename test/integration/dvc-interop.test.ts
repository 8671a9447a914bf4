import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeRepo, xv, type TestRepo} from '../helpers/repo.js'
import {tagVersions} from '../helpers/results-fixtures.js'

let repo: TestRepo
const EXISTING = `# my pipeline
stages:
  train:
    cmd: python train.py  # trains
    outs:
      - model.bin
`

beforeAll(async () => {
  repo = makeRepo({gitRemote: false, xvYaml: 'artifacts: []\nmetrics: [f1, {name: loss, direction: lower}]\n'})
  repo.write('dvc.yaml', EXISTING)
  repo.git('add', 'dvc.yaml')
  repo.git('commit', '-q', '-m', 'pipeline')
  const init = await xv(repo.root, ['init', '--json'])
  if (init.exitCode !== 0) throw new Error(init.stderr)
  repo.git('add', '-A')
  repo.git('commit', '-q', '-m', 'xv init')
  tagVersions(repo, [
    {version: 'e0.1.0', metrics: {f1: 0.61, loss: 0.9}, params: {model: 'cnn', lr: 0.01}},
    {version: 'e0.2.0', metrics: {f1: 0.72, loss: 0.7}, params: {model: 'cnn', lr: 0.001}},
    {version: 'e0.3.0', metrics: {f1: 0.91, loss: 0.6}, params: {model: 'bert', lr: 0.001}},
  ])
})
afterAll(() => repo.cleanup())

describe('DVC reads the frozen summaries', () => {
  it('xv init declares them in an existing dvc.yaml, keeping its stages and comments, once', async () => {
    const text = readFileSync(join(repo.root, 'dvc.yaml'), 'utf8')
    expect(text).toMatch(/^# my pipeline\nstages:\n {2}train:\n {4}cmd: python train.py +# trains\n {4}outs:\n {6}- model.bin\n/)
    expect(text).toContain('metrics:\n  - results/metrics.json')
    expect(text).toContain('params:\n  - results/params.yaml')
    expect(text).toContain('plots:\n  - xv-f1:\n      template: bar_horizontal\n      x:\n        results/metrics.json: f1\n      y:\n        results/metrics.json: version')
    expect(text).toContain('  - xv-loss:\n')
    const again = await xv(repo.root, ['init', '--json'])
    expect(again.exitCode, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout).unchanged).toContain('dvc.yaml metrics/params/plots')
    expect(readFileSync(join(repo.root, 'dvc.yaml'), 'utf8')).toBe(text)
  })

  it('dvc metrics diff, dvc params diff, dvc exp show and dvc plots diff see every tag', () => {
    const metrics = JSON.parse(repo.dvc('metrics', 'diff', 'e0.1.0', 'e0.2.0', '--json'))
    expect(metrics['results/metrics.json']['metrics.f1']).toEqual({old: 0.61, new: 0.72, diff: expect.closeTo(0.11, 9)})
    expect(metrics['results/metrics.json']['metrics.loss'].new).toBe(0.7)

    const params = JSON.parse(repo.dvc('params', 'diff', 'e0.2.0', 'e0.3.0', '--json'))
    expect(params['results/params.yaml'].model).toEqual({old: 'cnn', new: 'bert'})

    const md = repo.dvc('metrics', 'diff', 'e0.1.0', 'e0.3.0', '--md')
    expect(md).toMatch(/\| results\/metrics.json\s+\| metrics.f1\s+\| 0.61\s+\| 0.91\s+\| 0.3/)

    const exp = JSON.parse(repo.dvc('exp', 'show', '--json'))
    const head = exp.find((e: {rev: string}) => e.rev === 'workspace')
    expect(head.data.metrics['results/metrics.json'].data.metrics).toEqual({f1: 0.91, loss: 0.6})
    expect(head.data.params['results/params.yaml'].data).toEqual({model: 'bert', lr: 0.001})

    const plots = JSON.parse(repo.dvc('plots', 'diff', 'e0.1.0', 'e0.2.0', 'e0.3.0', '--json'))
    expect(plots.errors ?? []).toEqual([])
    const f1 = plots.data['xv-f1'][0].content
    expect(f1.mark.type).toBe('bar')
    expect(f1.data.values.map((p: {version: string; f1: number}) => [p.version, p.f1])).toEqual([['e0.1.0', 0.61], ['e0.2.0', 0.72], ['e0.3.0', 0.91]])
    expect(plots.data['xv-loss'][0].content.data.values).toHaveLength(3)
  })
})
