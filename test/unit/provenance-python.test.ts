import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {pythonEnv} from '../../src/domain/provenance-python.js'
import {PROJECT_ROOT, VENV_PYTHON} from '../helpers/repo.js'

const dirs: string[] = []
afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop()!, {recursive: true, force: true})
})

describe('python provenance', () => {
  it("reads a venv's version and pip freeze list from its files, exactly what pip and python say", async () => {
    const env = await pythonEnv(VENV_PYTHON, PROJECT_ROOT)
    const version = execFileSync(VENV_PYTHON, ['-c', 'import sys; print(sys.version.split()[0])'], {encoding: 'utf8'}).trim()
    const freeze = execFileSync(VENV_PYTHON, ['-m', 'pip', 'freeze', '--all'], {encoding: 'utf8'}).split('\n').filter(Boolean).sort()
    expect(env.version).toBe(version)
    expect(env.packages?.sort()).toEqual(freeze)
    expect(freeze.some((l) => l.startsWith('xetrack=='))).toBe(true)
  })

  it('names direct-URL and editable installs as pip does', async () => {
    const venv = mkdtempSync(join(tmpdir(), 'xv-venv-'))
    dirs.push(venv)
    const site = join(venv, 'lib', 'python3.12', 'site-packages')
    const dist = (dir: string, name: string, version: string, direct?: object) => {
      mkdirSync(join(site, dir), {recursive: true})
      writeFileSync(join(site, dir, 'METADATA'), `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n\nName: not-a-header\n`)
      if (direct) writeFileSync(join(site, dir, 'direct_url.json'), JSON.stringify(direct))
    }
    dist('PyYAML-6.0.1.dist-info', 'PyYAML', '6.0.1')
    dist('mylib-0.1.dist-info', 'mylib', '0.1', {url: 'file:///src/mylib', dir_info: {editable: true}})
    dist('tool-1.0.dist-info', 'tool', '1.0', {url: 'https://example.com/tool.git', vcs_info: {vcs: 'git', commit_id: 'abc123'}})
    mkdirSync(join(venv, 'bin'))
    writeFileSync(join(venv, 'pyvenv.cfg'), 'home = /usr/bin\ninclude-system-site-packages = false\nversion_info = 3.12.1.final.0\n')
    symlinkSync(VENV_PYTHON, join(venv, 'bin', 'python'))
    const env = await pythonEnv(join(venv, 'bin', 'python'), venv)
    expect(env.version).toBe('3.12.1')
    expect(env.packages?.sort()).toEqual(['-e file:///src/mylib', 'PyYAML==6.0.1', 'tool @ git+https://example.com/tool.git@abc123'])
  })
})
