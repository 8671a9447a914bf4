import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {makeRepo, repoState, xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'

const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()!.cleanup()
})

function remoteHas(repo: TestRepo, md5: string): boolean {
  return existsSync(join(repo.dvcRemote, 'files', 'md5', md5.slice(0, 2), md5.slice(2)))
}

function md5At(repo: TestRepo, rev: string, pointer: string): string {
  return /md5: ([0-9a-f]{32})/.exec(repo.git('show', `${rev}:${pointer}`))![1]
}

describe('xv push', () => {
  it('publishes every unpublished tag: old ones by revision straight from the cache, then the tags; idempotent', async () => {
    const repo = makeRepo({xvYaml: 'artifacts: [models/production/model.bin]\n'})
    repos.push(repo)
    repo.write('models/production/model.bin', Buffer.alloc(10_000, 1))
    writeRuns(join(repo.root, 'results/experiments.db'), [{version: 'e0.1.0'}])
    expect((await xv(repo.root, ['tag', 'e0.1.0', '--no-push'])).exitCode).toBe(0)
    repo.write('models/production/model.bin', Buffer.alloc(10_000, 2))
    expect((await xv(repo.root, ['tag', 'e0.2.0', '--no-push'])).exitCode).toBe(0)
    const old = md5At(repo, 'e0.1.0', 'models/production/model.bin.dvc')
    const cur = md5At(repo, 'e0.2.0', 'models/production/model.bin.dvc')
    expect(old).not.toBe(cur)
    expect(remoteHas(repo, old) || remoteHas(repo, cur)).toBe(false)

    const res = await xv(repo.root, ['push', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    const report = JSON.parse(res.stdout)
    expect(report.versions.sort()).toEqual(['e0.1.0', 'e0.2.0'])
    expect(report.gitPushed.sort()).toEqual(['e0.1.0', 'e0.2.0'])
    expect(remoteHas(repo, old)).toBe(true)
    expect(remoteHas(repo, cur)).toBe(true)
    expect(repo.git('ls-remote', '--tags', 'origin')).toMatch(/refs\/tags\/e0\.1\.0[\s\S]*refs\/tags\/e0\.2\.0/)
    // The temporary worktree is gone.
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1)
    expect(readdirSync(repo.base).filter((f) => f.startsWith('xv-wt'))).toEqual([])

    const before = repoState(repo)
    const again = await xv(repo.root, ['push', 'e0.1.0'])
    expect(again.exitCode, again.stderr).toBe(0)
    expect(again.stdout).toContain('already on origin: e0.1.0')
    expect(repoState(repo)).toBe(before)
  })

  it('refuses unknown versions and a repository with nowhere to push', async () => {
    const repo = makeRepo({gitRemote: false, dvcRemote: false})
    repos.push(repo)
    const unknown = await xv(repo.root, ['push', 'e9.9.9'])
    expect(unknown.exitCode).not.toBe(0)
    expect(unknown.stderr.trim()).toBe("xv: error: unknown version 'e9.9.9': no such tag or commit; there are no experiment tags yet (see 'xv list')")
    const nowhere = await xv(repo.root, ['push'])
    expect(nowhere.exitCode).not.toBe(0)
    expect(nowhere.stderr).toContain('nothing to push to: no git remote and no default DVC remote')
  })
})
