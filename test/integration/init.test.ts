import {existsSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {makeRepo, repoState, tempDir, xv, type TestRepo} from '../helpers/repo.js'

const cleanups: Array<() => void> = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!()
})

describe('xv init', () => {
  it('creates git, DVC, the layout and the templates, then is idempotent', async () => {
    const dir = tempDir()
    cleanups.push(() => rmSync(dir, {recursive: true, force: true}))
    const remote = join(dir, '..', `${dir.split('/').pop()}-remote`)
    cleanups.push(() => rmSync(remote, {recursive: true, force: true}))

    const first = await xv(dir, ['init', '--remote', remote])
    expect(first.exitCode, first.stderr).toBe(0)
    for (const p of ['.git', '.dvc/config', 'data', 'models/production', 'models/candidates', 'results', 'xv.yaml', 'params.yaml', 'dvc.yaml'])
      expect(existsSync(join(dir, p)), p).toBe(true)
    expect(readFileSync(join(dir, '.dvc', 'config'), 'utf8')).toContain(remote)
    expect(existsSync(remote)).toBe(true)

    const second = await xv(dir, ['init', '--remote', remote])
    expect(second.exitCode, second.stderr).toBe(0)
    expect(second.stdout).toContain('nothing changed')
  })

  it('never overwrites the user\'s files', async () => {
    const repo: TestRepo = makeRepo({xvYaml: 'prefix: exp\n'})
    cleanups.push(repo.cleanup)
    repo.write('params.yaml', 'mine: 1\n')
    const res = await xv(repo.root, ['init'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(readFileSync(join(repo.root, 'xv.yaml'), 'utf8')).toBe('prefix: exp\n')
    expect(readFileSync(join(repo.root, 'params.yaml'), 'utf8')).toBe('mine: 1\n')
    expect(existsSync(join(repo.root, 'dvc.yaml'))).toBe(true)
  })

  it('refuses an invalid xv.yaml with one line and changes nothing', async () => {
    const repo = makeRepo({dvc: false, xvYaml: 'prefx: e\n'})
    cleanups.push(repo.cleanup)
    const before = repoState(repo)
    const res = await xv(repo.root, ['init'])
    expect(res.exitCode).not.toBe(0)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(res.stderr).toContain("unknown key 'prefx'")
    expect(repoState(repo)).toBe(before)
    expect(existsSync(join(repo.root, '.dvc'))).toBe(false)
  })
})
