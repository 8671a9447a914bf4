/**
 * What `xv run` records, end to end (issue 10): provenance (commit, branch, worktree, dirty flag and
 * diff hash, xv / pip hash, host, params files), inputs at start and outputs after, rows found by
 * the run's time window when they do not carry XV_RUN_ID (xetrack's local-time timestamps, in a
 * time zone far from UTC), `runs --input PATH|HASH`, lineage of the run's input and output, and a
 * re-run that warns when the params changed. Real git, DVC and xetrack.
 */
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {PROJECT_ROOT, makeRepo, xv, type TestRepo} from '../helpers/repo.js'

/** Trains "a model" from params.yaml; its xetrack row carries the version but not XV_RUN_ID. */
const TRAIN = `
import os, yaml
from xetrack import Tracker
lr = yaml.safe_load(open('params.yaml'))['lr']
os.makedirs('models', exist_ok=True)
open('models/model.bin', 'w').write(f'model lr={lr}')
Tracker(db='results/experiments.db', table='metrics', params={'version': os.environ['XV_VERSION']}).log({'lr': lr, 'f1': 0.5 + lr})
`

const TZ = {TZ: 'Asia/Tokyo'} // xetrack writes datetime.now(): nine hours off UTC here

interface Shown {
  run: Record<string, unknown> & {params: Record<string, string>}
  inputs: Array<{path: string; md5: string}>
  outputs: Array<{path: string; md5: string}>
  rows: Array<Record<string, unknown>>
}

let repo: TestRepo
let first: {runId: string; version: string}

async function json<T>(args: string[], env: Record<string, string> = {}): Promise<T> {
  const res = await xv(repo.root, args, env)
  expect(res.exitCode, res.stderr).toBe(0)
  return JSON.parse(res.stdout) as T
}

const md5 = (path: string) => createHash('md5').update(readFileSync(join(repo.root, path))).digest('hex')

beforeAll(async () => {
  repo = makeRepo({xvYaml: 'artifacts: [results/experiments.db, models/model.bin]\nmetrics: [f1]\n', gitRemote: false})
  repo.write('.gitignore', '/models\n')
  repo.write('params.yaml', 'lr: 0.01\n')
  repo.write('train.py', TRAIN)
  repo.write('data/train.csv', 'x,y\n1,2\n')
  repo.dvc('add', '-q', 'data')
  repo.git('add', '-A')
  repo.git('commit', '-q', '-m', 'project')
  first = await json(['run', '--json', '--', 'python', 'train.py'], TZ)
}, 120_000)
afterAll(() => repo.cleanup())

describe('xv run records where a run came from, what it read and what it made', () => {
  it('provenance, params, inputs and outputs; rows by time window in Asia/Tokyo', async () => {
    const shown = await json<Shown>(['runs', 'show', first.runId, '--json'], TZ)
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {version: string}
    expect(shown.run).toMatchObject({
      status: 'completed', commit_sha: repo.git('rev-parse', 'HEAD').trim(), branch: 'main', worktree: repo.root,
      dirty: 0, diff_hash: null, host: hostname(), xv_version: pkg.version, params: {'params.yaml': 'lr: 0.01\n'},
    })
    expect(shown.run.pip_hash).toMatch(/^[0-9a-f]{16}$/)
    const dataMd5 = /md5: (\S+)/.exec(readFileSync(join(repo.root, 'data.dvc'), 'utf8'))?.[1]
    expect(shown.inputs.map((i) => [i.path, i.md5])).toEqual([['data', dataMd5]])
    expect(shown.outputs.map((o) => [o.path, o.md5])).toEqual([['models/model.bin', md5('models/model.bin')]])
    expect(shown.rows.map((r) => [r.version, r.f1])).toEqual([[first.version, 0.51]]) // not by track_id: by its window

    type Listed = {runs: Array<{run_id: string}>}
    expect((await json<Listed>(['runs', '--input', 'data', '--json'])).runs.map((r) => r.run_id)).toEqual([first.runId])
    expect((await json<Listed>(['runs', '--input', String(dataMd5), '--json'])).runs.map((r) => r.run_id)).toEqual([first.runId])

    type Lineage = {runs: Array<{run_id: string; role: string}>}
    const made = await json<Lineage>(['lineage', '--hash', md5('models/model.bin'), '--json'])
    expect(made.runs).toEqual([expect.objectContaining({run_id: first.runId, role: 'output'})])
    const read = await json<Lineage>(['lineage', '--hash', String(dataMd5), '--json'])
    expect(read.runs).toEqual([expect.objectContaining({run_id: first.runId, role: 'input'})])
  })

  it('a changed tracked file makes the run dirty with a hash of the diff; a re-run with other params says so', async () => {
    repo.write('params.yaml', 'lr: 0.02\n')
    const dirty = await json<{runId: string}>(['run', '--json', '--', 'python', 'train.py'])
    const a = (await json<Shown>(['runs', 'show', dirty.runId, '--json'])).run
    expect(a).toMatchObject({dirty: 1, params: {'params.yaml': 'lr: 0.02\n'}})
    expect(a.diff_hash).toMatch(/^[0-9a-f]{16}$/)

    repo.write('params.yaml', 'lr: 0.03\n')
    const rerun = await xv(repo.root, ['run', '--rerun', dirty.runId, '--json'])
    expect(rerun.exitCode, rerun.stderr).toBe(0)
    const report = JSON.parse(rerun.stdout) as {runId: string; rerunOf: string; warnings: string[]}
    expect(report).toMatchObject({rerunOf: dirty.runId, warnings: [`params changed since ${dirty.runId}: params.yaml`]})
    expect(rerun.stderr).toContain(`params changed since ${dirty.runId}: params.yaml`)
    const b = (await json<Shown>(['runs', 'show', report.runId, '--json'])).run
    expect(b).toMatchObject({dirty: 1, rerun_of: dirty.runId})
    expect(b.diff_hash).toMatch(/^[0-9a-f]{16}$/)
    expect(b.diff_hash).not.toBe(a.diff_hash)
  })
})
