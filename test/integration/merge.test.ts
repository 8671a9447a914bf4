import {execFileSync} from 'node:child_process'
import {createRequire} from 'node:module'
import {chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {execa} from 'execa'
import Database from 'better-sqlite3'
import {afterEach, describe, expect, it} from 'vitest'

import {XV_BIN, makeRepo, xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'
import {bigDb, count, fileHash, integrity, query} from '../helpers/sqlite-fixtures.js'

const require = createRequire(import.meta.url)
const repos: TestRepo[] = []
const mounts: string[] = []
afterEach(() => {
  while (mounts.length > 0) execFileSync('umount', [mounts.pop()!])
  while (repos.length > 0) repos.pop()!.cleanup()
})

function repoWithDbs(): {repo: TestRepo; target: string; a: string; b: string} {
  const repo = makeRepo()
  repos.push(repo)
  const target = join(repo.root, 'results/experiments.db')
  writeRuns(target, [{version: 'e0.1.0', trackId: 'base-1', f1: 0.7}, {version: 'e0.2.0', trackId: 'base-2', f1: 0.75}])
  const a = join(repo.base, 'a.db')
  writeRuns(a, [{version: 'e0.2.0', trackId: 'base-2', f1: 0.75}, {version: 'e0.3.0', trackId: 'a-1', f1: 0.8}])
  const b = join(repo.base, 'b.db')
  writeRuns(b, [{version: 'e0.3.0', trackId: 'b-1', f1: 0.85}])
  const db = new Database(b)
  db.exec("ALTER TABLE metrics ADD COLUMN bleu REAL; UPDATE metrics SET bleu = 31.5; CREATE TABLE sweep (track_id TEXT, lr REAL); INSERT INTO sweep VALUES ('b-1', 0.01)")
  db.close()
  return {repo, target, a, b}
}

describe('xv merge --strategy merge', () => {
  it('appends new runs from several sources in one call, grows the schema, and is idempotent', async () => {
    const {repo, target, a, b} = repoWithDbs()
    const res = await xv(repo.root, ['merge', a, b, '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    const report = JSON.parse(res.stdout)
    const byKey = Object.fromEntries(report.tables.map((t: {source: string; table: string}) => [`${t.source.split('/').pop()}:${t.table}`, t]))
    expect(byKey['a.db:metrics']).toMatchObject({added: 1, skipped: 1, matchedBy: 'id:track_id'})
    expect(byKey['a.db:predictions']).toMatchObject({added: 3, skipped: 3})
    expect(byKey['b.db:metrics']).toMatchObject({added: 1, skipped: 0, columnsAdded: ['bleu']})
    expect(byKey['b.db:sweep']).toMatchObject({created: true, added: 1})
    expect(query(target, 'SELECT track_id, bleu FROM metrics ORDER BY track_id')).toEqual([
      {track_id: 'a-1', bleu: null}, {track_id: 'b-1', bleu: 31.5}, {track_id: 'base-1', bleu: null}, {track_id: 'base-2', bleu: null},
    ])
    expect(count(target, 'sweep')).toBe(1)

    const rowsOf = () => [query(target, 'SELECT * FROM metrics ORDER BY track_id'), query(target, 'SELECT * FROM sweep')]
    const before = rowsOf()
    const again = await xv(repo.root, ['merge', a, b, '--json'])
    expect(again.exitCode, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout).tables.every((t: {added: number}) => t.added === 0)).toBe(true)
    expect(count(target, 'metrics')).toBe(4)
    expect(integrity(target)).toBe('ok')
    expect(rowsOf()).toEqual(before)
  })

  it('--dry-run reports the same and writes nothing; --table limits the tables', async () => {
    const {repo, target, b} = repoWithDbs()
    const before = fileHash(target)
    const dry = await xv(repo.root, ['merge', b, '--dry-run'])
    expect(dry.exitCode, dry.stderr).toBe(0)
    expect(dry.stdout).toContain('dry run')
    expect(dry.stdout).toMatch(/b\.db\s+sweep \(new\)\s+1/)
    expect(fileHash(target)).toBe(before)
    const only = await xv(repo.root, ['merge', b, '--table', 'sweep', '--json'])
    expect(JSON.parse(only.stdout).tables.map((t: {table: string}) => t.table)).toEqual(['sweep'])
    expect(count(target, 'metrics')).toBe(2)
  })

  it('takes a version tag (the database at that tag) and a worktree name as sources', async () => {
    const {repo, target} = repoWithDbs()
    repo.git('add', '-A')
    repo.git('commit', '-qm', 'db in git')
    repo.git('tag', '-a', 'e0.2.0', '-m', 'f1=0.75')
    writeRuns(target, [], )
    const db = new Database(target)
    db.exec("DELETE FROM metrics WHERE track_id = 'base-2'")
    db.close()
    const tagged = await xv(repo.root, ['merge', 'e0.2.0', '--table', 'metrics', '--json'])
    expect(tagged.exitCode, tagged.stderr).toBe(0)
    expect(JSON.parse(tagged.stdout).sources[0].kind).toBe('version')
    expect(query(target, "SELECT count(*) AS n FROM metrics WHERE track_id = 'base-2'")).toEqual([{n: 1}])

    const wt = join(repo.base, 'exp-cnn')
    repo.git('worktree', 'add', '-q', wt, '-b', 'exp/cnn')
    writeRuns(join(wt, 'results/experiments.db'), [{version: 'e0.4.0', trackId: 'cnn-1'}])
    const fromTree = await xv(repo.root, ['merge', 'cnn', '--table', 'metrics', '--json'])
    expect(fromTree.exitCode, fromTree.stderr).toBe(0)
    expect(JSON.parse(fromTree.stdout).sources[0].kind).toBe('worktree')
    expect(query(target, "SELECT version FROM metrics WHERE track_id = 'cnn-1'")).toEqual([{version: 'e0.4.0'}])
  })
})

describe('xv merge --strategy rebase', () => {
  it('refuses without --yes, replaces rows by version after writing a backup, and --restore brings it back', async () => {
    const {repo, target, a} = repoWithDbs()
    const original = fileHash(target)
    const refused = await xv(repo.root, ['merge', a, '--strategy', 'rebase'])
    expect(refused.exitCode).not.toBe(0)
    expect(refused.stderr.trim()).toMatch(/^xv: error: rebase replaces rows of the target; run again with --yes/)
    expect(fileHash(target)).toBe(original)

    const res = await xv(repo.root, ['merge', a, '--strategy', 'rebase', '--yes', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    const report = JSON.parse(res.stdout)
    const metrics = report.tables.find((t: {table: string}) => t.table === 'metrics')
    expect(metrics).toMatchObject({replaced: 1, added: 2, matchedBy: 'key:version'})
    expect(query(target, 'SELECT version, track_id FROM metrics ORDER BY version')).toEqual([
      {version: 'e0.1.0', track_id: 'base-1'}, {version: 'e0.2.0', track_id: 'base-2'}, {version: 'e0.3.0', track_id: 'a-1'},
    ])
    expect(existsSync(report.backup)).toBe(true)
    expect(repo.git('status', '--porcelain')).not.toContain('.bak-') // never swept into an xv tag commit
    expect(integrity(report.backup)).toBe('ok')
    expect(count(report.backup, 'predictions')).toBe(6)

    const restore = await xv(repo.root, ['merge', '--restore', report.backup, '--yes'])
    expect(restore.exitCode, restore.stderr).toBe(0)
    expect(query(target, 'SELECT track_id FROM metrics ORDER BY track_id')).toEqual([{track_id: 'base-1'}, {track_id: 'base-2'}])
    expect(count(target, 'predictions')).toBe(6)
  })

  it('--key names the columns; a missing one is named with the columns that exist', async () => {
    const {repo, target, a} = repoWithDbs()
    const before = fileHash(target)
    const res = await xv(repo.root, ['merge', a, '--strategy', 'rebase', '--key', 'run', '--yes'])
    expect(res.exitCode).not.toBe(0)
    expect(res.stderr.trim()).toMatch(/^xv: error: key column 'run' not found in table '\w+' of .*a\.db; columns: track_id, timestamp, version/)
    expect(fileHash(target)).toBe(before)
    expect(readdirSync(join(repo.root, 'results')).filter((f) => f.includes('.bak-'))).toEqual([])
  })
})

/** A repository whose result database holds `rows` prediction rows (runs `base-*`). */
function repoWithBigTarget(rows: number): {repo: TestRepo; target: string} {
  const repo = makeRepo()
  repos.push(repo)
  const target = join(repo.root, 'results/experiments.db')
  mkdirSync(join(repo.root, 'results'))
  bigDb(target, rows, 'base')
  return {repo, target}
}

describe('xv merge is atomic and exclusive', () => {
  it('kill -9 at any moment leaves the target whole: before or fully merged', async () => {
    const {repo, target} = repoWithBigTarget(200_000)
    const source = join(repo.base, 'big.db')
    bigDb(source, 400_000, 'src')
    for (const delay of [150, 400, 800]) {
      const child = execa('node', [XV_BIN, 'merge', source], {cwd: repo.root, reject: false})
      await new Promise((r) => setTimeout(r, delay))
      child.kill('SIGKILL')
      await child
      expect(integrity(target)).toBe('ok')
      expect([200_000, 600_000]).toContain(count(target, 'predictions'))
      if (count(target, 'predictions') === 600_000) {
        // Fully merged already: start again from the base.
        const db = new Database(target)
        db.exec("DELETE FROM predictions WHERE track_id LIKE 'src-%'")
        db.close()
      }
    }
  })

  it('a writer killed mid-transaction (hot journal): xv reads the database as it was, and the journal is settled', async () => {
    const repo = makeRepo()
    repos.push(repo)
    const target = join(repo.root, 'results/experiments.db')
    mkdirSync(join(repo.root, 'results'))
    const db = new Database(target)
    db.exec("CREATE TABLE metrics (track_id TEXT, version TEXT, f1 REAL); INSERT INTO metrics VALUES ('r1', 'e0.1.0', 0.8), ('r2', 'e0.1.0', 0.7)")
    db.close()
    // A real writer, killed after SQLite spilled part of its transaction into the file.
    const writer = `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))})
      const db = new D(process.argv[1]); db.pragma('cache_size = 10'); db.exec('BEGIN')
      db.prepare("INSERT INTO metrics WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 200000) SELECT 'x' || i, 'e0.2.0', 0.99 FROM s").run()
      process.kill(process.pid, 'SIGKILL')`
    const killed = await execa('node', ['-e', writer, target], {reject: false})
    expect(killed.signal).toBe('SIGKILL')
    expect(existsSync(`${target}-journal`)).toBe(true)

    const best = await xv(repo.root, ['best', 'f1', '--json'])
    expect(best.exitCode, best.stderr).toBe(0)
    expect(JSON.parse(best.stdout)).toMatchObject({value: 0.8, version: 'e0.1.0', run: 'r1'})
    expect(existsSync(`${target}-journal`)).toBe(false)
    expect(integrity(target)).toBe('ok')
    expect(count(target, 'metrics')).toBe(2)
  })

  it('two merges into the same target at once: one waits, no row is lost', async () => {
    const {repo, target} = repoWithBigTarget(50_000)
    const s1 = join(repo.base, 's1.db')
    const s2 = join(repo.base, 's2.db')
    bigDb(s1, 150_000, 'one')
    bigDb(s2, 150_000, 'two')
    const [r1, r2] = await Promise.all([xv(repo.root, ['merge', s1]), xv(repo.root, ['merge', s2])])
    expect(r1.exitCode, r1.stderr).toBe(0)
    expect(r2.exitCode, r2.stderr).toBe(0)
    expect(count(target, 'predictions')).toBe(350_000)
    expect(integrity(target)).toBe('ok')
  })
})

describe('xv merge refuses bad input with one line and an unchanged target', () => {
  it('sources and targets that are not SQLite, unknown names, the target as its own source', async () => {
    const {repo, target, a} = repoWithDbs()
    const before = fileHash(target)
    const text = join(repo.root, 'notes.db') // targets must be inside the repository
    writeFileSync(text, 'just some text, certainly not a database file, long enough to have a header '.repeat(3))
    const cases: Array<[string[], RegExp]> = [
      [['merge', text], /^xv: error: source '.*notes\.db' \(.*\) is neither an SQLite nor a DuckDB database \(wrong file header\)$/],
      [['merge', a, '--into', text], /^xv: error: target .*notes\.db is neither an SQLite nor a DuckDB database/],
      [['merge', 'nope'], /^xv: error: no database, worktree or version named 'nope'/],
      [['merge', 'e9.9.9'], /^xv: error: unknown version 'e9\.9\.9'/],
      [['merge', target], /^xv: error: source '.*' is the target itself/],
      [['merge', 'results/experiments.db'], /is the target itself/],
      [['merge', a, '--id-column', 'run_id'], /^xv: error: id column 'run_id' not found in table '\w+' of .*; columns: track_id/],
      [['merge', a, '--table', 'nope'], /^xv: error: table 'nope' not found in .*a\.db; tables: metrics, predictions$/],
    ]
    for (const [args, message] of cases) {
      const res = await xv(repo.root, args)
      expect(res.exitCode, args.join(' ')).not.toBe(0)
      expect(res.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(res.stderr.trim(), args.join(' ')).toMatch(message)
      expect(fileHash(target)).toBe(before)
    }
  })

  it('a column whose types cannot be reconciled', async () => {
    const {repo, target, a} = repoWithDbs()
    const db = new Database(a)
    db.exec('ALTER TABLE metrics RENAME COLUMN f1 TO f1_old; ALTER TABLE metrics ADD COLUMN f1 BLOB')
    db.close()
    const before = fileHash(target)
    const res = await xv(repo.root, ['merge', a])
    expect(res.exitCode).not.toBe(0)
    expect(res.stderr.trim()).toMatch(/^xv: error: column 'f1' of table 'metrics' is BLOB in .*a\.db but REAL in the target; the types cannot be reconciled/)
    expect(fileHash(target)).toBe(before)
  })

  it('a read-only target and a full disk', async () => {
    const {repo, a} = repoWithDbs()
    // Read-only: the results folder bind-mounted read-only (root ignores file modes).
    const ro = join(repo.base, 'ro')
    mkdirSync(ro)
    copyFileSync(join(repo.root, 'results/experiments.db'), join(ro, 'target.db'))
    const roMount = join(repo.root, 'ro-mount') // targets must be inside the repository
    mkdirSync(roMount)
    execFileSync('mount', ['--bind', '-o', 'ro', ro, roMount])
    mounts.push(roMount)
    const before = fileHash(join(roMount, 'target.db'))
    const res = await xv(repo.root, ['merge', a, '--into', join(roMount, 'target.db')])
    expect(res.exitCode).not.toBe(0)
    expect(res.stderr.trim()).toMatch(/^xv: error: target .*target\.db is read-only/)
    expect(fileHash(join(roMount, 'target.db'))).toBe(before)

    // Full disk: a 2 MB tmpfs holding the target; the source does not fit.
    const small = join(repo.root, 'small')
    mkdirSync(small)
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', small])
    mounts.push(small)
    const target = join(small, 'target.db')
    bigDb(target, 5_000, 'base')
    const big = join(repo.base, 'big.db')
    bigDb(big, 200_000, 'big')
    const full = fileHash(target)
    const res2 = await xv(repo.root, ['merge', big, '--into', target])
    expect(res2.exitCode).not.toBe(0)
    expect(res2.stderr.trim()).toMatch(/^xv: error: the disk is full; .*target\.db was left exactly as it was/)
    expect(fileHash(target)).toBe(full)
    expect(integrity(target)).toBe('ok')
    chmodSync(ro, 0o755)
  })
})
