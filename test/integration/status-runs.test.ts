/**
 * `xv status` and `xv worktree remove` give one answer about a worktree's runs main lacks: result
 * rows by run id and run records of `xv run` (xv_runs, by run id, status and end). Real git, DVC,
 * xetrack and `xv run` in a worktree made by `xv worktree new`.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {xv, type TestRepo} from '../helpers/repo.js'
import {makeRunsRepo} from '../helpers/runs-repo.js'

interface StatusJson {
  worktrees: Array<{name: string; unmergedRuns: number; unmergedRunRecords: number}>
  next: {command: string; why: string}
}

let repo: TestRepo
let wt: string

async function status(): Promise<StatusJson> {
  const out = await xv(repo.root, ['status', '--json'])
  expect(out.exitCode, out.stderr).toBe(0)
  return JSON.parse(out.stdout) as StatusJson
}

async function mergedCheck(): Promise<{ok: boolean; detail: string} | undefined> {
  const out = await xv(repo.root, ['worktree', 'remove', 'w', '--dry-run', '--json'])
  expect(out.exitCode, out.stderr).toBe(0)
  return (JSON.parse(out.stdout) as {checks: Array<{check: string; ok: boolean; detail: string}>}).checks.find((c) => c.check.startsWith('results merged'))
}

beforeAll(async () => {
  repo = makeRunsRepo()
  const made = await xv(repo.root, ['worktree', 'new', 'w', '--json'])
  expect(made.exitCode, made.stderr).toBe(0)
  wt = (JSON.parse(made.stdout) as {path: string}).path
})
afterAll(() => repo.cleanup())

describe('xv status counts unmerged run records of xv run', () => {
  it('a run that wrote no rows is unmerged until xv merge; text, --json, next step and worktree remove agree', async () => {
    const run = await xv(wt, ['run', '--json', '--', 'true'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({status: 'completed'})

    const claimed = await status()
    expect(claimed.worktrees).toEqual([expect.objectContaining({name: 'w', unmergedRuns: 0, unmergedRunRecords: 1})])
    expect(claimed.next).toMatchObject({command: `cd ${wt} && xv tag e0.1.0`, why: expect.stringContaining(`in ${wt}`)}) // the run's claim comes first; only w may tag it
    const release = await xv(wt, ['next', '--release', 'e0.1.0'])
    expect(release.exitCode, release.stderr).toBe(0)
    const before = await status()
    expect(before.next.command).toBe('xv merge w')
    expect(before.next.why).toContain('1 run record(s) of worktree w is not in main')
    const text = await xv(repo.root, ['status'])
    expect(text.stdout).toMatch(/w\s+1 run record\(s\) not merged/)
    expect(await mergedCheck()).toMatchObject({ok: false, detail: expect.stringContaining('1 run record(s) of xv run (xv_runs)')})

    const merge = await xv(repo.root, ['merge', 'w'])
    expect(merge.exitCode, merge.stderr).toBe(0)
    const after = await status()
    expect(after.worktrees).toEqual([expect.objectContaining({name: 'w', unmergedRuns: 0, unmergedRunRecords: 0})])
    expect(after.next.command).not.toBe('xv merge w')
    expect((await xv(repo.root, ['status'])).stdout).toMatch(/w\s+merged/)
    expect(await mergedCheck()).toMatchObject({ok: true})
  })

  it('a run with xetrack rows counts once as rows and once as a record; merged, both clear', async () => {
    const run = await xv(wt, ['run', '--json', '--', 'python', 'train.py', '0.01', '0.9'])
    expect(run.exitCode, run.stderr).toBe(0)
    const before = await status()
    expect(before.worktrees).toEqual([expect.objectContaining({name: 'w', unmergedRuns: 1, unmergedRunRecords: 1})])
    expect((await xv(repo.root, ['status'])).stdout).toMatch(/w\s+1 run\(s\) and 1 run record\(s\) not merged/)

    const merge = await xv(repo.root, ['merge', 'w'])
    expect(merge.exitCode, merge.stderr).toBe(0)
    expect((await status()).worktrees).toEqual([expect.objectContaining({unmergedRuns: 0, unmergedRunRecords: 0})])
  })
})
