/**
 * `xv merge` checks its inputs before any change: E12 (missing folder), A12 (targets inside .git
 * or outside the repository), A13 (`--data -o` over a non-Parquet file), A14 (two rebases in one
 * second keep both backups).
 */
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DuckDBInstance} from '@duckdb/node-api'
import {afterEach, describe, expect, it} from 'vitest'

import {makeRepo, repoState, xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'
import {fileHash} from '../helpers/sqlite-fixtures.js'
import {backupPath} from '../../src/domain/merge.js'

const cleanups: Array<() => void> = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!()
})

function repoWithSource(): {repo: TestRepo; source: string} {
  const repo = makeRepo()
  cleanups.push(repo.cleanup)
  writeRuns(join(repo.root, 'results', 'experiments.db'), [{version: 'e0.1.0', trackId: 'a-1', f1: 0.5}])
  const source = join(repo.base, 'incoming.db')
  writeRuns(source, [{version: 'e0.1.0', trackId: 'b-1', f1: 0.9}])
  return {repo, source}
}

function oneLine(res: {stderr: string}): string {
  const lines = res.stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  return lines[0]!
}

describe('xv merge target checks (E12, A12)', () => {
  it('a missing folder is named as missing, not read-only; .git and outside the repository are refused; nothing changes', async () => {
    const {repo, source} = repoWithSource()
    const before = repoState(repo)
    const outside = join(repo.base, 'outside.db')

    const missing = await xv(repo.root, ['merge', source, '--into', 'missing-folder/x.db'])
    expect(missing.exitCode).toBe(1)
    expect(oneLine(missing)).toMatch(/^xv: error: the folder of target missing-folder\/x\.db \(.*missing-folder\) does not exist; create it first/)
    expect(missing.stderr).not.toContain('read-only')

    for (const into of ['.git/x.db', '.git/refs/x.db', '../outside.db', outside]) {
      const res = await xv(repo.root, ['merge', source, '--into', into])
      expect(res.exitCode, into).toBe(2)
      expect(oneLine(res), into).toMatch(into.includes('.git') ? /inside git's own directory \(\.git\)/ : /is outside the repository/)
    }

    // Also through a symlink inside the repository that points outside.
    symlinkSync(repo.base, join(repo.root, 'up'))
    const viaLink = await xv(repo.root, ['merge', source, '--into', 'up/outside.db'])
    expect(viaLink.exitCode).toBe(2)
    expect(oneLine(viaLink)).toContain('is outside the repository')
    rmSync(join(repo.root, 'up'))

    expect(existsSync(join(repo.root, '.git', 'x.db'))).toBe(false)
    expect(existsSync(outside)).toBe(false)
    expect(repoState(repo)).toBe(before)
  })

  it('A14: two rebases within one second write two backups (unique names), both kept out of git', async () => {
    const {repo, source} = repoWithSource()
    // Started together: both name their backup within the same second (one waits for the other's lock).
    const runs = await Promise.all([0, 1].map(() => xv(repo.root, ['merge', source, '--strategy', 'rebase', '--yes'])))
    for (const res of runs) expect(res.exitCode, res.stderr).toBe(0)

    const backups = readdirSync(join(repo.root, 'results')).filter((f) => f.includes('.bak-'))
    expect(backups).toHaveLength(2)
    expect(new Set(backups).size).toBe(2)
    for (const b of backups) expect(b).toMatch(/^experiments\.db\.bak-\d{8}T\d{6}\.\d{3}Z-p\d+(-\d+)?$/)
    expect(repo.git('status', '--porcelain')).not.toContain('.bak-')

    // In one process and one millisecond too: the name of a taken backup is never reused.
    const target = join(repo.root, 'results', 'experiments.db')
    const first = backupPath(target)
    writeFileSync(first, '')
    const second = backupPath(target)
    expect(second).not.toBe(first)
    expect(existsSync(second)).toBe(false)
  })
})

describe('xv merge --data -o (A13)', () => {
  it('refuses an existing non-Parquet file without --force (exit 2, untouched); --force overwrites it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xv-parquet-o-'))
    cleanups.push(() => rmSync(dir, {recursive: true, force: true}))
    const instance = await DuckDBInstance.create(':memory:')
    const conn = await instance.connect()
    await conn.run(`COPY (SELECT 1 AS id) TO '${join(dir, 'base.parquet')}' (FORMAT parquet)`)
    await conn.run(`COPY (SELECT 2 AS id) TO '${join(dir, 'src.parquet')}' (FORMAT parquet)`)
    conn.closeSync()
    instance.closeSync()
    writeFileSync(join(dir, 'xv.yaml'), 'prefix: e\n')
    const before = fileHash(join(dir, 'xv.yaml'))

    const refused = await xv(dir, ['merge', '--data', 'base.parquet', 'src.parquet', '-o', 'xv.yaml'])
    expect(refused.exitCode).toBe(2)
    expect(oneLine(refused)).toBe('xv: error: -o xv.yaml exists and is not a Parquet file; it would be overwritten: choose another -o, or add --force')
    expect(fileHash(join(dir, 'xv.yaml'))).toBe(before)

    const noFolder = await xv(dir, ['merge', '--data', 'base.parquet', 'src.parquet', '-o', 'nope/out.parquet'])
    expect(noFolder.exitCode).toBe(1)
    expect(oneLine(noFolder)).toMatch(/the folder of -o nope\/out\.parquet .* does not exist/)

    const forced = await xv(dir, ['merge', '--data', 'base.parquet', 'src.parquet', '-o', 'xv.yaml', '--force'])
    expect(forced.exitCode, forced.stderr).toBe(0)
    expect(readFileSync(join(dir, 'xv.yaml')).subarray(0, 4).toString()).toBe('PAR1')

    // An existing Parquet output is replaced as before (it is what -o is for).
    const again = await xv(dir, ['merge', '--data', 'base.parquet', 'src.parquet', '-o', 'xv.yaml'])
    expect(again.exitCode, again.stderr).toBe(0)
  })
})
