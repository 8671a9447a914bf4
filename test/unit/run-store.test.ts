import {linkSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {openRunStore, queryRuns, runArtifacts, type RunRecord, writeRun} from '../../src/adapters/run-store.js'
import {RefusedError} from '../../src/errors.js'
import {TailBuffer} from '../../src/domain/run-log.js'

const dirs: string[] = []
afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop()!, {recursive: true, force: true})
})

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'xv-runstore-'))
  dirs.push(d)
  return d
}

function record(id: string, status: RunRecord['status'], created: string): RunRecord {
  return {
    run_id: id, name: null, version: 'e0.1.0', status, command: '["true"]', cwd: '/', started_at: null, ended_at: null, duration_s: null,
    exit_code: null, signal: null, error_tail: null, commit_sha: 'abc', branch: 'main', worktree: '/w', dirty: 0, diff_hash: null, host: 'h',
    user: 'u', xv_version: null, dvc_version: null, python_version: null, node_version: null, pip_hash: null, pip_freeze: null, gpu: null,
    seed: null, params: null, log_path: null, rerun_of: null, created_at: created,
  }
}

describe('run store', () => {
  it('creates its tables on first use and filters runs newest first', () => {
    const path = join(tmp(), 'results', 'experiments.db')
    const db = openRunStore(path, 'results/experiments.db', true)!
    writeRun(db, record('a', 'completed', '2026-01-01T00:00:00.000Z'))
    writeRun(db, record('b', 'failed', '2026-01-02T00:00:00.000Z'))
    writeRun(db, record('c', 'completed', '2026-01-03T00:00:00.000Z'))
    expect(queryRuns(db, {}).map((r) => r.run_id)).toEqual(['c', 'b', 'a'])
    expect(queryRuns(db, {status: 'completed', limit: 1}).map((r) => r.run_id)).toEqual(['c'])
    expect(queryRuns(db, {since: '2026-01-02T00:00:00.000Z'}).map((r) => r.run_id)).toEqual(['c', 'b'])
    expect(() => queryRuns(db, {where: [{column: 'nope', value: '1'}]})).toThrow(/unknown run column 'nope'/)
    db.close()
  })

  it('writes a run twice (started, ended) as one row, its inputs and outputs kept', () => {
    const db = openRunStore(join(tmp(), 'experiments.db'), 'experiments.db', true)
    const started = {...record('r1', 'running', '2026-01-01T00:00:00.000Z'), started_at: '2026-01-01T00:00:01.000Z'}
    const input = {run_id: 'r1', role: 'input' as const, path: 'data', md5: 'a'.repeat(32)}
    writeRun(db, started, [input])
    expect(queryRuns(db, {}).map((r) => [r.run_id, r.status])).toEqual([['r1', 'running']])
    writeRun(db, {...started, status: 'completed', exit_code: 0, ended_at: '2026-01-01T00:00:02.000Z'}, [input, {...input, role: 'output', path: 'model.pt'}])
    const runs = queryRuns(db, {})
    expect(runs.map((r) => [r.run_id, r.status, r.exit_code, r.started_at])).toEqual([['r1', 'completed', 0, '2026-01-01T00:00:01.000Z']])
    expect(runArtifacts(db, 'r1').map((a) => `${a.role} ${a.path}`)).toEqual(['input data', 'output model.pt'])
    db.close()
  })

  it('refuses to write a database linked into the DVC cache', () => {
    const dir = tmp()
    const cached = join(dir, 'cache-object')
    writeFileSync(cached, '')
    symlinkSync(cached, join(dir, 'sym.db'))
    linkSync(cached, join(dir, 'hard.db'))
    expect(() => openRunStore(join(dir, 'sym.db'), 'sym.db', true)).toThrow(RefusedError)
    expect(() => openRunStore(join(dir, 'hard.db'), 'hard.db', true)).toThrow(/hardlink.*dvc unprotect hard\.db/)
  })

  it('keeps the tail of a long log within its cap', () => {
    const t = new TailBuffer(10)
    t.push(Buffer.from('0123456789'))
    t.push(Buffer.from('abc\ndef'))
    expect(t.toBuffer().toString()).toBe('789abc\ndef'.slice(-10))
    expect(t.dropped).toBe(7)
    expect(t.lastLines(1)).toBe('def')
  })
})
