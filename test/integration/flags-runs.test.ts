/**
 * The flags of the run commands that no other test file exercises (test/unit/flag-coverage.test.ts
 * lists them): run --bump; runs --version/--since/--until/--commit/--where/--limit; best
 * --min/--max/--version/--where. Three real runs (xetrack rows) in one repository.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {xv, type TestRepo} from '../helpers/repo.js'
import {makeRunsRepo} from '../helpers/runs-repo.js'

interface Ran {
  runId: string
  version: string
  status: string
}

let repo: TestRepo
const ran: Record<string, Ran> = {}

async function json<T>(args: string[]): Promise<T> {
  const end = args.indexOf('--') // the command after `--` is not xv's
  const res = await xv(repo.root, end < 0 ? [...args, '--json'] : [...args.slice(0, end), '--json', ...args.slice(end)])
  expect(res.exitCode, res.stderr).toBe(0)
  return JSON.parse(res.stdout) as T
}

beforeAll(async () => {
  repo = makeRunsRepo()
  // lr and f1 per run (train.py LR F1 writes loss = 1 - f1).
  ran.a = await json<Ran>(['run', '--name', 'a', '--', 'python', 'train.py', '0.001', '0.8'])
  ran.b = await json<Ran>(['run', '--name', 'b', '--', 'python', 'train.py', '0.01', '0.9'])
  ran.c = await json<Ran>(['run', '--name', 'c', '--bump', 'major', '--', 'python', 'train.py', '0.1', '0.7'])
}, 240_000)
afterAll(() => repo?.cleanup())

describe('run', () => {
  it('--bump claims the next free version with that part bumped', () => {
    expect(ran.a?.version).toBe('e0.1.0')
    expect(ran.c?.version).toBe('e1.0.0')
    for (const r of Object.values(ran)) expect(r.status).toBe('completed')
  })
})

describe('runs', () => {
  type Listed = {runs: Array<{run_id: string; name: string; version: string}>; total: number}
  const ids = async (args: string[]) => (await json<Listed>(args)).runs.map((r) => r.name).sort()

  it('--version, --where and --limit', async () => {
    expect(await ids(['runs', '--version', 'e1.0.0'])).toEqual(['c'])
    expect(await ids(['runs', '--version', ran.b?.version ?? ''])).toEqual(ran.b?.version === 'e0.1.0' ? ['a', 'b'] : ['b'])
    expect(await ids(['runs', '--where', 'name=b'])).toEqual(['b'])
    const limited = await json<Listed>(['runs', '--limit', '1'])
    expect(limited.runs).toHaveLength(1)
    expect(limited.total).toBe(3)
  })

  it('--since, --until and --commit', async () => {
    expect(await ids(['runs', '--since', '2000-01-01'])).toEqual(['a', 'b', 'c'])
    expect(await ids(['runs', '--since', '2999-01-01'])).toEqual([])
    expect(await ids(['runs', '--until', '2000-01-01'])).toEqual([])
    expect(await ids(['runs', '--until', '2999-12-31'])).toEqual(['a', 'b', 'c'])
    const head = repo.git('rev-parse', 'HEAD').trim()
    expect(await ids(['runs', '--commit', head.slice(0, 8)])).toEqual(['a', 'b', 'c'])
    expect(await ids(['runs', '--commit', head.startsWith('0000') ? 'ffffffff' : '0000000'])).toEqual([])
  })
})

describe('best', () => {
  type Best = {value: number; version: string; direction: string}

  it('--min / --max override the direction the metric name implies', async () => {
    expect(await json<Best>(['best', 'f1'])).toMatchObject({value: 0.9, direction: 'higher'})
    expect(await json<Best>(['best', 'f1', '--min'])).toMatchObject({value: 0.7, direction: 'lower'})
    expect(await json<Best>(['best', 'loss'])).toMatchObject({value: 0.1, direction: 'lower'})
    expect(await json<Best>(['best', 'loss', '--max'])).toMatchObject({value: 0.3, direction: 'higher'})
  })

  it('--version and --where narrow the rows', async () => {
    expect(await json<Best>(['best', 'f1', '--version', 'e1.0.0'])).toMatchObject({value: 0.7, version: 'e1.0.0'})
    expect(await json<Best>(['best', 'f1', '--where', 'lr=0.001'])).toMatchObject({value: 0.8, version: 'e0.1.0'})
  })
})
