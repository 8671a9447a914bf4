/**
 * Runs survive a clone (issue 10, "where runs live"): `xv run --tag` versions the run records with
 * the results (DVC) and the run log (git); a retraction is pushed like a tag. A fresh `git clone` +
 * `dvc pull` (after `xv push`) lists the runs, shows a run with its rows and log, and hides the retracted version.
 */
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {gunzipSync} from 'node:zlib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {xv, type TestRepo} from '../helpers/repo.js'
import {makeRunsRepo} from '../helpers/runs-repo.js'

interface Ran {
  runId: string
  version: string
  status: string
}

let repo: TestRepo
let clone: string
const ran: Ran[] = []

async function json<T>(cwd: string, args: string[]): Promise<T> {
  const res = await xv(cwd, [...args, '--json'])
  expect(res.exitCode, res.stderr).toBe(0)
  return JSON.parse(res.stdout) as T
}

beforeAll(async () => {
  repo = makeRunsRepo()
  for (const [lr, f1] of [['0.001', '0.8'], ['0.01', '0.9']] as const) {
    const res = await xv(repo.root, ['run', '--tag', '-m', `lr ${lr}`, '--json', '--', 'python', 'train.py', lr, f1])
    expect(res.exitCode, res.stderr).toBe(0)
    ran.push(JSON.parse(res.stdout) as Ran)
  }

  const retract = await xv(repo.root, ['tag', '--retract', ran[1]?.version ?? '', '-m', 'test set leaked'])
  expect(retract.exitCode, retract.stderr).toBe(0)
  const push = await xv(repo.root, ['push']) // the branch too (xv run --tag pushed the tags)
  expect(push.exitCode, push.stderr).toBe(0)
  execFileSync('git', ['symbolic-ref', 'HEAD', 'refs/heads/main'], {cwd: repo.gitRemote}) // as on a hosting service
  clone = join(repo.base, 'clone')
  execFileSync('git', ['clone', '-q', repo.gitRemote, clone])
  execFileSync('dvc', ['pull', '-q'], {cwd: clone})
}, 180_000)
afterAll(() => repo.cleanup())

describe('runs in a fresh clone', () => {
  it('lists and shows the runs with their rows and logs; the retraction travelled too', async () => {
    expect(ran.map((r) => [r.version, r.status])).toEqual([['e0.1.0', 'completed'], ['e0.2.0', 'completed']])
    const listed = await json<{runs: Array<{run_id: string; status: string; version: string}>}>(clone, ['runs'])
    expect(listed.runs.map((r) => [r.run_id, r.status, r.version]).sort()).toEqual(ran.map((r) => [r.runId, 'completed', r.version]).sort())

    const first = ran[0]!
    const shown = await json<{run: {log_path: string}; rows: Array<{f1: number}>; inputs: unknown[]}>(clone, ['runs', 'show', first.runId])
    expect(shown.rows.map((r) => r.f1)).toEqual([0.8])
    expect(shown.inputs).toHaveLength(1)
    expect(gunzipSync(readFileSync(join(clone, shown.run.log_path))).toString()).toContain(`trained ${first.version}`)

    const list = await json<{experiments: Array<{version: string}>}>(clone, ['list'])
    expect(list.experiments.map((e) => e.version)).toEqual([first.version])
    expect(await json<{run: string}>(clone, ['best', 'f1'])).toMatchObject({run: first.runId, value: 0.8})
    expect(await json<{run: string}>(clone, ['best', 'f1', '--all'])).toMatchObject({run: ran[1]?.runId, value: 0.9})
  })
})
