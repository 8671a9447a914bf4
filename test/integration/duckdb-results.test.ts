import {spawn, type ChildProcess} from 'node:child_process'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {PROJECT_ROOT, makeRepo, xv, type TestRepo} from '../helpers/repo.js'
import {writeRunsDuck} from '../helpers/results-fixtures.js'

let repo: TestRepo
const DB = 'results/experiments.duckdb'

beforeAll(async () => {
  repo = makeRepo({dvc: false, gitRemote: false, xvYaml: `db: ${DB}\nartifacts: []\n`})
  const path = join(repo.root, DB)
  await writeRunsDuck(path, [
    {track: 'a1', version: 'e0.1.0', model: 'cnn', f1: 0.6, loss: 0.9},
    {track: 'a2', version: 'e0.1.0', model: 'cnn', f1: 0.7, loss: 0.8},
  ])
  repo.git('add', '-f', DB)
  repo.git('commit', '-q', '-m', 'e0.1.0 results')
  repo.git('tag', '-a', 'e0.1.0', '-m', 'model=cnn | baseline')
  await writeRunsDuck(path, [{track: 'b1', version: 'e0.2.0', model: 'bert', f1: 0.9, loss: 0.5}])
  repo.git('add', '-f', DB)
  repo.git('commit', '-q', '-m', 'e0.2.0 results')
  repo.git('tag', '-a', 'e0.2.0', '-m', 'model=bert | bigger')
})
afterAll(() => repo.cleanup())

describe('a DuckDB result database (E16)', () => {
  it('xv list lists its tags (numbers from the frozen summaries and tag messages, never the database)', async () => {
    const res = await xv(repo.root, ['list', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(JSON.parse(res.stdout).experiments.map((e: {version: string}) => e.version)).toEqual(['e0.2.0', 'e0.1.0'])
  })

  it('xv show and xv diff (incl. --rows) read it at each tag', async () => {
    const show = await xv(repo.root, ['show', 'e0.1.0', '--json'])
    expect(show.exitCode, show.stderr).toBe(0)
    const shown = JSON.parse(show.stdout).results
    expect(shown.table).toBe('metrics')
    expect(shown.total).toBe(2)
    expect(shown.rows.map((r: {track_id: string}) => r.track_id).sort()).toEqual(['a1', 'a2'])
    expect(shown.rows[0].timestamp).toBe('2026-01-01 10:00:00')

    const diff = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', '--json'])
    expect(diff.exitCode, diff.stderr).toBe(0)
    const values = JSON.parse(diff.stdout).values
    const f1 = values.find((v: {name: string}) => v.name === 'f1')
    expect(f1.a).toBeCloseTo(0.65)
    expect(f1.b).toBeCloseTo(0.9)
    expect(f1.better).toBe(true)

    const rows = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', '--rows', '--key', 'track_id', '--json'])
    expect(rows.exitCode, rows.stderr).toBe(0)
    const r = JSON.parse(rows.stdout).rows
    expect([r.rowsA, r.rowsB, r.added]).toEqual([2, 3, 1])
  })

  it('lists the tags with a warning when the database cannot be read', async () => {
    const other = makeRepo({dvc: false, gitRemote: false, xvYaml: `db: ${DB}\nartifacts: []\n`})
    try {
      other.git('tag', '-a', 'e0.1.0', '-m', 'model=cnn | f1=0.5 | baseline')
      other.write(DB, 'not a database at all, just text that is long enough to have a header')
      const res = await xv(other.root, ['list', '--json'])
      expect(res.exitCode, res.stderr).toBe(0)
      const out = JSON.parse(res.stdout)
      expect(out.experiments.map((e: {version: string}) => e.version)).toEqual(['e0.1.0'])
      const human = await xv(other.root, ['list'])
      expect(human.exitCode).toBe(0)
      expect(human.stdout).toContain('e0.1.0')
      const show = await xv(other.root, ['show', 'workspace'])
      expect(show.exitCode).not.toBe(0)
      expect(show.stderr.trim().split('\n')).toHaveLength(1)
    } finally {
      other.cleanup()
    }
  })

  it('names the process that holds the file for writing', async () => {
    const holder: ChildProcess = spawn(
      'node',
      ['-e', `const {DuckDBInstance}=await import('@duckdb/node-api');const i=await DuckDBInstance.create(process.argv[1]);const c=await i.connect();await c.run('INSERT INTO metrics VALUES (\\'w\\', NULL, \\'e0.3.0\\', \\'x\\', 1, 0.1, 0.1)');console.log('ready');globalThis.keep=[i,c];setInterval(()=>{},1000)`, join(repo.root, DB)],
      {cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit']},
    )
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve())
        holder.on('exit', (code) => reject(new Error(`holder exited ${code}`)))
      })
      const res = await xv(repo.root, ['plot', 'f1', '--run', 'a1'])
      expect(res.exitCode).not.toBe(0)
      expect(res.stderr.trim()).toMatch(new RegExp(`results/experiments.duckdb is open in .*node.* \\(PID ${holder.pid}\\); DuckDB allows one writing process`))
    } finally {
      holder.kill()
    }
  })
})

describe('xv merge with DuckDB', () => {
  it('merges a DuckDB source into the SQLite result database; a target outside the repository is refused in one line', async () => {
    const r = makeRepo({dvc: false, gitRemote: false, xvYaml: 'artifacts: []\n'})
    try {
      const {writeRuns} = await import('../helpers/results-db.js')
      writeRuns(join(r.root, 'results/experiments.db'), [{version: 'e0.1.0', trackId: 'home-1', f1: 0.5}])
      await writeRunsDuck(join(r.base, 'exp.duckdb'), [
        {track: 'd1', version: 'e0.2.0', model: 'bert', f1: 0.9, loss: 0.5},
        {track: 'd2', version: 'e0.2.0', model: 'bert', f1: 0.8, loss: 0.6},
      ])
      const res = await xv(r.root, ['merge', join(r.base, 'exp.duckdb'), '--table', 'metrics', '--json'])
      expect(res.exitCode, res.stderr).toBe(0)
      const {default: Database} = await import('better-sqlite3')
      const db = new Database(join(r.root, 'results/experiments.db'), {readonly: true})
      const rows = db.prepare('SELECT track_id, version, f1 FROM metrics ORDER BY track_id').all()
      db.close()
      expect(rows).toEqual([{track_id: 'd1', version: 'e0.2.0', f1: 0.9}, {track_id: 'd2', version: 'e0.2.0', f1: 0.8}, {track_id: 'home-1', version: 'e0.1.0', f1: 0.5}])

      const into = await xv(r.root, ['merge', 'results/experiments.db', '--into', join(r.base, 'exp.duckdb')])
      expect(into.exitCode).not.toBe(0)
      expect(into.stderr.trim()).toMatch(/^xv: error: target .*exp.duckdb is outside the repository/)
    } finally {
      r.cleanup()
    }
  })
})

describe('xv tag with a DuckDB result database', () => {
  const writer = (db: string, hold: boolean) =>
    spawn(
      'node',
      ['-e', `const {DuckDBInstance}=await import('@duckdb/node-api');const i=await DuckDBInstance.create(process.argv[1],{checkpoint_threshold:'1GB'});const c=await i.connect();await c.run('CREATE TABLE IF NOT EXISTS metrics (track_id VARCHAR, version VARCHAR, f1 DOUBLE)');await c.run("INSERT INTO metrics VALUES ('r1', 'e0.1.0', 0.8)");console.log('ready');${hold ? 'globalThis.keep=[i,c];setInterval(()=>{},1000)' : "process.kill(process.pid,'SIGKILL')"}`, db],
      {cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit']},
    )
  const ready = (p: ChildProcess) =>
    new Promise<void>((resolve) => {
      p.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve())
      p.on('exit', () => resolve())
    })

  it('checkpoints it before hashing, never stages its .wal, and names a process that holds it', async () => {
    const r = makeRepo({gitRemote: false, xvYaml: `db: ${DB}\nartifacts: [${DB}]\n`})
    try {
      const {existsSync} = await import('node:fs')
      const path = join(r.root, DB)
      const {mkdirSync} = await import('node:fs')
      mkdirSync(join(r.root, 'results'))
      const crashed = writer(path, false) // a training process killed after writing: its rows are in the .wal
      await ready(crashed)
      await new Promise((resolve) => crashed.on('exit', resolve))
      expect(existsSync(`${path}.wal`)).toBe(true)

      const holder = writer(path, true)
      await ready(holder)
      try {
        const busy = await xv(r.root, ['tag', 'e0.1.0', '-m', 'first'])
        expect(busy.exitCode).not.toBe(0)
        expect(busy.stderr.trim()).toMatch(new RegExp(`^xv: error: results/experiments.duckdb is open in .*\\(PID ${holder.pid}\\); DuckDB allows one writing process`))
        expect(r.git('tag', '-l')).toBe('')
        expect(r.git('for-each-ref', 'refs/xv/claims')).toBe('')
        expect(r.git('status', '--porcelain')).not.toMatch(/\.dvc|\.wal/)
      } finally {
        holder.kill('SIGKILL')
        await new Promise((resolve) => holder.on('exit', resolve))
      }

      const res = await xv(r.root, ['tag', 'e0.1.0', '-m', 'first'])
      expect(res.exitCode, res.stderr).toBe(0)
      expect(existsSync(`${path}.wal`)).toBe(false)
      // The frozen summary and the message hold the DuckDB rows of e0.1.0 (both writers' rows).
      expect(r.git('tag', '-l', '--format=%(contents:subject)', 'e0.1.0').trim()).toBe('f1=0.8000 | runs=1 | first')
      expect(JSON.parse(r.git('show', 'e0.1.0:results/metrics.json'))).toMatchObject({runs: 1, rows: 2, metrics: {f1: 0.8}, best: {run: 'r1', metric: 'f1'}})
      const files = r.git('ls-tree', '-r', '--name-only', 'e0.1.0')
      expect(files).toContain(`${DB}.dvc`)
      expect(files).not.toMatch(/\.wal/)
      // the hashed file holds both killed writers' rows (folded in from the .wal)
      const show = JSON.parse((await xv(r.root, ['show', 'e0.1.0', '--json'])).stdout)
      expect(show.results.total).toBe(2)
    } finally {
      r.cleanup()
    }
  })
})
