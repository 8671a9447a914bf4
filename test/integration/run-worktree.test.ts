import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {execa} from 'execa'
import {afterEach, describe, expect, it} from 'vitest'

import {XV_BIN, xv, type TestRepo} from '../helpers/repo.js'
import {makeRunsRepo} from '../helpers/runs-repo.js'

/** Trains (its row is written), says ready, then ends once the test creates the file `go`. */
const TRAIN_THEN_WAIT = 'python train.py 0.001 0.71 && echo ready && while [ ! -e go ]; do sleep 0.1; done; rm go'

const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()!.cleanup()
})

interface Check {check: string; ok: boolean; warning?: boolean; detail: string}

async function mergedCheck(repo: TestRepo): Promise<Check | undefined> {
  const res = await xv(repo.root, ['worktree', 'remove', 'x', '--dry-run', '--json'])
  expect(res.exitCode, res.stderr).toBe(0)
  return (JSON.parse(res.stdout).checks as Check[]).find((c) => c.check === "results merged into main's database")
}

describe('xv worktree remove and xv run records', () => {
  it("counts a worktree's run records missing from main's database (or only there as running) as results not merged", async () => {
    const repo = makeRunsRepo()
    repos.push(repo)
    const wt = join(repo.base, 'exp-x')
    repo.git('worktree', 'add', '-q', '-b', 'exp/x', wt)
    mkdirSync(join(repo.root, 'results'), {recursive: true})

    // The run has written its row and still runs when main merges it: rows and record (running) are in main's.
    const run = execa('node', [XV_BIN, 'run', '--json', '--', 'sh', '-c', TRAIN_THEN_WAIT], {cwd: wt, reject: false, env: {NO_COLOR: '1'}})
    await new Promise<void>((resolve) => {
      for (const stream of [run.stdout!, run.stderr!]) stream.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve())
    })
    const early = await xv(repo.root, ['merge', 'exp-x'])
    expect(early.exitCode, early.stderr).toBe(0)
    expect(await mergedCheck(repo)).toMatchObject({ok: true, detail: "every run of results/experiments.db is in main's"})

    // Finished now: main's copy of the record is stale — the run is not merged, and the check says why.
    writeFileSync(join(wt, 'go'), '')
    const done = await run
    expect(done.exitCode, String(done.stderr)).toBe(0)
    expect(await mergedCheck(repo)).toEqual({
      check: "results merged into main's database",
      ok: false,
      warning: true,
      detail: "1 run record(s) of xv run (xv_runs) is not in main's; run 'xv merge exp-x' from the main worktree",
    })
    const shown = await xv(repo.root, ['worktree', 'remove', 'x', '--dry-run'])
    expect(shown.stderr + shown.stdout).toContain("! results merged into main's database: 1 run record(s) of xv run (xv_runs) is not in main's")

    expect((await xv(repo.root, ['merge', 'exp-x'])).exitCode).toBe(0)
    expect(await mergedCheck(repo)).toMatchObject({ok: true})

    // A new run not merged at all: its rows and its record are both named.
    const second = await xv(wt, ['run', '--', 'python', 'train.py', '0.01', '0.75'])
    expect(second.exitCode, second.stderr).toBe(0)
    expect((await mergedCheck(repo))?.detail).toBe(
      "1 run(s) of results/experiments.db (metrics) and 1 run record(s) of xv run (xv_runs) are not in main's; run 'xv merge exp-x' from the main worktree",
    )
  })
})
