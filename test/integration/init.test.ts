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

  it('A12: refuses to run inside .git (exit 2), creating nothing there', async () => {
    const repo = makeRepo()
    cleanups.push(repo.cleanup)
    const before = repoState(repo)
    for (const dir of ['.git', '.git/refs']) {
      const res = await xv(join(repo.root, dir), ['init'])
      expect(res.exitCode, dir).toBe(2)
      expect(res.stderr.trim().split('\n'), dir).toHaveLength(1)
      expect(res.stderr, dir).toContain("is inside a .git directory (git's own data); run 'xv init' in the project folder instead")
    }

    expect(existsSync(join(repo.root, '.git', 'xv.yaml'))).toBe(false)
    expect(existsSync(join(repo.root, '.git', '.dvc'))).toBe(false)
    expect(existsSync(join(repo.root, '.git', 'refs', '.git'))).toBe(false)
    expect(repoState(repo)).toBe(before)
  })

  it('E13: the dvc.yaml it writes names the result database xv.yaml configures; E14: --remote ../store is recorded relative', async () => {
    const repo = makeRepo({dvc: false, commit: false, xvYaml: 'db: results/runs.db\n'})
    cleanups.push(repo.cleanup)
    const res = await xv(repo.root, ['init', '--remote', '../store'])
    expect(res.exitCode, res.stderr).toBe(0)
    const dvcYaml = readFileSync(join(repo.root, 'dvc.yaml'), 'utf8')
    expect(dvcYaml).toContain('--into results/runs.db')
    expect(dvcYaml).toContain('- results/runs.db:')
    expect(dvcYaml).not.toContain('experiments.db')
    expect(readFileSync(join(repo.root, '.dvc', 'config'), 'utf8')).toMatch(/url = \.\.\/\.\.\/store\n/)
    expect(existsSync(join(repo.base, 'store'))).toBe(true)
    const doctor = await xv(repo.root, ['doctor', '--json'])
    const checks = JSON.parse(doctor.stdout).checks as Array<{name: string; status: string}>
    expect(checks.find((c) => c.name === 'dvc.yaml')?.status).toBe('ok')
  })
})
