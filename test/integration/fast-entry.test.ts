// The oclif-free fast entry (src/fast-entry.ts) must be invisible: for every command it serves, the
// same command line prints the same stdout and stderr and exits with the same code as under oclif
// (XV_NO_FAST_ENTRY=1), for results, --json, errors of the domain and errors of the command line.
import {copyFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {xv, type TestRepo} from '../helpers/repo.js'
import {makeRunsRepo} from '../helpers/runs-repo.js'

let repo: TestRepo
beforeAll(async () => {
  repo = makeRunsRepo()
  for (const [lr, f1] of [['0.1', '0.7'], ['0.01', '0.9']]) {
    const res = await xv(repo.root, ['run', '--tag', '-m', `lr ${lr}`, '--no-push', '--', 'python', 'train.py', lr, f1])
    expect(res.exitCode, res.stderr).toBe(0)
  }

  copyFileSync(join(repo.root, 'results', 'experiments.db'), join(repo.root, 'results', 'copy.db')) // a merge source (dry runs only)
}, 120_000)
afterAll(() => repo.cleanup())

const lines: string[][] = [
  ['list'],
  ['list', '--json'],
  ['list', '--sort', 'f1', '--limit', '1', '--columns', 'version,f1'],
  ['list', '--where', 'f1>0.8', '--md'],
  ['list', '--limit', 'abc'],
  ['list', '--bogus'],
  ['list', '--md', '--csv', '--json'],
  ['best', 'f1'],
  ['best', 'f1', '--json'],
  ['best', 'nosuch', '--json'],
  ['best', 'f1', '--min', '--max'],
  ['best'],
  ['runs'],
  ['runs', '--json', '--status', 'completed', '--limit', '1'],
  ['runs', '--where', 'bad'],
  ['runs', 'show', 'r-none'],
  ['runs', 'show'],
  ['run', '--version', 'e0.1.0', '--', 'true'],
  ['run', '--json'],
  ['merge'],
  ['merge', 'results/copy.db', '--dry-run'],
  ['merge', 'results/copy.db', '--table', 'metrics', '--dry-run', '--json'],
  ['merge', 'nosuch', '--json'],
  ['merge', '--restore', 'x.bak', '--yes'],
  ['merge', 'a.db', '--strategy', 'bogus'],
]

describe('the fast entry answers like oclif', () => {
  it.each(lines)('xv %s …', async (...args) => {
    const viaOclif = await xv(repo.root, args, {XV_NO_FAST_ENTRY: '1'})
    const fast = await xv(repo.root, args)
    expect(fast).toEqual(viaOclif)
  })

  it('runs show of a real run is the same', async () => {
    const runs = JSON.parse((await xv(repo.root, ['runs', '--json'])).stdout) as {runs: Array<{run_id: string}>}
    const id = runs.runs[0]?.run_id ?? ''
    expect(id).not.toBe('')
    expect(await xv(repo.root, ['runs', 'show', id])).toEqual(await xv(repo.root, ['runs', 'show', id], {XV_NO_FAST_ENTRY: '1'}))
  })
})
