/** runs, runs show, best, xv run and the worktree/status checks on a DuckDB result database (real files). */
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'

import {PROJECT_ROOT, makeRepo, xv} from '../helpers/repo.js'
import {writeRunsDuck} from '../helpers/results-fixtures.js'

const DB = 'results/experiments.duckdb'

describe('runs, best and worktree checks with a DuckDB result database', () => {
  it('xv run records the run in the DuckDB file around the command (which writes the file itself); runs, runs show and best read it', async () => {
    const r = makeRepo({dvc: false, gitRemote: false, xvYaml: `db: ${DB}\nmetrics: [f1]\nartifacts: []\n`})
    try {
      await writeRunsDuck(join(r.root, DB), [{track: 'old', version: 'e0.0.1', model: 'cnn', f1: 0.5, loss: 0.9}])
      r.write('.gitignore', 'results/\n')
      r.git('add', '-A')
      r.git('commit', '-q', '-m', 'project')
      const api = pathToFileURL(join(PROJECT_ROOT, 'node_modules/@duckdb/node-api/lib/index.js')).href
      const train = `const {DuckDBInstance}=await import(${JSON.stringify(api)});const i=await DuckDBInstance.create(${JSON.stringify(join(r.root, DB))});const c=await i.connect();await c.run("INSERT INTO metrics (track_id, version, model, f1, loss) VALUES ($1, $2, 'bert', 0.93, 0.2)", [process.env.XV_RUN_ID, process.env.XV_VERSION]);c.closeSync();i.closeSync()`
      r.write('train.mjs', train)
      r.git('add', '-A')
      r.git('commit', '-q', '-m', 'train')
      const run = await xv(r.root, ['run', '--json', '--', 'node', 'train.mjs'])
      expect(run.exitCode, run.stderr).toBe(0)
      const {runId, version, status, warnings} = JSON.parse(run.stdout)
      expect([status, warnings]).toEqual(['completed', []])

      const runs = JSON.parse((await xv(r.root, ['runs', '--json'])).stdout)
      expect(runs.runs.map((x: {run_id: string; status: string; version: string}) => [x.run_id, x.status, x.version])).toEqual([[runId, 'completed', version]])
      const shown = JSON.parse((await xv(r.root, ['runs', 'show', runId, '--json'])).stdout)
      expect(shown.rows.map((x: {f1: number}) => x.f1)).toEqual([0.93])
      const best = JSON.parse((await xv(r.root, ['best', 'f1', '--json'])).stdout)
      expect(best).toMatchObject({value: 0.93, run: runId, version, params: {model: 'bert'}})
      const {readdirSync} = await import('node:fs')
      expect(readdirSync(join(r.root, 'results', 'runs')).filter((f) => f.endsWith('.record.db'))).toEqual([])
    } finally {
      r.cleanup()
    }
  })

  it('worktree remove: runs of a DuckDB worktree database not in main are found, and merging them clears the check', async () => {
    const r = makeRepo({dvc: false, gitRemote: false, xvYaml: `db: ${DB}\nartifacts: []\n`})
    try {
      await writeRunsDuck(join(r.root, DB), [{track: 'm1', version: 'e0.1.0', model: 'cnn', f1: 0.5, loss: 0.9}])
      const made = await xv(r.root, ['worktree', 'new', 'w', '--json'])
      expect(made.exitCode, made.stderr).toBe(0)
      const wt = JSON.parse(made.stdout).path as string
      await writeRunsDuck(join(wt, DB), [{track: 'w1', version: 'e0.2.0', model: 'bert', f1: 0.9, loss: 0.4}])
      const merged = (out: string) => (JSON.parse(out) as {checks: Array<{check: string; ok: boolean; detail: string}>}).checks.find((c) => c.check.startsWith('results merged'))
      const before = await xv(r.root, ['worktree', 'remove', 'w', '--dry-run', '--json'])
      expect(merged(before.stdout)).toMatchObject({ok: false})
      expect(merged(before.stdout)?.detail).toContain('1 run(s)')
      const status = JSON.parse((await xv(r.root, ['status', '--json'])).stdout)
      expect(status.worktrees.map((w: {unmergedRuns: number}) => w.unmergedRuns)).toEqual([1])

      const merge = await xv(r.root, ['merge', 'w'])
      expect(merge.exitCode, merge.stderr).toBe(0)
      const after = await xv(r.root, ['worktree', 'remove', 'w', '--dry-run', '--json'])
      expect(merged(after.stdout)).toMatchObject({ok: true})
    } finally {
      r.cleanup()
    }
  })
})

describe('xv diff --rows inside DuckDB', () => {
  /** The same change in an SQLite and a DuckDB database: one row changed, one added, one removed. */
  async function project(kind: 'sqlite' | 'duckdb') {
    const db = kind === 'duckdb' ? DB : 'results/experiments.db'
    const r = makeRepo({dvc: false, gitRemote: false, xvYaml: `db: ${db}\nartifacts: []\n`})
    const file = join(r.root, db)
    const sql = async (statements: string[]) => {
      if (kind === 'sqlite') {
        const {default: Database} = await import('better-sqlite3')
        const {mkdirSync} = await import('node:fs')
        mkdirSync(join(r.root, 'results'), {recursive: true})
        const d = new Database(file)
        for (const s of statements) d.exec(s)
        d.close()
        return
      }

      const {DuckDBInstance} = await import('@duckdb/node-api')
      const {mkdirSync} = await import('node:fs')
      mkdirSync(join(r.root, 'results'), {recursive: true})
      const i = await DuckDBInstance.create(file)
      const c = await i.connect()
      for (const s of statements) await c.run(s)
      await c.run('CHECKPOINT')
      c.closeSync()
      i.closeSync()
    }

    await sql([
      `CREATE TABLE metrics (track_id ${kind === 'sqlite' ? 'TEXT' : 'VARCHAR'}, version ${kind === 'sqlite' ? 'TEXT' : 'VARCHAR'}, f1 DOUBLE, n BIGINT)`,
      "INSERT INTO metrics VALUES ('a', 'e0.1.0', 0.5, 1), ('b', 'e0.1.0', 0.6, 2), ('c', 'e0.1.0', 0.7, 3)",
    ])
    r.git('add', '-f', db)
    r.git('commit', '-q', '-m', 'results')
    r.git('tag', '-a', 'e0.1.0', '-m', 'base')
    await sql(["UPDATE metrics SET f1 = 0.65 WHERE track_id = 'b'", "DELETE FROM metrics WHERE track_id = 'c'", "INSERT INTO metrics VALUES ('d', 'e0.1.0', 0.9, 4)"])
    return r
  }

  it('gives the same counts and examples as the SQLite path, by key and as whole rows', async () => {
    const lite = await project('sqlite')
    const duck = await project('duckdb')
    try {
      const byKey: Array<{added: number; removed: number; changed: number; examples: {changed: unknown[]}}> = []
      for (const extra of [['--key', 'track_id'], []]) {
        const rows = async (repo: typeof lite) => {
          const res = await xv(repo.root, ['diff', 'e0.1.0', 'workspace', '--rows', '--json', ...extra])
          expect(res.exitCode, res.stderr).toBe(0)
          return JSON.parse(res.stdout).rows as (typeof byKey)[number]
        }

        const [a, b] = [await rows(lite), await rows(duck)]
        expect(b).toEqual(a)
        byKey.push(b)
      }

      const [keyed, whole] = byKey
      expect([keyed?.added, keyed?.removed, keyed?.changed]).toEqual([1, 1, 1])
      expect(keyed?.examples.changed).toEqual([{values: {track_id: 'b'}, changes: {f1: {a: 0.6, b: 0.65}}}])
      expect([whole?.added, whole?.removed, whole?.changed]).toEqual([2, 2, 0]) // b changed = one removed + one added row
    } finally {
      lite.cleanup()
      duck.cleanup()
    }
  })
})
