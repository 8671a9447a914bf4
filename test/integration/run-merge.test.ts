import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {execa} from 'execa'
import {afterEach, describe, expect, it} from 'vitest'

import {XV_BIN, xv, type TestRepo} from '../helpers/repo.js'
import {makeRunsRepo} from '../helpers/runs-repo.js'

/** Says ready, then trains once the test creates the file `go`. */
const GATED = 'echo ready; while [ ! -e go ]; do sleep 0.1; done; rm go; exec python train.py 0.001 0.71'

const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()!.cleanup()
})

function query(file: string, sql: string): Array<Record<string, unknown>> {
  const db = new Database(file, {readonly: true})
  try {
    return db.prepare(sql).all() as Array<Record<string, unknown>>
  } finally {
    db.close()
  }
}

interface TableReport {table: string; source: string; added: number; replaced: number; matchedBy: string}

describe('runs travel with xv merge', () => {
  it('matches xv_runs by run id: a running copy on main becomes completed, never a duplicate; best finds the winner; twice adds nothing', async () => {
    const repo = makeRunsRepo()
    repos.push(repo)
    const a = join(repo.base, 'exp-a')
    const b = join(repo.base, 'exp-b')
    repo.git('worktree', 'add', '-q', '-b', 'exp-a', a)
    repo.git('worktree', 'add', '-q', '-b', 'exp-b', b)
    mkdirSync(join(repo.root, 'results'), {recursive: true})
    const mainDb = join(repo.root, 'results/experiments.db')

    // exp-a's run is still running when main merges it for the first time.
    const slow = execa('node', [XV_BIN, 'run', '--tag', '--no-push', '-m', 'slow one', '--json', '--', 'sh', '-c', GATED], {
      cwd: a, reject: false, env: {NO_COLOR: '1'},
    })
    await new Promise<void>((resolve) => {
      slow.stderr!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve()
      })
      slow.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve()
      })
    })
    const early = await xv(repo.root, ['merge', 'exp-a', '--json'])
    expect(early.exitCode, early.stderr).toBe(0)
    expect(query(mainDb, 'SELECT status FROM xv_runs')).toEqual([{status: 'running'}])

    writeFileSync(join(a, 'go'), '')
    const fast = await xv(b, ['run', '--tag', '--no-push', '-m', 'fast one', '--json', '--', 'python', 'train.py', '0.01', '0.93'])
    expect(fast.exitCode, fast.stderr).toBe(0)
    const done = await slow
    expect(done.exitCode, String(done.stderr)).toBe(0)
    const ra = JSON.parse(String(done.stdout))
    const rb = JSON.parse(fast.stdout)
    expect(ra.version).not.toBe(rb.version)

    const merged = await xv(repo.root, ['merge', 'exp-a', 'exp-b', '--json'])
    expect(merged.exitCode, merged.stderr).toBe(0)
    const tables = JSON.parse(merged.stdout).tables as TableReport[]
    expect(tables.find((t) => t.table === 'xv_runs' && t.source === 'exp-a')).toMatchObject({added: 0, replaced: 1, matchedBy: 'id:run_id'})
    expect(tables.find((t) => t.table === 'xv_runs' && t.source === 'exp-b')).toMatchObject({added: 1, replaced: 0})
    expect(query(mainDb, 'SELECT run_id, status, exit_code FROM xv_runs ORDER BY run_id')).toEqual(
      [{run_id: ra.runId, status: 'completed', exit_code: 0}, {run_id: rb.runId, status: 'completed', exit_code: 0}].sort((x, y) => x.run_id.localeCompare(y.run_id)),
    )

    const runs = JSON.parse((await xv(repo.root, ['runs', '--json'])).stdout)
    const listed = runs.runs.map((r: {run_id: string; status: string; version: string}) => [r.run_id, r.status, r.version]).sort()
    expect(listed).toEqual([[ra.runId, 'completed', ra.version], [rb.runId, 'completed', rb.version]].sort())
    const best = await xv(repo.root, ['best', 'f1', '--json'])
    expect(best.exitCode, best.stderr).toBe(0)
    expect(JSON.parse(best.stdout)).toMatchObject({version: rb.version, run: rb.runId, value: 0.93})

    // Twice adds nothing; a main copy further along is never replaced by an older one.
    const before = query(mainDb, 'SELECT * FROM xv_runs ORDER BY run_id')
    const again = await xv(repo.root, ['merge', 'exp-a', 'exp-b', '--json'])
    expect(again.exitCode, again.stderr).toBe(0)
    for (const t of JSON.parse(again.stdout).tables as TableReport[]) expect([t.table, t.added, t.replaced]).toEqual([t.table, 0, 0])
    expect(query(mainDb, 'SELECT * FROM xv_runs ORDER BY run_id')).toEqual(before)
    expect(query(mainDb, 'SELECT count(*) AS n FROM metrics')).toEqual([{n: 2}])

    // Rebase matches runs the same way: the source's copy, one row per run, main's other runs kept.
    const rebased = await xv(repo.root, ['merge', 'exp-a', '--strategy', 'rebase', '--yes', '--json'])
    expect(rebased.exitCode, rebased.stderr).toBe(0)
    expect(query(mainDb, 'SELECT count(*) AS n, count(DISTINCT run_id) AS d FROM xv_runs')).toEqual([{n: 2, d: 2}])
    expect(query(mainDb, 'SELECT count(*) AS n FROM xv_run_artifacts GROUP BY run_id, role, path HAVING n > 1')).toEqual([])
  })
})
