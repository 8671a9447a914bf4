import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeRepo, repoState, xv, type TestRepo} from '../helpers/repo.js'
import {stepRows, tagVersions, writeStepDbDuck, writeStepDbSqlite} from '../helpers/results-fixtures.js'

let repo: TestRepo
beforeAll(() => {
  repo = makeRepo({dvc: false, gitRemote: false, xvYaml: 'artifacts: []\nmetrics: [f1, {name: loss, direction: lower}]\n'})
  tagVersions(repo, [
    {version: 'e0.1.0', metrics: {f1: 0.61, loss: 0.9}, messageOnly: true, date: '2026-01-01T10:00:00Z'},
    {version: 'e0.2.0', metrics: {f1: 0.72, loss: 0.7}, params: {model: 'cnn'}, date: '2026-01-02T10:00:00Z'},
    {version: 'e0.10.0', metrics: {f1: 0.83, loss: 0.5}, params: {model: 'bert'}, date: '2026-01-03T10:00:00Z'},
    {version: 'e0.3.0', metrics: {f1: 0.91, loss: 0.6}, params: {model: 'cnn'}, date: '2026-01-04T10:00:00Z'},
  ])
})
afterAll(() => repo.cleanup())

describe('xv plot', () => {
  it('reads the frozen summaries (tag fields for older tags), in semver order, and marks the best version', async () => {
    const res = await xv(repo.root, ['plot', 'f1', 'loss', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    const out = JSON.parse(res.stdout)
    expect(out.versions).toEqual(['e0.1.0', 'e0.2.0', 'e0.3.0', 'e0.10.0'])
    const [f1, loss] = out.series
    expect(f1.points.map((p: {value: number}) => p.value)).toEqual([0.61, 0.72, 0.91, 0.83])
    expect(f1.best).toEqual({version: 'e0.3.0', value: 0.91})
    expect(loss.direction).toBe('lower')
    expect(loss.best).toEqual({version: 'e0.10.0', value: 0.5})
  })

  it('draws a text chart as wide as asked, with the best version marked and the range respected', async () => {
    const res = await xv(repo.root, ['plot', 'f1', '--width', '60'])
    expect(res.exitCode, res.stderr).toBe(0)
    const lines = res.stdout.split('\n')
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60)
    expect(res.stdout).toMatch(/▲ best e0\.3\.0/)
    expect(res.stdout).toContain('best e0.3.0 = 0.9100 (higher is better, 4 versions)')
    expect(res.stdout).toMatch(/[╭╮╯╰─]/)

    const coloured = await xv(repo.root, ['plot', 'f1', 'loss', '--width', '70'], {FORCE_COLOR: '1', NO_COLOR: ''})
    expect(coloured.stdout).toContain('\u001B[36m') // cyan for the first series
    expect(coloured.stdout).toContain('\u001B[35m') // magenta for the second

    const ranged = JSON.parse((await xv(repo.root, ['plot', 'f1', '--versions', 'e0.2.0..e0.3.0', '--json'])).stdout)
    expect(ranged.versions).toEqual(['e0.2.0', 'e0.3.0'])
    const byDate = JSON.parse((await xv(repo.root, ['plot', 'f1', '--by', 'date', '--json'])).stdout)
    expect(byDate.versions).toEqual(['e0.1.0', 'e0.2.0', 'e0.10.0', 'e0.3.0'])
  })

  it('writes an SVG or a self-contained HTML page with -o, and never replaces a file it did not write', async () => {
    const svg = await xv(repo.root, ['plot', 'f1', '-o', 'f1.svg'])
    expect(svg.exitCode, svg.stderr).toBe(0)
    const text = readFileSync(join(repo.root, 'f1.svg'), 'utf8')
    expect(text).toMatch(/<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(text).toContain('best e0.3.0')
    expect(text).toMatch(/<path[^>]+d="M/)
    const again = await xv(repo.root, ['plot', 'f1', 'loss', '-o', 'f1.svg'])
    expect(again.exitCode, again.stderr).toBe(0)

    const html = await xv(repo.root, ['plot', 'f1', '-o', 'f1.html'])
    expect(html.exitCode).toBe(0)
    const page = readFileSync(join(repo.root, 'f1.html'), 'utf8')
    expect(page).toMatch(/^<!doctype html>/)
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/)

    writeFileSync(join(repo.root, 'mine.svg'), '<svg/>')
    const refused = await xv(repo.root, ['plot', 'f1', '-o', 'mine.svg'])
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr.trim()).toBe('xv: error: mine.svg exists and was not written by xv; choose another name or pass --force to replace it')
    expect(readFileSync(join(repo.root, 'mine.svg'), 'utf8')).toBe('<svg/>')
  })

  it('bad input: one line, non-zero exit, nothing changed', async () => {
    const before = repoState(repo)
    const cases: Array<[string[], RegExp]> = [
      [['plot', 'bleu'], /^xv: error: no version has a metric 'bleu'; metrics: f1, loss/],
      [['plot', 'f1', '--versions', 'e0.2..e0.3.0'], /^xv: error: not a version: "e0.2"/],
      [['plot', 'f1', '-o', 'chart.png'], /^xv: error: cannot write 'chart.png': the file name must end in .svg or .html/],
      [['plot', 'f1', '-o', 'no/such/dir/f.svg'], /^xv: error: cannot write no\/such\/dir\/f.svg: folder no\/such\/dir does not exist/],
      [['plot', 'loss', '--run', '1'], /^xv: error: result database results\/experiments.db does not exist/],
    ]
    for (const [args, message] of cases) {
      const res = await xv(repo.root, args)
      expect(res.exitCode, args.join(' ')).not.toBe(0)
      expect(res.stderr.trim().split('\n')).toHaveLength(1)
      expect(res.stderr.trim()).toMatch(message)
    }
    expect(existsSync(join(repo.root, 'chart.png'))).toBe(false)
    expect(repoState(repo)).toBe(before)
  })
})

describe('xv plot --run (step/epoch rows)', () => {
  for (const kind of ['sqlite', 'duckdb'] as const) {
    it(`draws one run's curves from a ${kind} database in seed 004's shape`, async () => {
      const r = makeRepo({dvc: false, gitRemote: false, xvYaml: `db: results/experiments.${kind === 'duckdb' ? 'duckdb' : 'db'}\nartifacts: []\n`})
      try {
        const path = join(r.root, 'results', `experiments.${kind === 'duckdb' ? 'duckdb' : 'db'}`)
        if (kind === 'duckdb') await writeStepDbDuck(path, stepRows([1, 2], 20))
        else writeStepDbSqlite(path, stepRows([1, 2], 20))
        const res = await xv(r.root, ['plot', 'loss', 'accuracy', '--run', '2', '--json'])
        expect(res.exitCode, res.stderr).toBe(0)
        const out = JSON.parse(res.stdout)
        expect(out.run.table).toBe('metrics')
        expect(out.run.x).toBe('step')
        const [loss, acc] = out.run.curves
        expect(loss.points).toHaveLength(20)
        expect(loss.points[0]).toEqual({x: 0, value: 2.05})
        expect(acc.points[19].value).toBeCloseTo(1 - 0.5 * Math.exp(-19 / 4))
        const human = await xv(r.root, ['plot', 'loss', '--run', '2', '--width', '70'])
        expect(human.stdout).toContain('run 2 · metrics · x = step')
        expect(human.stdout).toMatch(/step 0 +step 19/)
        const missing = await xv(r.root, ['plot', 'loss', '--run', '7'])
        expect(missing.exitCode).toBe(1)
        expect(missing.stderr.trim()).toBe(`xv: error: no run '7' in table 'metrics' of results/experiments.${kind === 'duckdb' ? 'duckdb' : 'db'}; runs: 1, 2`)
      } finally {
        r.cleanup()
      }
    })
  }
})
