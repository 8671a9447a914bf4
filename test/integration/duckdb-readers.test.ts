/**
 * Readers of a DuckDB result database answer exactly as on the same rows in SQLite, on real files:
 * `best` (versions, --where, --min, retracted versions) and `runs show`, which copy only the row(s)
 * they need into SQLite (counted here); `model list` (per-run models ranked by their rows),
 * `doctor` and metric completion; and `diff --rows`, which matches rows by the primary key of a
 * DuckDB table as it does for SQLite (both sides DuckDB, and SQLite at the tag against DuckDB now).
 */
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {DuckDBInstance} from '@duckdb/node-api'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {duckToSqliteCopy} from '../../src/adapters/result-store-convert.js'
import {openRunStore, writeRun, type RunRecord} from '../../src/adapters/run-store.js'
import {streamSqliteInto} from '../../src/adapters/sqlite-to-duckdb.js'
import {RepoContext} from '../../src/context.js'
import {bestRows, labelledRows, runRecord, runRows} from '../../src/domain/copy-scopes.js'
import {makeRepo, xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'

const LITE = 'results/experiments.db'
const DUCK = 'results/experiments.duckdb'
const yaml = (db: string) => `db: ${db}\nmetrics: [f1]\nartifacts: []\n`

let repo: TestRepo

async function duckRun(file: string, statements: string[]): Promise<void> {
  const instance = await DuckDBInstance.create(file)
  const conn = await instance.connect()
  try {
    for (const s of statements) await conn.run(s)
    await conn.run('CHECKPOINT')
  } finally {
    conn.closeSync()
    instance.closeSync()
  }
}

function record(runId: string, version: string, minute: number): RunRecord {
  const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString()
  return {
    run_id: runId, name: null, version, status: 'completed', command: '["python","train.py"]', cwd: '.', started_at: at(minute), ended_at: at(minute + 1),
    duration_s: 60, exit_code: 0, signal: null, error_tail: null, commit_sha: null, branch: 'main', worktree: '.', dirty: 0, diff_hash: null, host: 'h', user: 'u',
    xv_version: null, dvc_version: null, python_version: null, node_version: null, pip_hash: null, pip_freeze: null, gpu: null, seed: null, params: '{"lr":"0.1"}',
    log_path: null, rerun_of: null, created_at: at(minute),
  }
}

beforeAll(async () => {
  repo = makeRepo({dvc: false, gitRemote: false, xvYaml: yaml(LITE)})
  const lite = join(repo.root, LITE)
  const runs = [
    {trackId: 'r1', version: 'e0.1.0', model: 'cnn', f1: 0.61, loss: 0.5},
    {trackId: 'r2', version: 'e0.1.0', model: 'bert', f1: 0.72, loss: 0.4},
    {trackId: 'r3', version: 'e0.2.0', model: 'cnn', f1: 0.83, loss: 0.3},
    {trackId: 'r4', version: 'e0.2.0', model: 'bert', f1: 0.79, loss: 0.2},
    {trackId: 'r5', version: 'e0.3.0', model: 'bert', f1: 0.95, loss: 0.1},
    {trackId: 'r6', version: 'e0.4.0', model: 'cnn', f1: 0.1, loss: 0.9}, // labelled with a version not tagged yet
  ]
  writeRuns(lite, runs.map((r) => ({...r, predictions: 2})))
  const store = openRunStore(lite, LITE, true)
  runs.forEach((r, i) => writeRun(store, record(r.trackId, r.version, i * 10), [{run_id: r.trackId, role: 'output', path: `models/${r.trackId}.bin`, md5: `${i}`.repeat(32)}]))
  store.close()
  // The DuckDB twin: the same tables and rows.
  const instance = await DuckDBInstance.create(':memory:')
  const conn = await instance.connect()
  await conn.run(`ATTACH '${join(repo.root, DUCK)}' AS twin`)
  await streamSqliteInto(conn, lite, 'twin')
  await conn.run('CHECKPOINT twin')
  conn.closeSync()
  instance.closeSync()

  repo.write('.gitignore', 'results/\nmodels/\n')
  repo.git('add', '-A')
  repo.git('commit', '-q', '-m', 'results')
  for (const v of ['e0.1.0', 'e0.2.0', 'e0.3.0']) repo.git('tag', '-a', v, '-m', `run ${v}`)
  repo.git('tag', '-a', 'xv-retracted/e0.3.0', 'e0.3.0^{}', '-m', 'leaked test data')
  mkdirSync(join(repo.root, 'models', 'candidates'), {recursive: true})
  for (const id of ['r2', 'r3', 'r4']) repo.write(`models/candidates/${id}_model.bin`, `weights of ${id}`)
}, 120_000)
afterAll(() => repo.cleanup())

/** The same command on the SQLite and on the DuckDB database (the file name made alike). */
async function both(args: string[]): Promise<Array<{exitCode: number; stdout: string; stderr: string}>> {
  const out = []
  for (const db of [LITE, DUCK]) {
    repo.write('xv.yaml', yaml(db))
    const res = await xv(repo.root, args)
    out.push({...res, stdout: res.stdout.replaceAll(DUCK, LITE), stderr: res.stderr.replaceAll(DUCK, LITE)})
  }

  repo.write('xv.yaml', yaml(LITE))
  return out
}

describe('best and runs show on a DuckDB result database', () => {
  it.each([
    [['best', 'f1', '--json']],
    [['best', 'f1', '--all', '--json']],
    [['best', 'loss', '--json']],
    [['best', 'f1', '--max', '--version', 'e0.1.0', '--json']],
    [['best', 'f1', '--where', 'model=cnn', '--json']],
    [['best', 'f1', '--where', 'model=none', '--json']],
    [['best', 'nosuch', '--json']],
    [['best', 'model', '--json']],
    [['best', 'f1', '--where', 'nosuch=1']],
    [['runs', 'show', 'r3', '--json']],
    [['runs', 'show', 'r9']],
    [['run', '--rerun', 'r9']],
  ])('xv %j answers as on SQLite', async (args) => {
    const [lite, duck] = await both(args)
    expect(duck).toEqual(lite)
    if (args.join(' ') === 'best f1 --json') expect(JSON.parse(lite?.stdout ?? '')).toMatchObject({run: 'r3', version: 'e0.2.0', value: 0.83}) // r5 is retracted
  })

  it('copies only the best row, or only the run and its rows, out of the DuckDB file', async () => {
    repo.write('xv.yaml', yaml(DUCK))
    const ctx = await RepoContext.open(repo.root)
    repo.write('xv.yaml', yaml(LITE))
    const counts = async (scope: Parameters<typeof duckToSqliteCopy>[2]) => {
      const copy = await duckToSqliteCopy(join(repo.root, DUCK), DUCK, scope)
      const db = new Database(copy.file, {readonly: true})
      try {
        const names = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY 1").pluck().all() as string[])
        return Object.fromEntries(names.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get()]))
      } finally {
        db.close()
        copy.cleanup()
      }
    }

    const best = bestRows(ctx, {metric: 'f1', direction: 'higher', versions: () => undefined, where: () => [], exclude: ['e0.3.0']})
    expect(await counts(best)).toEqual({metrics: 1, predictions: 0, xv_run_artifacts: 0, xv_runs: 0})
    // r3's own row, and its version's rows for the time-window fallback (the table has timestamps).
    expect(await counts(runRows(ctx, 'r3'))).toEqual({metrics: 2, predictions: 0, xv_run_artifacts: 1, xv_runs: 1})
    expect(await counts(runRecord('r3'))).toEqual({metrics: 0, predictions: 0, xv_run_artifacts: 0, xv_runs: 1})
    expect(await counts(labelledRows(ctx, ['e0.1.0', '0.1.0']))).toEqual({metrics: 2, predictions: 0, xv_run_artifacts: 0, xv_runs: 0})
  })

  it('next --release counts the rows labelled with the version as on SQLite', async () => {
    const claim = await xv(repo.root, ['next', '--claim', '--json'])
    expect(claim.exitCode, claim.stderr).toBe(0)
    expect(JSON.parse(claim.stdout)).toMatchObject({version: 'e0.4.0'})
    const [lite, duck] = await both(['next', '--release', 'e0.4.0'])
    expect(duck).toEqual(lite)
    expect(lite?.stderr).toContain('1 row(s) of results/experiments.db are labelled e0.4.0')
    repo.git('update-ref', '-d', 'refs/xv/claims/e0.4.0')
  })
})

describe('model list, doctor and metric completion read a DuckDB result database', () => {
  it('model list ranks per-run models by their rows as on SQLite', async () => {
    const [lite, duck] = await both(['model', 'list', '--sort', 'f1', '--json'])
    expect(duck).toEqual(lite)
    const listing = JSON.parse(duck?.stdout ?? '') as {candidates: Array<{name: string; metrics: Record<string, number>; from: string}>}
    expect(listing.candidates.map((c) => [c.name, c.metrics.f1, c.from])).toEqual([
      ['r3_model.bin', 0.83, 'database'],
      ['r4_model.bin', 0.79, 'database'],
      ['r2_model.bin', 0.72, 'database'],
    ])
  })

  it('doctor checks the DuckDB file and names its table and version column', async () => {
    repo.write('xv.yaml', yaml(DUCK))
    const res = await xv(repo.root, ['doctor', '--json'])
    repo.write('xv.yaml', yaml(LITE))
    const checks = (JSON.parse(res.stdout) as {checks: Array<{name: string; status: string; detail: string}>}).checks
    expect(checks.find((c) => c.name === 'result db')).toEqual({name: 'result db', status: 'ok', detail: `${DUCK} (DuckDB): table 'metrics', version column 'version'`})
  })

  it('completes metric names from the DuckDB file', async () => {
    const [lite, duck] = await both(['__complete', 'best', '--', ''])
    expect(duck).toEqual(lite)
    expect(duck?.stdout.split('\n').filter(Boolean).sort()).toEqual(['accuracy', 'f1', 'loss'])
  })
})

describe('diff --rows matches rows by a DuckDB primary key, as by an SQLite one', () => {
  it('keys by the primary key with both sides DuckDB, and with SQLite at the tag and DuckDB now', async () => {
    const make = async (engines: {then: 'sqlite' | 'duckdb'; now: 'sqlite' | 'duckdb'}) => {
      const r = makeRepo({dvc: false, gitRemote: false, xvYaml: yaml(LITE)})
      const file = join(r.root, LITE)
      mkdirSync(join(r.root, 'results'), {recursive: true})
      const write = async (kind: 'sqlite' | 'duckdb', rows: string) => {
        const create = `CREATE TABLE metrics (track_id VARCHAR, version VARCHAR, f1 DOUBLE, PRIMARY KEY (track_id))`
        if (kind === 'duckdb') return duckRun(file, [create, `INSERT INTO metrics VALUES ${rows}`])
        const db = new Database(file)
        db.exec(`${create}; INSERT INTO metrics VALUES ${rows}`)
        db.close()
      }

      await write(engines.then, "('a', 'e0.1.0', 0.5), ('b', 'e0.1.0', 0.6), ('c', 'e0.1.0', 0.7)")
      r.git('add', '-f', LITE)
      r.git('commit', '-q', '-m', 'results')
      r.git('tag', '-a', 'e0.1.0', '-m', 'base')
      const {rmSync} = await import('node:fs')
      rmSync(file)
      await write(engines.now, "('a', 'e0.1.0', 0.5), ('b', 'e0.1.0', 0.65), ('d', 'e0.1.0', 0.9)")
      try {
        const res = await xv(r.root, ['diff', 'e0.1.0', 'workspace', '--rows', '--json'])
        expect(res.exitCode, res.stderr).toBe(0)
        return JSON.parse(res.stdout).rows as Record<string, unknown>
      } finally {
        r.cleanup()
      }
    }

    const lite = await make({then: 'sqlite', now: 'sqlite'})
    expect(lite).toMatchObject({key: ['track_id'], keySource: 'primary key', added: 1, removed: 1, changed: 1})
    expect(await make({then: 'duckdb', now: 'duckdb'})).toEqual(lite)
    expect(await make({then: 'sqlite', now: 'duckdb'})).toEqual(lite)
  })
})
