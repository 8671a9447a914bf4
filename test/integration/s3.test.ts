/**
 * A real S3-compatible remote (moto in server mode + dvc-s3): tag, push, get from the remote with
 * an empty cache, show, worktree remove and doctor — then the same with the server stopped (one
 * clear line each, nothing hangs; doctor says unreachable) and with a server that accepts
 * connections but never answers (the inactivity timeout, C1/C2/B5).
 */
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeRepo, xv, type TestRepo, type XvResult} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'
import {s3RemoteArgs, startBlackHole, startS3, type S3Server} from '../helpers/s3.js'

const MODEL = 'models/production/model.bin'
let s3: S3Server
let repo: TestRepo

function expectOneLineError(res: XvResult, what: string): string {
  expect(res.exitCode, `${what}: ${res.stderr}`).not.toBe(0)
  const lines = res.stderr.trim().split('\n')
  expect(lines, `${what}: ${res.stderr}`).toHaveLength(1)
  expect(lines[0], what).toMatch(/^xv: error: /)
  expect(res.stderr, what).not.toContain('Having any troubles')
  return lines[0]!
}

async function timed(cwd: string, args: string[]): Promise<XvResult & {seconds: number}> {
  const start = Date.now()
  const res = await xv(cwd, args)
  return {...res, seconds: (Date.now() - start) / 1000}
}

beforeAll(async () => {
  s3 = await startS3()
  await s3.createBucket('xv-test')
  repo = makeRepo({dvcRemote: false, xvYaml: 'artifacts: [results/experiments.db, models/production/model.bin]\nremoteTimeout: 60\n'})
  for (const args of s3RemoteArgs('s3', 'xv-test', s3.endpoint)) repo.dvc(...args)
  repo.git('add', '-A')
  repo.git('commit', '-q', '-m', 'S3 remote')
})

afterAll(async () => {
  await s3?.stop()
  repo?.cleanup()
})

describe('an S3 remote (moto server)', () => {
  it('xv tag pushes to S3', async () => {
    for (const [v, byte] of [['e0.1.0', 1], ['e0.2.0', 2]] as const) {
      repo.write(MODEL, Buffer.alloc(50_000, byte))
      writeRuns(join(repo.root, 'results/experiments.db'), [{version: v, trackId: `r-${v}`, f1: 0.5 + byte / 10}])
      const tag = await xv(repo.root, ['tag', v, '-m', `run ${v}`])
      expect(tag.exitCode, tag.stderr).toBe(0)
      expect(tag.stderr).not.toMatch(/push.*failed/)
    }
  })

  it('push verifies the objects in S3; doctor contacts it', async () => {
    const push = await xv(repo.root, ['push', 'e0.1.0', 'e0.2.0', '--json'])
    expect(push.exitCode, push.stderr).toBe(0)
    expect(JSON.parse(push.stdout).verifiedObjects).toBeGreaterThanOrEqual(4)

    const doctor = await xv(repo.root, ['doctor', '--json'])
    const checks = JSON.parse(doctor.stdout).checks as Array<{name: string; status: string; detail: string}>
    const remote = checks.find((c) => c.name === 'dvc remote')!
    expect(remote.status, remote.detail).toBe('ok')
    expect(remote.detail).toMatch(/^s3 → s3:\/\/xv-test\/store \(reachable; \d+ object\(s\) of HEAD and 2 tag\(s\) checked\)$/)
    expect(checks.filter((c) => c.name === 'objects')).toEqual([])
  })

  it('get from the remote with an empty cache; show', async () => {
    rmSync(join(repo.root, '.dvc', 'cache'), {recursive: true, force: true})
    const out = join(repo.base, 'old.bin')
    const get = await xv(repo.root, ['get', 'e0.1.0', MODEL, '-o', out])
    expect(get.exitCode, get.stderr).toBe(0)
    expect(readFileSync(out)).toEqual(Buffer.alloc(50_000, 1))

    const show = await xv(repo.root, ['show', 'e0.1.0'])
    expect(show.exitCode, show.stderr).toBe(0)
    expect(show.stdout).toContain(MODEL)
  })

  it('worktree new and remove (the remote holds every tagged object)', async () => {
    const created = await xv(repo.root, ['worktree', 'new', 'b'])
    expect(created.exitCode, created.stderr).toBe(0)
    const removed = await xv(repo.root, ['worktree', 'remove', 'b'])
    expect(removed.exitCode, removed.stderr).toBe(0)
  })

  it('with the server stopped: push says why in one line', async () => {
    repo.write(MODEL, Buffer.alloc(50_000, 3))
    const tag = await xv(repo.root, ['tag', 'e0.3.0', '--no-push'])
    expect(tag.exitCode, tag.stderr).toBe(0)
    await s3.stop()

    const push = await timed(repo.root, ['push', 'e0.3.0'])
    const pushLine = expectOneLineError(push, 'push')
    expect(pushLine).toMatch(/dvc push failed: Could not connect to the endpoint URL: "http:\/\/127\.0\.0\.1:\d+/)
    expect(push.seconds).toBeLessThan(90)
  })

  it('with the server stopped: get, show, worktree remove and doctor each say so in one line; nothing hangs', async () => {
    rmSync(join(repo.root, '.dvc', 'cache'), {recursive: true, force: true})
    const get = await timed(repo.root, ['get', 'e0.1.0', MODEL, '-o', join(repo.base, 'down.bin')])
    expectOneLineError(get, 'get')
    expect(get.seconds).toBeLessThan(90)

    const show = await timed(repo.root, ['show', 'e0.1.0'])
    if (show.exitCode !== 0) expectOneLineError(show, 'show')
    expect(show.seconds).toBeLessThan(90)

    const created = await xv(repo.root, ['worktree', 'new', 'c', '--from', 'e0.3.0'])
    if (created.exitCode === 0) {
      const refused = await timed(repo.root, ['worktree', 'remove', 'c'])
      if (refused.exitCode !== 0) expectOneLineError(refused, 'worktree remove')
      const forced = await timed(repo.root, ['worktree', 'remove', 'c', '--force'])
      expect(forced.exitCode, forced.stderr).toBe(0)
      expect(forced.seconds).toBeLessThan(90)
    } else expectOneLineError(created, 'worktree new')

    const doctor = await timed(repo.root, ['doctor', '--json'])
    expect(doctor.exitCode).toBe(1)
    const checks = JSON.parse(doctor.stdout).checks as Array<{name: string; status: string; detail: string}>
    const remote = checks.find((c) => c.name === 'dvc remote')!
    expect(remote.status).toBe('fail')
    expect(remote.detail).toMatch(/^s3 → s3:\/\/xv-test\/store: DVC remote 's3' \(s3:\/\/xv-test\/store\) is unreachable: .*(connect|Connect)/)
    expect(doctor.seconds).toBeLessThan(90)
  })

  it('a remote that accepts connections and never answers: push and doctor give up after remoteTimeout without progress', async () => {
    const hole = await startBlackHole()
    try {
      repo.write('xv.yaml', 'artifacts: [results/experiments.db, models/production/model.bin]\nremoteTimeout: 5\n')
      repo.dvc('remote', 'modify', 's3', 'endpointurl', hole.endpoint)
      const push = await timed(repo.root, ['push', 'e0.3.0'])
      const line = expectOneLineError(push, 'push (hung remote)')
      expect(line).toContain("dvc push gave up: no progress for 5 s (DVC remote 's3' (s3://xv-test/store) is not answering)")
      expect(push.seconds).toBeLessThan(60)

      const doctor = await timed(repo.root, ['doctor', '--json'])
      expect(doctor.exitCode).toBe(1)
      const checks = JSON.parse(doctor.stdout).checks as Array<{name: string; status: string; detail: string}>
      const remote = checks.find((c) => c.name === 'dvc remote')!
      expect(remote.status).toBe('fail')
      expect(remote.detail).toContain('no progress for 5 s')
      expect(doctor.seconds).toBeLessThan(60)
    } finally {
      await hole.stop()
    }
  })
})
