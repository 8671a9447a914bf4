/**
 * xv merge with DuckDB result databases, on real files (DuckDB through @duckdb/node-api, SQLite
 * through better-sqlite3): DuckDB ↔ DuckDB, SQLite → DuckDB, DuckDB → SQLite, rebase + restore,
 * a failure and Ctrl-C leaving the target as it was, another process holding the target.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterEach, describe, expect, it} from 'vitest'

import {PROJECT_ROOT, XV_BIN, makeRepo, xv, type TestRepo} from '../helpers/repo.js'
import {writeRunsDuck} from '../helpers/results-fixtures.js'
import {writeRuns} from '../helpers/results-db.js'

const DB = 'results/experiments.duckdb'
const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()?.cleanup()
})

function duckRepo(): TestRepo {
  const repo = makeRepo({dvc: false, gitRemote: false, xvYaml: `db: ${DB}\nartifacts: []\n`})
  repos.push(repo)
  return repo
}

async function duckRows(file: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const {DuckDBInstance} = await import('@duckdb/node-api')
  const instance = await DuckDBInstance.create(file, {access_mode: 'READ_ONLY'})
  const conn = await instance.connect()
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>
  } finally {
    conn.closeSync()
    instance.closeSync()
  }
}

function sqliteRows(file: string, sql: string): unknown[] {
  const db = new Database(file, {readonly: true})
  try {
    return db.prepare(sql).all()
  } finally {
    db.close()
  }
}

describe('xv merge into a DuckDB result database', () => {
  it('DuckDB → DuckDB and SQLite → DuckDB: new runs appended, columns and tables added, idempotent, no .wal left', async () => {
    const repo = duckRepo()
    const target = join(repo.root, DB)
    await writeRunsDuck(target, [{track: 'a1', version: 'e0.1.0', model: 'cnn', f1: 0.6, loss: 0.9}])
    await writeRunsDuck(join(repo.root, 'other.duckdb'), [
      {track: 'a1', version: 'e0.1.0', model: 'cnn', f1: 0.6, loss: 0.9},
      {track: 'b1', version: 'e0.2.0', model: 'bert', f1: 0.8, loss: 0.5},
    ])
    writeRuns(join(repo.root, 'home.db'), [{version: 'e0.3.0', trackId: 'c1', f1: 0.9, predictions: 2}])

    const duck = await xv(repo.root, ['merge', 'other.duckdb', '--json'])
    expect(duck.exitCode, duck.stderr).toBe(0)
    expect(JSON.parse(duck.stdout).tables).toMatchObject([{table: 'metrics', added: 1, skipped: 1, matchedBy: 'id:track_id'}])

    const lite = await xv(repo.root, ['merge', 'home.db', '--json'])
    expect(lite.exitCode, lite.stderr).toBe(0)
    const tables = JSON.parse(lite.stdout).tables as Array<{table: string; added: number; created: boolean; columnsAdded: string[]}>
    expect(tables.map((t) => [t.table, t.added, t.created])).toEqual([['metrics', 1, false], ['predictions', 2, true]])
    expect(tables[0]?.columnsAdded.sort()).toEqual(['accuracy', 'learning_rate'])

    expect(await duckRows(target, 'SELECT track_id, version, f1 FROM metrics ORDER BY track_id')).toEqual([
      {track_id: 'a1', version: 'e0.1.0', f1: 0.6},
      {track_id: 'b1', version: 'e0.2.0', f1: 0.8},
      {track_id: 'c1', version: 'e0.3.0', f1: 0.9},
    ])
    expect(await duckRows(target, 'SELECT input_id, prediction FROM predictions ORDER BY input_id')).toEqual([
      {input_id: '0', prediction: 'neg'}, // BIGINT prints as text in JSON form
      {input_id: '1', prediction: 'pos'},
    ])
    const again = await xv(repo.root, ['merge', 'home.db', 'other.duckdb', '--json'])
    expect(again.exitCode, again.stderr).toBe(0)
    for (const t of JSON.parse(again.stdout).tables as Array<{added: number}>) expect(t.added).toBe(0)
    expect(existsSync(`${target}.wal`)).toBe(false)
  })

  it('DuckDB → SQLite target: rows streamed into the SQLite file, timestamps as text', async () => {
    const repo = duckRepo()
    await writeRunsDuck(join(repo.root, DB), [{track: 'd1', version: 'e0.1.0', model: 'cnn', f1: 0.7, loss: 0.4}])
    writeRuns(join(repo.root, 'into.db'), [{version: 'e0.0.1', trackId: 'old', f1: 0.1, predictions: 0}])
    const res = await xv(repo.root, ['merge', DB, '--into', 'into.db', '--table', 'metrics'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(sqliteRows(join(repo.root, 'into.db'), 'SELECT track_id, timestamp, f1 FROM metrics ORDER BY track_id')).toEqual([
      {track_id: 'd1', timestamp: '2026-01-01 10:00:00', f1: 0.7},
      {track_id: 'old', timestamp: expect.any(String), f1: 0.1},
    ])
  })

  it('a new DuckDB target (by its name), rebase with a backup, --restore brings the backup back', async () => {
    const repo = duckRepo()
    writeRuns(join(repo.root, 'a.db'), [{version: 'e0.1.0', trackId: 'a1', f1: 0.5, predictions: 0}])
    const made = await xv(repo.root, ['merge', 'a.db', '--into', 'fresh.duckdb', '--table', 'metrics'])
    expect(made.exitCode, made.stderr).toBe(0)
    expect(await duckRows(join(repo.root, 'fresh.duckdb'), 'SELECT track_id, f1 FROM metrics')).toEqual([{track_id: 'a1', f1: 0.5}])

    writeRuns(join(repo.root, 'b.db'), [{version: 'e0.1.0', trackId: 'a2', f1: 0.9, predictions: 0}])
    const rebased = await xv(repo.root, ['merge', 'b.db', '--into', 'fresh.duckdb', '--table', 'metrics', '--strategy', 'rebase', '--yes', '--json'])
    expect(rebased.exitCode, rebased.stderr).toBe(0)
    const report = JSON.parse(rebased.stdout)
    expect(report.tables).toMatchObject([{replaced: 1, added: 1, matchedBy: 'key:version'}])
    expect(await duckRows(join(repo.root, 'fresh.duckdb'), 'SELECT track_id FROM metrics')).toEqual([{track_id: 'a2'}])

    const restored = await xv(repo.root, ['merge', '--restore', report.backup, '--into', 'fresh.duckdb', '--yes'])
    expect(restored.exitCode, restored.stderr).toBe(0)
    expect(await duckRows(join(repo.root, 'fresh.duckdb'), 'SELECT track_id FROM metrics')).toEqual([{track_id: 'a1'}])
  })

  it('a failure mid-merge rolls everything back; a target nobody created is not left behind', async () => {
    const repo = duckRepo()
    const target = join(repo.root, DB)
    await writeRunsDuck(target, [{track: 'a1', version: 'e0.1.0', model: 'cnn', f1: 0.6, loss: 0.9}])
    // Two sources: the first merges fine, the second's `f1` is text (cannot join a DOUBLE column).
    await writeRunsDuck(join(repo.root, 'good.duckdb'), [{track: 'g1', version: 'e0.2.0', model: 'cnn', f1: 0.7, loss: 0.3}])
    const bad = new Database(join(repo.root, 'bad.db'))
    bad.exec("CREATE TABLE metrics (track_id TEXT, version TEXT, f1 TEXT); INSERT INTO metrics VALUES ('x1', 'e0.3.0', 'high')")
    bad.close()
    const res = await xv(repo.root, ['merge', 'good.duckdb', 'bad.db'])
    expect(res.exitCode).not.toBe(0)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(res.stderr).toMatch(/column 'f1' of table 'metrics' is VARCHAR in bad\.db but DOUBLE in the target/)
    expect(await duckRows(target, 'SELECT track_id FROM metrics')).toEqual([{track_id: 'a1'}])

    const none = await xv(repo.root, ['merge', 'bad.db', 'good.duckdb', '--into', 'new.duckdb', '--table', 'nosuch'])
    expect(none.exitCode).not.toBe(0)
    expect(readdirSync(repo.root).filter((f) => f.startsWith('new.duckdb'))).toEqual([])
  })

  it('refuses, in one line naming it, while another process holds the DuckDB target; Ctrl-C mid-merge leaves it as it was', async () => {
    const repo = duckRepo()
    const target = join(repo.root, DB)
    await writeRunsDuck(target, [{track: 'a1', version: 'e0.1.0', model: 'cnn', f1: 0.6, loss: 0.9}])
    writeRuns(join(repo.root, 'src.db'), [{version: 'e0.2.0', trackId: 's1', f1: 0.8, predictions: 0}])
    const holder: ChildProcess = spawn(
      'node',
      ['--input-type=module', '-e', `const {DuckDBInstance}=await import('@duckdb/node-api');const i=await DuckDBInstance.create(process.argv[1]);const c=await i.connect();console.log('ready');globalThis.keep=[i,c];setInterval(()=>{},1000)`, target],
      {cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit']},
    )
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve())
        holder.on('exit', (code) => reject(new Error(`holder exited ${code}`)))
      })
      const res = await xv(repo.root, ['merge', 'src.db'])
      expect(res.exitCode).not.toBe(0)
      expect(res.stderr.trim()).toMatch(new RegExp(`^xv: error: ${DB} is open in .*node.* \\(PID ${holder.pid}\\); DuckDB allows one writing process`))
    } finally {
      holder.kill()
    }

    // A big source: SIGINT while its rows stream into DuckDB.
    const big = new Database(join(repo.root, 'big.db'))
    big.exec(`CREATE TABLE metrics (track_id TEXT, version TEXT, f1 REAL);
      WITH RECURSIVE s(r) AS (SELECT 0 UNION ALL SELECT r + 1 FROM s WHERE r < 399999)
      INSERT INTO metrics SELECT 'big' || r, 'e0.9.0', r / 400000.0 FROM s`)
    big.close()
    const child = spawn('node', [XV_BIN, 'merge', 'big.db'], {cwd: repo.root, stdio: ['ignore', 'pipe', 'pipe']})
    // Listen for the exit at once: a fast merge may end before the signal is sent.
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 130 : null))))
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    await new Promise((resolve) => setTimeout(resolve, 2500))
    if (child.exitCode === null) child.kill('SIGINT')
    const code = await exited
    expect([130, 0]).toContain(code) // 0 only when the merge finished before the signal
    const count = (await duckRows(target, 'SELECT count(*) AS n FROM metrics'))[0]?.n
    expect(code === 0 ? count : String(count), stderr).toBe(code === 0 ? '400001' : '1')
  })
})
