/**
 * `xv worktree new` under interruption and bad input (issue 8: B1, B2, E13): a real SIGINT to the xv
 * process at several points rolls everything back and says so in one line; a kill -9 leaves a
 * half-made worktree that the next run cleans and `findHalfMadeWorktrees` reports; a bad --cache is
 * refused before anything is created; any `db:` works.
 */
import {spawn} from 'node:child_process'
import {chmodSync, copyFileSync, existsSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {RepoContext} from '../../src/context.js'
import {findHalfMadeWorktrees} from '../../src/domain/half-made.js'
import {PROJECT_ROOT, XV_BIN, makeRepo, xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'
import {afterTest, fullState, project} from '../helpers/worktree-project.js'


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Starts `xv worktree new NAME`, waits until READY() holds, sends SIGNAL to the xv process only. */
async function interruptNew(repo: TestRepo, name: string, ready: () => boolean, signal: NodeJS.Signals): Promise<{code: number | null; stderr: string}> {
  const child = spawn('node', [XV_BIN, 'worktree', 'new', name], {cwd: repo.root, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']})
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const started = Date.now()
  while (!ready()) {
    if (child.exitCode !== null) throw new Error(`xv ended before the point was reached: ${stderr}`)
    if (Date.now() - started > 60_000) throw new Error('the point was never reached')
    await sleep(5)
  }

  child.kill(signal)
  return {code: await exited, stderr}
}

describe('xv worktree new: interrupted', () => {
  it('SIGINT during git worktree add and during dvc checkout rolls back fully, in one line; a re-run works', async () => {
    const repo = await project()
    const before = fullState(repo)
    // A post-checkout hook makes `git worktree add` last long enough to be interrupted inside it.
    const mark = join(repo.base, 'hook-ran')
    const hook = join(repo.root, '.git', 'hooks', 'post-checkout')
    writeFileSync(hook, `#!/bin/sh\ntouch '${mark}'\nsleep 3\n`)
    chmodSync(hook, 0o755)
    const inGit = await interruptNew(repo, 'x', () => existsSync(mark), 'SIGINT')
    expect(inGit.code, inGit.stderr).toBe(130)
    expect(inGit.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^xv: interrupted; rolled back: worktree .*exp-x, branch exp\/x$/)])
    writeFileSync(hook, '#!/bin/sh\n')
    const after = fullState(repo).replace(' hook-ran', '')
    expect(after).toBe(before)

    const wt = join(repo.base, 'exp-x')
    const inDvc = await interruptNew(repo, 'x', () => existsSync(join(wt, '.dvc', 'config.local')), 'SIGINT')
    expect(inDvc.code, inDvc.stderr).toBe(130)
    expect(inDvc.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^xv: interrupted; rolled back: worktree .*exp-x, branch exp\/x$/)])
    expect(fullState(repo).replace(' hook-ran', '')).toBe(before)

    const again = await xv(repo.root, ['worktree', 'new', 'x'])
    expect(again.exitCode, again.stderr).toBe(0)
    expect(existsSync(join(wt, 'models', 'production', 'model.bin'))).toBe(true)
  })

  it('SIGTERM during dvc checkout is respected the same way', async () => {
    const repo = await project()
    const before = fullState(repo)
    const wt = join(repo.base, 'exp-t')
    const res = await interruptNew(repo, 't', () => existsSync(join(wt, '.dvc', 'config.local')), 'SIGTERM')
    expect(res.code, res.stderr).toBe(130)
    expect(res.stderr).toMatch(/^xv: interrupted; rolled back: worktree /)
    expect(fullState(repo)).toBe(before)
  })

  it('kill -9 leaves a half-made worktree: findHalfMadeWorktrees reports it, the next run cleans it and succeeds', async () => {
    const repo = await project()
    const wt = join(repo.base, 'exp-k')
    const res = await interruptNew(repo, 'k', () => existsSync(join(wt, '.dvc', 'config.local')), 'SIGKILL')
    expect(res.code).toBeNull()
    await sleep(3000) // the orphaned dvc checkout finishes
    expect(existsSync(wt)).toBe(true)
    const ctx = await RepoContext.open(repo.root)
    const half = await findHalfMadeWorktrees(ctx)
    expect(half).toEqual([expect.objectContaining({path: wt, branch: 'exp/k', fix: 'xv worktree new k'})])

    const again = await xv(repo.root, ['worktree', 'new', 'k'])
    expect(again.exitCode, again.stderr).toBe(0)
    expect(again.stdout).toContain('left half-made by a killed run')
    expect(await findHalfMadeWorktrees(ctx)).toEqual([])
    expect(repo.git('-C', wt, 'symbolic-ref', '--short', 'HEAD').trim()).toBe('exp/k')
  })
})

describe('xv worktree new: inputs', () => {
  it('B1: a bad --cache is refused in one line before anything is created, promptly', async () => {
    const repo = await project()
    const before = fullState(repo)
    for (const cache of ['/proc/nonexistent', '/proc/nonexistent/deeper/cache', join(repo.root, 'README.md')]) {
      const started = Date.now()
      const res = await xv(repo.root, ['worktree', 'new', 'w', '--cache', cache])
      expect(Date.now() - started).toBeLessThan(30_000)
      expect(res.exitCode).not.toBe(0)
      expect(res.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^xv: error: the DVC cache ${cache} is not writable`))])
      expect(fullState(repo)).toBe(before)
    }
  })

  it("E13: worktree new and explore work with any db: (a dvc.yaml stage whose out was never produced is skipped)", async () => {
    const repo = makeRepo({xvYaml: 'db: results/runs.db\nartifacts: [results/runs.db, models/production/model.bin]\n'})
    afterTest(repo.cleanup)
    for (const f of ['dvc.yaml', 'params.yaml']) copyFileSync(join(PROJECT_ROOT, 'templates', f), join(repo.root, f))
    repo.write('models/production/model.bin', 'model v1')
    writeRuns(join(repo.root, 'results', 'runs.db'), [{version: 'e0.1.0', trackId: 'r1', f1: 0.5}])
    repo.git('add', 'dvc.yaml', 'params.yaml')
    repo.git('commit', '-q', '-m', 'templates')
    const tagged = await xv(repo.root, ['tag', 'e0.1.0', '-m', 'base'])
    expect(tagged.exitCode, tagged.stderr).toBe(0)

    const res = await xv(repo.root, ['worktree', 'new', 'w'])
    expect(res.exitCode, res.stderr).toBe(0)
    const db = join(repo.base, 'exp-w', 'results', 'runs.db')
    expect(statSync(db).nlink).toBe(1) // the configured db is private
    expect(readFileSync(join(repo.base, 'exp-w', 'models', 'production', 'model.bin'), 'utf8')).toBe('model v1')
    const explored = await xv(repo.root, ['explore', 'e0.1.0'])
    expect(explored.exitCode, explored.stderr).toBe(0)
    expect(existsSync(join(repo.base, 'explore-e0.1.0', 'results', 'runs.db'))).toBe(true)
  })
})
