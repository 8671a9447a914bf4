/**
 * A3, A9, C6, E14: what `xv push` publishes is what a teammate's clone needs, and it says so only
 * when the remote really holds it.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync, renameSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {copyRepo, makeRepo, xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'

const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()!.cleanup()
})

const MODEL = 'models/production/model.bin'

/** A project (xv init --remote ../store) with two tagged versions, nothing pushed yet. */
async function makeTwoVersions(): Promise<TestRepo> {
  const repo = makeRepo({dvc: false, dvcRemote: false, commit: false})
  const init = await xv(repo.root, ['init', '--remote', '../store'])
  expect(init.exitCode, init.stderr).toBe(0)
  for (const [v, byte, f1] of [['e0.1.0', 1, 0.5], ['e0.2.0', 2, 0.7]] as const) {
    repo.write(MODEL, Buffer.alloc(20_000, byte))
    writeRuns(join(repo.root, 'results/experiments.db'), [{version: v, trackId: `r-${v}`, f1}])
    const tag = await xv(repo.root, ['tag', v, '--no-push', '-m', `run ${v}`])
    expect(tag.exitCode, tag.stderr).toBe(0)
  }

  return repo
}

let fixture: TestRepo
beforeAll(async () => {
  fixture = await makeTwoVersions()
})
afterAll(() => fixture.cleanup())

/** A private copy of the two-version project. */
function twoVersions(): TestRepo {
  const repo = copyRepo(fixture)
  repos.push(repo)
  return repo
}

function clone(repo: TestRepo, name: string, ...flags: string[]): string {
  const dir = join(repo.base, name)
  execFileSync('git', ['clone', '-q', ...flags, repo.gitRemote, dir], {stdio: 'pipe'})
  return dir
}

describe('a teammate\'s clone (A3)', () => {
  let pushed: TestRepo
  let pushedReport: {gitPushed: string[]; branch?: string; verifiedObjects: number}
  beforeAll(async () => {
    pushed = copyRepo(fixture)
    const push = await xv(pushed.root, ['push', '--json'])
    expect(push.exitCode, push.stderr).toBe(0)
    pushedReport = JSON.parse(push.stdout) as typeof pushedReport
  })
  afterAll(() => pushed.cleanup())

  it('xv push publishes the branch (upstream set) with the tags; a clone with an unborn HEAD still lists them', async () => {
    expect(pushedReport.gitPushed.sort()).toEqual(['e0.1.0', 'e0.2.0'])
    expect(pushedReport.branch).toBe('main → origin/main')
    expect(pushedReport.verifiedObjects).toBeGreaterThanOrEqual(4)
    expect(pushed.git('ls-remote', '--heads', 'origin')).toContain('refs/heads/main')
    expect(pushed.git('rev-parse', '--abbrev-ref', 'main@{upstream}').trim()).toBe('origin/main')

    // A clone whose origin HEAD names a branch never pushed (git init --bare's default) has an
    // unborn HEAD: commands that read versions still work.
    const unborn = clone(pushed, 'unborn')
    const listed = await xv(unborn, ['list'])
    expect(listed.exitCode, listed.stderr).toBe(0)
    expect(listed.stdout).toContain('e0.2.0')
  })

  for (const [name, flags] of [['with a checkout', []], ['without a checkout (--no-checkout)', ['--no-checkout']]] as const) {
    it(`list, show, diff and get work in a fresh clone ${name} (get from the DVC remote)`, async () => {
      // As on a hosting service: origin's HEAD is the pushed branch.
      execFileSync('git', ['symbolic-ref', 'HEAD', 'refs/heads/main'], {cwd: pushed.gitRemote})
      const dir = clone(pushed, flags.length > 0 ? 'no-checkout' : 'checkout', ...flags)
      expect(existsSync(join(dir, '.dvc', 'config'))).toBe(flags.length === 0)

      const list = await xv(dir, ['list', '--json'])
      expect(list.exitCode, list.stderr).toBe(0)
      expect(list.stdout).toContain('e0.1.0')
      expect(list.stdout).toContain('e0.2.0')

      const show = await xv(dir, ['show', 'e0.1.0'])
      expect(show.exitCode, show.stderr).toBe(0)
      expect(show.stdout).toContain('e0.1.0')

      const diff = await xv(dir, ['diff', 'e0.1.0', 'e0.2.0'])
      expect(diff.exitCode, diff.stderr).toBe(0)

      const out = join(dir, '..', `${dir.split('/').pop()}-model.bin`)
      const get = await xv(dir, ['get', 'e0.1.0', MODEL, '-o', out])
      expect(get.exitCode, get.stderr).toBe(0)
      expect(readFileSync(out)).toEqual(Buffer.alloc(20_000, 1))
    })
  }
})

describe('xv push and the branch', () => {
  it('pushes the branch even when every tag is already on origin (xv tag pushed them)', async () => {
    const repo = twoVersions()
    repo.git('push', '-q', 'origin', 'e0.1.0', 'e0.2.0')
    const push = await xv(repo.root, ['push'])
    expect(push.exitCode, push.stderr).toBe(0)
    expect(push.stdout).toContain('nothing to push')
    expect(push.stdout).toContain('branch main → origin/main')
    expect(repo.git('ls-remote', '--heads', 'origin')).toContain('refs/heads/main')
  })
})

describe('xv push checks the remote instead of trusting a quiet exit (A9)', () => {
  it('an object in neither the cache nor the remote is an error naming it; no tag is pushed', async () => {
    const repo = twoVersions()
    rmSync(join(repo.root, '.dvc', 'cache'), {recursive: true, force: true})
    const res = await xv(repo.root, ['push', 'e0.2.0'])
    expect(res.exitCode).toBe(1)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(res.stderr).toMatch(/in neither the local cache nor DVC remote 'storage'/)
    expect(res.stderr).toContain(`${MODEL} at e0.2.0`)
    expect(res.stderr).not.toContain('✓')
    expect(repo.git('ls-remote', '--tags', 'origin')).not.toContain('e0.2.0')
  })
})

describe('remote URLs mean the same place wherever xv runs (C6, E14)', () => {
  it('init --remote ../store records it relative, as DVC does; moving the folder holding project and store keeps get working (temporary worktree, empty cache)', async () => {
    const repo = twoVersions()
    expect(readFileSync(join(repo.root, '.dvc', 'config'), 'utf8')).toMatch(/url = \.\.\/\.\.\/store\n/)
    const push = await xv(repo.root, ['push'])
    expect(push.exitCode, push.stderr).toBe(0)

    const moved = `${repo.base}-moved`
    renameSync(repo.base, moved)
    repos.push({...repo, cleanup: () => rmSync(moved, {recursive: true, force: true})})
    const root = join(moved, 'repo')
    rmSync(join(root, '.dvc', 'cache'), {recursive: true, force: true})
    const out = join(moved, 'old.bin')
    // e0.1.0 is not HEAD: xv fetches it in a temporary worktree elsewhere (in /tmp).
    const get = await xv(root, ['get', 'e0.1.0', MODEL, '-o', out])
    expect(get.exitCode, get.stderr).toBe(0)
    expect(readFileSync(out)).toEqual(Buffer.alloc(20_000, 1))
    expect(existsSync(join(moved, 'store'))).toBe(true)
  })
})
