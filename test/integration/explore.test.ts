import {randomBytes} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {makeExperimentRepo} from '../helpers/experiment-repo.js'
import {repoState, xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'

const cleanups: Array<() => void> = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!()
})

function fullState(repo: TestRepo): string {
  return [repo.git('worktree', 'list', '--porcelain'), repoState(repo), readdirSync(repo.base).sort().join(' ')].join('\n===\n')
}

/** e0.1.0 (fixture) and e0.2.0 with a new model and code. */
async function twoVersions(): Promise<{repo: TestRepo; oldModel: Buffer}> {
  const repo = await makeExperimentRepo()
  cleanups.push(repo.cleanup)
  const oldModel = readFileSync(join(repo.root, 'models', 'production', 'model.bin'))
  repo.write('train.py', 'model = "v2"\n')
  repo.dvc('unprotect', 'models/production/model.bin', 'results/experiments.db')
  repo.write('models/production/model.bin', randomBytes(4096))
  writeRuns(join(repo.root, 'results', 'experiments.db'), [{version: 'e0.2.0', trackId: 'v2', f1: 0.8}])
  const res = await xv(repo.root, ['tag', 'e0.2.0', '-m', 'v2'])
  expect(res.exitCode, res.stderr).toBe(0)
  return {repo, oldModel}
}

describe('xv explore', () => {
  it('checks out an old version detached, artifacts linked from the shared cache; --list; --clean', async () => {
    const {repo, oldModel} = await twoVersions()
    // The old model is gone from the local cache (as after a dvc gc): explore fetches it from the remote.
    const oldMd5 = /md5: ([0-9a-f]+)/.exec(repo.git('show', 'e0.1.0:models/production/model.bin.dvc'))![1]
    rmSync(join(repo.root, '.dvc', 'cache', 'files', 'md5', oldMd5.slice(0, 2), oldMd5.slice(2)), {force: true})
    const res = await xv(repo.root, ['explore', 'e0.1.0'])
    expect(res.exitCode, res.stderr).toBe(0)
    const wt = join(repo.base, 'explore-e0.1.0')
    expect(res.stdout).toContain(wt)
    expect(readFileSync(join(wt, 'train.py'), 'utf8')).toBe('model = "baseline"\n')
    expect(readFileSync(join(wt, 'models', 'production', 'model.bin'))).toEqual(oldModel)
    expect(repo.git('-C', wt, 'rev-parse', 'HEAD').trim()).toBe(repo.git('rev-parse', 'e0.1.0^{commit}').trim())
    expect(repo.git('-C', wt, 'status', '--porcelain', '--branch').split('\n')[0]).toContain('no branch')
    const local = readFileSync(join(wt, '.dvc', 'config.local'), 'utf8')
    expect(local).toContain(join(repo.root, '.dvc', 'cache'))
    const md5 = /md5: ([0-9a-f]+)/.exec(readFileSync(join(wt, 'models/production/model.bin.dvc'), 'utf8'))![1]
    const object = join(repo.root, '.dvc', 'cache', 'files', 'md5', md5.slice(0, 2), md5.slice(2))
    // The model is a file an experiment writes: private (never a link into the cache); data stays linked.
    expect(statSync(join(wt, 'models', 'production', 'model.bin')).ino).not.toBe(statSync(object).ino)
    const dataManifest = /md5: ([0-9a-f]+\.dir)/.exec(readFileSync(join(wt, 'data.dvc'), 'utf8'))![1]
    const entries = JSON.parse(readFileSync(join(repo.root, '.dvc', 'cache', 'files', 'md5', dataManifest.slice(0, 2), dataManifest.slice(2)), 'utf8')) as Array<{md5: string; relpath: string}>
    const a = entries.find((e) => e.relpath === 'a.csv')!
    if (local.includes('hardlink'))
      expect(statSync(join(wt, 'data', 'a.csv')).ino).toBe(statSync(join(repo.root, '.dvc', 'cache', 'files', 'md5', a.md5.slice(0, 2), a.md5.slice(2))).ino)
    // The main worktree is untouched: still at e0.2.0's model.
    expect(readFileSync(join(repo.root, 'models', 'production', 'model.bin'))).not.toEqual(oldModel)

    expect((await xv(repo.root, ['explore', 'e0.2.0'])).exitCode).toBe(0)
    const list = await xv(repo.root, ['explore', '--list', '--json'])
    expect((JSON.parse(list.stdout) as {worktrees: Array<{name: string}>}).worktrees.map((w) => w.name).sort()).toEqual(['e0.1.0', 'e0.2.0'])

    const one = await xv(repo.root, ['explore', '--clean', 'e0.1.0'])
    expect(one.exitCode, one.stderr).toBe(0)
    expect(existsSync(wt)).toBe(false)
    expect(existsSync(join(repo.base, 'explore-e0.2.0'))).toBe(true)

    // Changes in an explore worktree are kept unless --force.
    writeFileSync(join(repo.base, 'explore-e0.2.0', 'scratch.py'), 'x')
    const kept = await xv(repo.root, ['explore', '--clean'])
    expect(kept.exitCode).toBe(2) // E10: it did not remove what was asked
    expect(kept.stdout).toContain('kept e0.2.0')
    expect(existsSync(join(repo.base, 'explore-e0.2.0'))).toBe(true)
    const dry = await xv(repo.root, ['explore', '--clean', '--force', '--dry-run'])
    expect(dry.stdout).toContain('would remove: e0.2.0')
    expect(existsSync(join(repo.base, 'explore-e0.2.0'))).toBe(true)
    const all = await xv(repo.root, ['explore', '--clean', '--force'])
    expect(all.exitCode, all.stderr).toBe(0)
    expect(existsSync(join(repo.base, 'explore-e0.2.0'))).toBe(false)
    expect(repo.git('worktree', 'list', '--porcelain')).not.toContain('explore-')
  })

  it('refuses an unknown version naming the nearby tags, a bad version and an existing folder; nothing changed', async () => {
    const {repo} = await twoVersions()
    let before = fullState(repo)
    for (const [args, message] of [
      [['explore', 'e0.1.5'], "unknown version 'e0.1.5': no such tag or commit; nearest tags: e0.1.0, e0.2.0 (see 'xv list')"],
      [['explore', 'e9.0.0'], 'nearest tags: e0.2.0, e0.1.0'],
      [['explore', 'banana'], 'not a version'],
      [['explore', '--clean', 'e0.1.0'], 'no explore worktree for e0.1.0'],
      [['explore'], 'which version?'],
    ] as Array<[string[], string]>) {
      const res = await xv(repo.root, args)
      expect(res.exitCode, args.join(' ')).not.toBe(0)
      expect(res.stderr.trim().split('\n'), res.stderr).toHaveLength(1)
      expect(res.stderr).toContain(message)
      expect(fullState(repo)).toBe(before)
    }

    expect((await xv(repo.root, ['explore', 'e0.1.0'])).exitCode).toBe(0)
    before = fullState(repo)
    const again = await xv(repo.root, ['explore', 'e0.1.0'])
    expect(again.exitCode).not.toBe(0)
    expect(again.stderr).toContain("already exists; cd there, or start afresh with 'xv explore --clean e0.1.0'")
    expect(fullState(repo)).toBe(before)
  })
})
