/**
 * `xv diff` reads a row-per-metric table (`metric_name, value, step, epoch`, as in seed 004)
 * through the one pivoting reader, as tag, list, best and plot do: its metric names are compared
 * as metrics (means, labelled), never its ids; the same with --rows (summaries in a worker thread).
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeRepo, python, xv, type TestRepo} from '../helpers/repo.js'

let repo: TestRepo

function insert(version: string, rows: Array<[run: number, name: string, value: number, epoch: number]>): void {
  python(repo.root, `
import sqlite3, os
os.makedirs('results', exist_ok=True)
db = sqlite3.connect('results/experiments.db')
db.execute('CREATE TABLE IF NOT EXISTS metrics (metric_id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER, version TEXT, metric_name TEXT, value REAL, step INTEGER, epoch INTEGER, timestamp TEXT DEFAULT CURRENT_TIMESTAMP)')
db.executemany("INSERT INTO metrics (run_id, version, metric_name, value, epoch) VALUES (?, '${version}', ?, ?, ?)", ${JSON.stringify(rows)})
db.commit()
`)
}

beforeAll(async () => {
  repo = makeRepo({xvYaml: 'artifacts: []\n', dvc: false, gitRemote: false})
  insert('e0.1.0', [[1, 'val/loss', 0.5, 0], [1, 'val/accuracy', 0.7, 0], [1, 'val/loss', 0.4, 1], [1, 'val/accuracy', 0.8, 1]])
  expect((await xv(repo.root, ['tag', 'e0.1.0', '--no-push', '-m', 'a'])).exitCode).toBe(0)
  insert('e0.2.0', [[2, 'val/loss', 0.3, 0], [2, 'val/accuracy', 0.9, 0]])
  expect((await xv(repo.root, ['tag', 'e0.2.0', '--no-push', '-m', 'b'])).exitCode).toBe(0)
})
afterAll(() => repo.cleanup())

describe('xv diff on a row-per-metric table', () => {
  it('compares the metric names as metrics, pivoted, with and without --rows', async () => {
    for (const extra of [[], ['--rows']]) {
      const res = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', ...extra, '--json'])
      expect(res.exitCode, res.stderr).toBe(0)
      const r = JSON.parse(res.stdout) as {a: {table: string; rows: number}; values: Array<Record<string, unknown>>}
      expect(r.a).toMatchObject({table: 'metrics', rows: 2})
      expect(r.values).toEqual([
        {name: 'val/accuracy', kind: 'metric', a: 0.75, b: 0.9, changed: true, delta: 0.15, pct: 20, direction: 'higher', better: true},
        {name: 'val/loss', kind: 'metric', a: 0.45, b: 0.3, changed: true, delta: -0.15, pct: expect.closeTo(-33.333, 2), direction: 'lower', better: true},
      ])
    }

    const text = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0'])
    expect(text.stdout).toMatch(/val\/accuracy +0\.7500 +0\.9000 +\+0\.1500 ▲/)
    expect(text.stdout).not.toContain('metric_id')
  })
})
