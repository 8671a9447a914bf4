/**
 * Run logs travel with `xv merge` (issue 10): merging a version brings the logs committed at its
 * tag (read from git, no checkout); merging a worktree brings the logs of its folder (also of runs
 * not tagged yet); logs already here are kept, a second merge brings nothing, --dry-run copies
 * nothing; main's missing results folder is created by the merge. Real git, DVC, xetrack and `xv run` in a worktree made by `xv worktree new`.
 */
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {gunzipSync} from 'node:zlib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {xv, type TestRepo} from '../helpers/repo.js'
import {makeRunsRepo} from '../helpers/runs-repo.js'

let repo: TestRepo
let wt: string

async function json<T>(cwd: string, args: string[]): Promise<T> {
  const end = args.indexOf('--')
  const res = await xv(cwd, end < 0 ? [...args, '--json'] : [...args.slice(0, end), '--json', ...args.slice(end)])
  expect(res.exitCode, res.stderr).toBe(0)
  return JSON.parse(res.stdout) as T
}

const log = (root: string, runId: string) => join(root, 'results', 'runs', `${runId}.log.gz`)

beforeAll(async () => {
  repo = makeRunsRepo()
  wt = (await json<{path: string}>(repo.root, ['worktree', 'new', 'w'])).path
}, 120_000)
afterAll(() => repo.cleanup())

describe('xv merge brings the run logs', () => {
  it('from a version (its tag tree) and from a worktree (its folder); idempotent; not on --dry-run', async () => {
    const tagged = await json<{runId: string; version: string}>(wt, ['run', '--tag', '--no-push', '-m', 'tagged', '--', 'python', 'train.py', '0.01', '0.9'])
    // Main has no results folder yet: a preview says so and creates nothing; the merge creates it.
    const preview = await xv(repo.root, ['merge', tagged.version, '--dry-run'])
    expect(preview.stderr.trim()).toBe("xv: error: target results/experiments.db does not exist yet; a real merge creates it (nothing to preview)")
    expect(existsSync(join(repo.root, 'results'))).toBe(false)
    const byVersion = await json<{runLogs: string[]}>(repo.root, ['merge', tagged.version])
    expect(byVersion.runLogs).toEqual([`results/runs/${tagged.runId}.log.gz`])
    expect(gunzipSync(readFileSync(log(repo.root, tagged.runId))).toString()).toContain(`trained ${tagged.version}`)

    const untagged = await json<{runId: string}>(wt, ['run', '--', 'sh', '-c', 'echo from the second run'])
    const dry = await json<{runLogs?: string[]}>(repo.root, ['merge', 'w', '--dry-run'])
    expect(dry.runLogs).toBeUndefined()
    expect(existsSync(log(repo.root, untagged.runId))).toBe(false)

    const text = await xv(repo.root, ['merge', 'w'])
    expect(text.exitCode, text.stderr).toBe(0)
    expect(text.stdout).toContain(`run logs brought home: 1 (results/runs/${untagged.runId}.log.gz)`)
    expect(readFileSync(log(repo.root, untagged.runId))).toEqual(readFileSync(log(wt, untagged.runId)))
    const shown = await json<{run: {log_path: string}}>(repo.root, ['runs', 'show', untagged.runId])
    expect(existsSync(join(repo.root, shown.run.log_path))).toBe(true)

    expect((await json<{runLogs: string[]}>(repo.root, ['merge', 'w'])).runLogs).toEqual([])
  })
})
