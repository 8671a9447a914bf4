/**
 * What `xv show` and `xv diff` say of a tag's results (issue 10): small numbers print readably (D7:
 * lr 1e-05 is 0.00001, never 0.0000) in the results table, the metrics table and the row examples;
 * `--json` numbers carry no float noise (D9: the mean of ten 0.81 is 0.81); `show` prints the
 * summary frozen at the tag (best run, runs, its metrics and params, means labelled as means).
 * Rows written by the real xetrack Tracker, tags by xv.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeRepo, python, xv, type TestRepo} from '../helpers/repo.js'

let repo: TestRepo

function track(version: string, n: number, values: Record<string, number>): void {
  python(repo.root, `
from xetrack import Tracker
for _ in range(${n}):
    Tracker(db='results/experiments.db', table='metrics', params={'version': ${JSON.stringify(version)}}).log(${JSON.stringify(values)})
`)
}

beforeAll(async () => {
  repo = makeRepo({xvYaml: 'metrics: [f1]\nartifacts: [results/experiments.db]\n', dvcRemote: false, gitRemote: false})
  track('e0.1.0', 10, {lr: 1e-5, f1: 0.81, acc: 0.81})
  expect((await xv(repo.root, ['tag', 'e0.1.0', '--no-push', '-m', 'base'])).exitCode).toBe(0)
  track('e0.2.0', 3, {lr: 2e-5, f1: 0.81, acc: 0.7})
  expect((await xv(repo.root, ['tag', 'e0.2.0', '--no-push', '-m', 'next'])).exitCode).toBe(0)
})
afterAll(() => repo.cleanup())

describe('show and diff: numbers and the frozen summary', () => {
  it('show prints lr 1e-05 as 0.00001 in the results table', async () => {
    const show = await xv(repo.root, ['show', 'e0.1.0'])
    expect(show.exitCode, show.stderr).toBe(0)
    const results = show.stdout.slice(show.stdout.indexOf('results ('))
    expect(results).toMatch(/e0\.1\.0 +0\.00001 +0\.8100 +0\.8100/)
    expect(results).not.toContain('0.0000 ')
  })

  it('show prints the summary frozen at the tag, means labelled; --json carries it', async () => {
    const show = await xv(repo.root, ['show', 'e0.2.0'])
    expect(show.stdout).toMatch(/summary \(frozen at the tag\)\nruns +3 \(3 rows of metrics\)\nbest run +\S+ +f1=0\.8100 \(higher is better\)\nits metrics +f1=0\.8100 +acc=0\.7000\nits params +lr=0\.00002\nmean over the rows +f1=0\.8100 +acc=0\.7000\n/)
    const json = JSON.parse((await xv(repo.root, ['show', 'e0.1.0', '--json'])).stdout) as {summary: Record<string, unknown>}
    expect(json.summary).toMatchObject({version: 'e0.1.0', runs: 10, rows: 10, metrics: {f1: 0.81, acc: 0.81}, means: {f1: 0.81, acc: 0.81}, params: {lr: 0.00001}})
  })

  it('diff: the metrics table, the deltas and the row examples stay readable; JSON means and deltas are sane', async () => {
    const text = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', '--rows', '--table', 'metrics'])
    expect(text.exitCode, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/lr +0\.00001 +0\.00002 +\+0\.00001 +\+100%/)
    expect(text.stdout).toMatch(/\+ .*lr=0\.00002, f1=0\.8100, acc=0\.7000/)
    expect(text.stdout).not.toMatch(/0\.0000(?!\d)/)

    const json = JSON.parse((await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', '--json'])).stdout) as {values: Array<{name: string; a: number; b: number; delta: number; pct: number}>}
    const acc = json.values.find((v) => v.name === 'acc')
    expect(acc).toMatchObject({a: 0.81, b: 0.7, delta: -0.11})
    expect(String(acc?.pct)).toMatch(/^-13\.58024691\d{0,4}$/) // 12 significant digits at most
    expect(json.values.find((v) => v.name === 'lr')).toMatchObject({a: 0.00001, b: 0.00002, delta: 0.00001, pct: 100})
  })

  it('diff: a param that varies within a version (a sweep) is its range, never a mean', async () => {
    track('e0.3.0', 1, {lr: 0.001, f1: 0.7, acc: 0.7})
    track('e0.3.0', 1, {lr: 0.01, f1: 0.9, acc: 0.9})
    expect((await xv(repo.root, ['tag', 'e0.3.0', '--no-push', '-m', 'sweep'])).exitCode).toBe(0)
    for (const extra of [[], ['--rows', '--table', 'metrics']]) {
      const json = JSON.parse((await xv(repo.root, ['diff', 'e0.2.0', 'e0.3.0', ...extra, '--json'])).stdout) as {values: Array<Record<string, unknown>>}
      expect(json.values.find((v) => v.name === 'lr')).toEqual({name: 'lr', kind: 'param', a: 0.00002, b: '0.001…0.01 (varies)', changed: true})
      expect(json.values.find((v) => v.name === 'f1')).toMatchObject({kind: 'metric', a: 0.81, b: 0.8}) // metric means stay, labelled
    }

    const text = await xv(repo.root, ['diff', 'e0.2.0', 'e0.3.0'])
    expect(text.stdout).toContain("metrics: mean over the version's rows; a param that varies: its range")
    expect(text.stdout).toMatch(/lr +0\.00002 +0\.001…0\.01 \(varies\)\n/)
  })
})
