/**
 * A5: `xv tag` claims its version before anything changes (refs/xv/claims/V), in every worktree
 * at once and create-only on the git remote. Real git, real DVC, real concurrent processes.
 */
import {execFileSync} from 'node:child_process'
import {chmodSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {Git} from '../../src/adapters/git.js'
import {claimVersion} from '../../src/domain/claims.js'
import {parseVersion} from '../../src/domain/version.js'
import {makeRepo, repoState, xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'

const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()!.cleanup()
})

/** A repo tagged e0.1.0 (pushed) and a second worktree on branch `b`, both with a result row of e0.2.0. */
async function twoWorktrees(): Promise<{repo: TestRepo; wt: string}> {
  const repo = makeRepo({xvYaml: 'artifacts: [results/experiments.db]\n'})
  repos.push(repo)
  // e0.1.0 tagged and published by plain git (faster than a first xv tag).
  repo.git('tag', '-a', 'e0.1.0', '-m', 'base')
  repo.git('push', '-q', 'origin', 'main', 'e0.1.0')
  const wt = join(repo.base, 'wt-b')
  repo.git('worktree', 'add', '-q', '-b', 'b', wt)
  writeRuns(join(repo.root, 'results/experiments.db'), [{version: 'e0.2.0', f1: 0.8}])
  writeRuns(join(wt, 'results/experiments.db'), [{version: 'e0.2.0', f1: 0.9}])
  return {repo, wt}
}

const experimentCommits = (repo: TestRepo, rev: string) =>
  repo.git('log', '--format=%H %s', rev).split('\n').filter((l) => l.includes(' experiment: '))

describe('xv tag claims its version (A5)', () => {
  it('two xv tag at once in two worktrees, automatic versions: two different versions, no stray commit', async () => {
    const {repo, wt} = await twoWorktrees()
    const [a, b] = await Promise.all([xv(repo.root, ['tag', '-m', 'fromA', '--json']), xv(wt, ['tag', '-m', 'fromB', '--json'])])
    expect(a.exitCode, a.stderr).toBe(0)
    expect(b.exitCode, b.stderr).toBe(0)
    const versions = [JSON.parse(a.stdout).version, JSON.parse(b.stdout).version].sort()
    expect(versions).toEqual(['e0.2.0', 'e0.3.0'])
    // Every experiment commit is tagged; the claims were consumed locally and on the remote.
    for (const line of [...experimentCommits(repo, 'main'), ...experimentCommits(repo, 'b')]) {
      expect(repo.git('tag', '--points-at', line.split(' ')[0]!).trim()).not.toBe('')
    }

    expect(repo.git('for-each-ref', 'refs/xv/claims/')).toBe('')
    expect(repo.git('ls-remote', 'origin', 'refs/xv/claims/*')).toBe('')
    expect(repo.git('ls-remote', '--tags', 'origin')).toContain('refs/tags/e0.3.0')
  })

  it('the same explicit version at once: one tags it, the other fails cleanly with nothing changed', async () => {
    const {repo, wt} = await twoWorktrees()
    const wtGit = (...args: string[]) => execFileSync('git', args, {cwd: wt, encoding: 'utf8'})
    const beforeB = [wtGit('rev-parse', 'HEAD'), wtGit('status', '--porcelain')]
    const beforeA = [repo.git('rev-parse', 'HEAD'), repo.git('status', '--porcelain')]
    const [a, b] = await Promise.all([xv(repo.root, ['tag', 'e0.2.0', '-m', 'fromA']), xv(wt, ['tag', 'e0.2.0', '-m', 'fromB'])])
    expect([a.exitCode, b.exitCode].sort()).toEqual([0, 1])
    const loser = a.exitCode === 0 ? b : a
    expect(loser.stderr.trim().split('\n')).toHaveLength(1)
    expect(loser.stderr).toMatch(/xv: error: (e0\.2\.0 is claimed by|tag e0\.2\.0 already exists)/)
    // The loser's worktree is exactly as before: no commit, nothing staged.
    const after = a.exitCode === 0 ? [wtGit('rev-parse', 'HEAD'), wtGit('status', '--porcelain')] : [repo.git('rev-parse', 'HEAD'), repo.git('status', '--porcelain')]
    expect(after).toEqual(a.exitCode === 0 ? beforeB : beforeA)
    expect(repo.git('for-each-ref', 'refs/xv/claims/')).toBe('')
  })

  it('a version claimed by another worktree: explicit fails with nothing changed, automatic takes the next free one', async () => {
    const {repo, wt} = await twoWorktrees()
    const git = new Git(wt)
    await claimVersion(git, {version: parseVersion('e0.2.0', 'e'), owner: {worktree: wt}, branch: 'b', by: 'next'})
    const before = repoState(repo)
    const explicit = await xv(repo.root, ['tag', 'e0.2.0', '--no-push'])
    expect(explicit.exitCode).toBe(1)
    expect(explicit.stderr.trim()).toMatch(/^xv: error: e0\.2\.0 is claimed by .*\(branch b, next at .*\); use another version \(see 'xv next'\)$/)
    expect(repoState(repo)).toBe(before)

    const auto = await xv(repo.root, ['tag', '--no-push', '--json'])
    expect(auto.exitCode, auto.stderr).toBe(0)
    expect(JSON.parse(auto.stdout).version).toBe('e0.3.0')

    // The owner (the worktree that claimed it, as after `xv next --claim`) tags it without naming it.
    const owner = await xv(wt, ['tag', '--no-push', '--json'])
    expect(owner.exitCode, owner.stderr).toBe(0)
    expect(JSON.parse(owner.stdout).version).toBe('e0.2.0')
    expect(repo.git('for-each-ref', 'refs/xv/claims/')).toBe('')
  })

  it("a claim another clone pushed to the remote is seen: xv fetches the remote's claims first", async () => {
    const {repo} = await twoWorktrees()
    // Another clone claims e0.2.0 on origin.
    const other = join(repo.base, 'other')
    execFileSync('git', ['clone', '-q', repo.gitRemote, other])
    await claimVersion(new Git(other), {version: parseVersion('e0.2.0', 'e'), owner: {worktree: other}, by: 'next'})
    execFileSync('git', ['push', '-q', 'origin', 'refs/xv/claims/e0.2.0:refs/xv/claims/e0.2.0'], {cwd: other})

    const explicit = await xv(repo.root, ['tag', 'e0.2.0'])
    expect(explicit.exitCode).toBe(1)
    expect(explicit.stderr).toMatch(/e0\.2\.0 is claimed by/)
    const auto = await xv(repo.root, ['tag', '--json'])
    expect(auto.exitCode, auto.stderr).toBe(0)
    expect(JSON.parse(auto.stdout).version).toBe('e0.3.0')
    // The other clone's claim is untouched on the remote.
    expect(repo.git('ls-remote', 'origin', 'refs/xv/claims/*')).toContain('refs/xv/claims/e0.2.0')
  })

  it("the tag's push refused after the claim was published: xv push publishes the tag and takes the remote claim away", async () => {
    const {repo} = await twoWorktrees()
    // The remote refuses tags for now (its pre-receive hook); claims and branches go through.
    const origin = repo.git('remote', 'get-url', 'origin').trim()
    const refuse = join(repo.base, 'refuse-tags')
    writeFileSync(refuse, '')
    const hook = join(origin, 'hooks', 'pre-receive')
    writeFileSync(hook, `#!/bin/sh\nwhile read old new ref; do case "$ref" in refs/tags/*) [ -e '${refuse}' ] && { echo "tags are closed" >&2; exit 1; } ;; esac; done\nexit 0\n`)
    chmodSync(hook, 0o755)
    const res = await xv(repo.root, ['tag', 'e0.2.0', '-m', 'refused'])
    expect(res.exitCode).not.toBe(0)
    expect(res.stderr).toContain('finish with: xv push e0.2.0')
    expect(repo.git('ls-remote', 'origin', 'refs/xv/claims/*')).toContain('refs/xv/claims/e0.2.0') // left by the refused push

    rmSync(refuse)
    const push = await xv(repo.root, ['push', 'e0.2.0'])
    expect(push.exitCode, push.stderr).toBe(0)
    expect(repo.git('ls-remote', '--tags', 'origin')).toContain('refs/tags/e0.2.0')
    expect(repo.git('ls-remote', 'origin', 'refs/xv/claims/*')).toBe('')
  })

  it('git remote unreachable: the claim stays local, xv warns, the tag is kept for xv push', async () => {
    const {repo} = await twoWorktrees()
    repo.git('remote', 'set-url', 'origin', join(repo.base, 'gone.git'))
    const res = await xv(repo.root, ['tag', '-m', 'offline'])
    expect(res.stderr).toContain("git remote 'origin' did not answer; the claim of e0.2.0 is local only")
    expect(res.stderr).toContain('finish with: xv push e0.2.0')
    expect(repo.git('tag', '-l', 'e0.2.0').trim()).toBe('e0.2.0')
    expect(repo.git('for-each-ref', 'refs/xv/claims/')).toBe('')
  })
})
