/**
 * Every flag of every command is exercised by at least one test of that command: each command's
 * flags (long names, from oclif.manifest.json) against the flags the test files pass to it
 * (test/helpers/flag-uses.ts reads them from the tests' source).
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {flagUses, type ManifestCommand} from '../helpers/flag-uses.js'
import {PROJECT_ROOT} from '../helpers/repo.js'

const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand & {hidden?: boolean}>}
const dirs = ['integration', 'unit', 'helpers'].map((d) => join(PROJECT_ROOT, 'test', d))

describe('flag coverage', () => {
  it('every flag of every command appears in a test of that command', () => {
    const uses = flagUses(dirs, manifest.commands)
    const untested = Object.entries(manifest.commands).flatMap(([id, command]) =>
      Object.keys(command.flags)
        .filter((flag) => !uses.get(id)?.has(flag))
        .map((flag) => `xv ${id.replaceAll(':', ' ')} --${flag}`),
    )
    expect(untested).toEqual([])
  })

  it('reads flags the way the tests pass them: long, short, after XV_BIN, through a --json helper, not after --', () => {
    expect(Object.keys(manifest.commands).length).toBeGreaterThan(30)
    const uses = flagUses(dirs, manifest.commands)
    expect(uses.get('list')?.get('where')?.size).toBeGreaterThan(0) // ['list', '--where', …]
    expect(uses.get('tag')?.get('message')?.size).toBeGreaterThan(0) // ['tag', 'e0.1.0', '-m', …]
    expect(uses.get('get')?.get('strategy')).toContain('get-remotes.test.ts') // [XV_BIN, 'get', …, '--strategy', …]
    expect(uses.get('model:info')?.get('json')?.size).toBeGreaterThan(0) // xvJson(cwd, ['model', 'info'])
    expect(uses.get('run')?.has('lr')).toBe(false) // ['run', '--', 'python', 'train.py', '--lr', …] is not xv's
  })
})
