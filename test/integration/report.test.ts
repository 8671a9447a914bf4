import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {PROJECT_ROOT, makeRepo, repoState, xv, type TestRepo} from '../helpers/repo.js'
import {tagVersions} from '../helpers/results-fixtures.js'

let repo: TestRepo
beforeAll(() => {
  repo = makeRepo({gitRemote: false, xvYaml: 'artifacts: []\nmetrics: [f1, {name: loss, direction: lower}]\n'})
  repo.write('data/train.csv', 'x,y\n1,2\n3,4\n')
  repo.write('prepare.py', 'import shutil\nshutil.copy("data/train.csv", "features.csv")\n')
  repo.dvc('add', '-q', 'data')
  repo.dvc('stage', 'add', '-q', '-n', 'prepare', '-d', 'prepare.py', '-d', 'data', '-o', 'features.csv', 'python3 prepare.py')
  repo.dvc('repro', '-q')
  repo.git('add', '-A')
  repo.git('commit', '-q', '-m', 'pipeline')
  tagVersions(repo, [
    {version: 'e0.1.0', metrics: {f1: 0.61, loss: 0.9}, messageOnly: true, description: 'baseline <b>bold</b>'},
    {version: 'e0.2.0', metrics: {f1: 0.72, loss: 0.7}, params: {model: 'cnn', lr: 0.01}},
    {version: 'e0.3.0', metrics: {f1: 0.91, loss: 0.6}, params: {model: 'bert', lr: 0.001}},
  ])
})
afterAll(() => repo.cleanup())

describe('xv report', () => {
  it('writes one self-contained HTML page that a real browser shows offline: SVG charts, sortable leaderboard, no errors', async () => {
    const res = await xv(repo.root, ['report', '-o', 'report.html', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    const out = JSON.parse(res.stdout)
    expect(out.charts).toEqual(['f1', 'loss'])
    expect(out.diff).toEqual(['e0.2.0', 'e0.3.0'])
    const file = join(repo.root, 'report.html')
    const html = readFileSync(file, 'utf8')
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(/)
    expect(html.replaceAll('http://www.w3.org/', '')).not.toMatch(/https?:\/\//)
    expect(html).toContain('baseline &lt;b&gt;bold&lt;/b&gt;') // descriptions are text, never markup
    // artifacts of the newest version with their DVC hashes, and the pipeline stage that made features.csv
    const dataMd5 = /md5: (\S+)/.exec(readFileSync(join(repo.root, 'data.dvc'), 'utf8'))![1]!
    expect(html).toContain(dataMd5)
    expect(html).toMatch(/<td>prepare<\/td><td><code>python3 prepare.py<\/code>/)

    const shot = join(repo.base, 'report.png')
    const browser = JSON.parse(execFileSync('node', [join(PROJECT_ROOT, 'scripts', 'shoot-report.mjs'), file, shot], {encoding: 'utf8'}))
    expect(browser.errors).toEqual([])
    expect(browser.requests).toEqual([])
    expect(browser.svgs).toBe(2)
    expect(browser.marks).toBeGreaterThan(30)
    expect(browser.sorted).toEqual({before: 'e0.3.0', after: 'e0.1.0'})
    expect(statSync(shot).size).toBeGreaterThan(20_000)
  })

  it('writes the same as Markdown for a PR comment, with a chosen diff', async () => {
    const res = await xv(repo.root, ['report', '--md', '--diff', 'e0.1.0,e0.3.0'])
    expect(res.exitCode, res.stderr).toBe(0)
    const md = res.stdout
    expect(md).toContain('## Leaderboard')
    expect(md).toMatch(/\| e0\.3\.0 \| [^|]+ \| [0-9a-f]{7} \| 1 \| \*\*0\.9100\*\* \| \*\*0\.6000\*\* \| bert \| 0\.001 \|/)
    expect(md).toMatch(/\| e0\.1\.0 \| .*\| 0\.6100 \| 0\.9000 \|/)
    expect(md).toContain('## Diff: xv diff e0.1.0 → e0.3.0')
    expect(md).toMatch(/\| f1 \| 0\.6100 \| 0\.9100 \| \+0\.3000 ▲ \| \+49\.2% \|/)
    expect(md).toContain('## Artifacts at e0.3.0')
    expect(md).toMatch(/```\n +0\.9100 ┤/)
    const written = await xv(repo.root, ['report', '--md', '-o', 'report.md'])
    expect(written.exitCode).toBe(0)
    expect(readFileSync(join(repo.root, 'report.md'), 'utf8')).toContain('## Leaderboard')
  })

  it('bad input: one line, non-zero exit, nothing changed', async () => {
    const before = repoState(repo)
    const cases: Array<[string[], RegExp]> = [
      [['report', '--diff', 'e0.1.0'], /^xv: error: --diff takes two versions, A,B; got 'e0.1.0'/],
      [['report', '--diff', 'e0.1.0,e0.9.0'], /e0\.9\.0/],
      [['report', '-o', 'report.txt'], /^xv: error: cannot write 'report.txt': the file name must end in .html/],
      [['report', '--metrics', 'bleu'], /^xv: error: no version has a metric 'bleu'; metrics: f1, loss/],
    ]
    for (const [args, message] of cases) {
      const res = await xv(repo.root, args)
      expect(res.exitCode, args.join(' ')).not.toBe(0)
      expect(res.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(res.stderr.trim()).toMatch(message)
    }
    expect(existsSync(join(repo.root, 'report.txt'))).toBe(false)
    expect(repoState(repo)).toBe(before)
  })
})
