/**
 * `xv doctor` tells the truth: remotes contacted (C2), objects missing from the remote, an
 * unpushed branch, an untagged experiment commit (B2), stale temp files (B3), half-made
 * worktrees, dvc.yaml naming another database than xv.yaml (E13). `--json` exits non-zero when
 * something fails.
 */
import {mkdirSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {makeExperimentRepo} from '../helpers/experiment-repo.js'
import {copyRepo, xv, type TestRepo} from '../helpers/repo.js'

interface Check {
  name: string
  status: 'ok' | 'warn' | 'fail'
  detail: string
  fix?: string
}

const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()!.cleanup()
})

let fixture: TestRepo
beforeAll(async () => {
  // Tagged e0.1.0 and pushed (DVC remote + origin), as after a first `xv tag`.
  fixture = await makeExperimentRepo()
  fixture.git('push', '-q', '-u', 'origin', 'main')
})
afterAll(() => fixture.cleanup())

function project(): TestRepo {
  const repo = copyRepo(fixture)
  repo.git('fetch', '-q', 'origin')
  // The copy's DVC remote is the fixture's absolute path: point it at the copy's own.
  repo.dvc('remote', 'modify', 'storage', 'url', repo.dvcRemote)
  repos.push(repo)
  return repo
}

async function doctor(repo: TestRepo): Promise<{exitCode: number; checks: Check[]; ok: boolean}> {
  const res = await xv(repo.root, ['doctor', '--json'])
  const doc = JSON.parse(res.stdout) as {checks: Check[]; ok: boolean}
  return {exitCode: res.exitCode, checks: doc.checks, ok: doc.ok}
}

function find(checks: Check[], name: string, status?: Check['status']): Check | undefined {
  return checks.find((c) => c.name === name && (status === undefined || c.status === status))
}

describe('xv doctor', () => {
  it('all good on a published project: the remote is contacted and holds every object', async () => {
    const repo = project()
    const res = await doctor(repo)
    expect(res.checks.filter((c) => c.status !== 'ok'), JSON.stringify(res.checks)).toEqual([])
    expect(res.exitCode).toBe(0)
    const remote = find(res.checks, 'dvc remote')!
    expect(remote.detail).toMatch(/reachable; \d+ object\(s\) of HEAD and 1 tag\(s\) checked/)
    expect(JSON.stringify(res.checks)).not.toContain('not contacted')
  })

  it('a DVC remote that is gone is a failure, not "all good" (exit 1 with --json)', async () => {
    const repo = project()
    renameSync(repo.dvcRemote, `${repo.dvcRemote}-away`)
    const res = await doctor(repo)
    expect(res.exitCode).toBe(1)
    expect(res.ok).toBe(false)
    const remote = find(res.checks, 'dvc remote', 'fail')!
    expect(remote.detail).toContain('unreachable: the directory does not exist')
    const human = await xv(repo.root, ['doctor'])
    expect(human.stdout).not.toContain('all good')
  })

  it('objects missing from the remote: in the cache (xv push fixes it) and in neither (lost)', async () => {
    const repo = project()
    repo.write('models/production/model.bin', Buffer.alloc(5000, 7))
    const tag = await xv(repo.root, ['tag', 'e0.2.0', '--no-push'])
    expect(tag.exitCode, tag.stderr).toBe(0)
    let res = await doctor(repo)
    const notPushed = find(res.checks, 'objects', 'warn')!
    expect(notPushed.detail).toMatch(/only in the local cache, not in remote 'storage'.*models\/production\/model\.bin at (HEAD|e0\.2\.0)/)
    expect(notPushed.fix).toBe('xv push e0.2.0')
    expect(find(res.checks, 'tags', 'warn')!.detail).toContain('e0.2.0')

    rmSync(join(repo.root, '.dvc', 'cache'), {recursive: true, force: true})
    res = await doctor(repo)
    expect(res.exitCode).toBe(1)
    expect(find(res.checks, 'objects', 'fail')!.detail).toMatch(/in neither the local cache nor remote 'storage'/)
  })

  it('an unpushed branch, an untagged experiment commit, stale temp files, half-made worktrees', async () => {
    const repo = project()
    repo.git('checkout', '-q', '-b', 'feature')
    repo.write('notes.txt', 'x\n')
    repo.git('add', 'notes.txt')
    repo.git('commit', '-q', '-m', 'experiment: e0.3.0 - killed before its tag')
    // A get killed mid-copy (its pid is gone) and one still running (this test's pid).
    writeFileSync(join(repo.root, 'models', '.model.bin.xv-tmp-999999-abcd'), 'partial')
    writeFileSync(join(repo.root, 'models', `.other.bin.xv-tmp-${process.pid}-abcd`), 'in progress')
    // A worktree whose folder was removed by hand (a killed `worktree new` leaves such records).
    const half = join(repo.base, 'exp-half')
    repo.git('worktree', 'add', '-q', '-b', 'exp/half', half)
    rmSync(half, {recursive: true, force: true})

    const res = await doctor(repo)
    expect(find(res.checks, 'branch', 'warn')!.detail).toContain('feature is not on origin')
    const head = find(res.checks, 'HEAD', 'warn')!
    expect(head.detail).toContain('experiment: e0.3.0')
    expect(head.fix).toBe('tag it as it is: xv tag e0.3.0 --no-commit (or undo it: git reset --soft HEAD^)')
    const temp = find(res.checks, 'temp files', 'warn')!
    expect(temp.detail).toContain('.model.bin.xv-tmp-999999-abcd')
    expect(temp.detail).not.toContain('.other.bin')
    const worktrees = find(res.checks, 'worktrees', 'warn')!
    expect(worktrees.detail).toContain(half)
    expect(worktrees.fix).toContain('git worktree prune')
  })

  it('E13: dvc.yaml naming another result database than xv.yaml is flagged', async () => {
    const repo = project()
    mkdirSync(join(repo.root, 'results'), {recursive: true})
    repo.write('xv.yaml', 'db: results/runs.db\n')
    repo.write('dvc.yaml', 'stages:\n  merge:\n    cmd: xv merge a.db --into results/experiments.db\n    outs:\n      - results/experiments.db:\n          persist: true\n')
    const res = await doctor(repo)
    expect(res.exitCode).toBe(1)
    const check = find(res.checks, 'dvc.yaml', 'fail')!
    expect(check.detail).toContain("write results/experiments.db but xv.yaml's db is results/runs.db")
  })
})
