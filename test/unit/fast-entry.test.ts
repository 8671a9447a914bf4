// The oclif-free fast entry parses plain command lines exactly as oclif would, from the manifest
// oclif generated, and declines (→ oclif) everything else. The CLI-level behaviour (same output and
// errors with and without the fast entry) is checked in test/integration/fast-entry.test.ts.
import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {parsePlain} from '../../src/fast-entry.js'

const manifest = JSON.parse(readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8')) as {
  commands: Record<string, Parameters<typeof parsePlain>[0]>
}
const cmd = (id: string) => {
  const c = manifest.commands[id]
  if (!c) throw new Error(`no ${id} in the manifest`)
  return c
}

describe('parsePlain', () => {
  it('parses flags, repeated flags, --name=value, integers and defaults', () => {
    const p = parsePlain(cmd('list'), ['--where', 'f1>0.8', '--where=model=cnn', '--limit', '5', '--json', '--sort=f1'])
    expect(p?.flags).toMatchObject({where: ['f1>0.8', 'model=cnn'], limit: 5, json: true, sort: 'f1', asc: false, md: false})
    expect(p?.args).toEqual([])
  })

  it('takes positional arguments and the words after -- for non-strict commands', () => {
    expect(parsePlain(cmd('best'), ['f1', '--min'])).toMatchObject({args: ['f1'], flags: {min: true, max: false}})
    expect(parsePlain(cmd('run'), ['--bump', 'minor', '-m', 'a b', '--tag', '--', 'python', '-u', 'train.py', '--lr', '1'])).toMatchObject({
      flags: {bump: 'minor', message: 'a b', tag: true},
      rest: ['python', '-u', 'train.py', '--lr', '1'],
    })
  })

  it('takes every word as an argument for a variadic command (merge sources), flags anywhere', () => {
    expect(parsePlain(cmd('merge'), ['a.db', '--table', 'x,y', 'b.db', '--into', 't.duckdb', '-y'], true)).toMatchObject({
      args: ['a.db', 'b.db'],
      flags: {table: ['x', 'y'], into: 't.duckdb', yes: true, strategy: 'merge', 'dry-run': false},
    })
    expect(parsePlain(cmd('merge'), ['a.db'])).toBeUndefined() // not declared variadic: oclif's rules
    expect(parsePlain(cmd('merge'), ['a.db', '--', 'b.db'], true)).toBeUndefined()
    expect(parsePlain(cmd('merge'), ['a.db', '--strategy', 'bogus'], true)).toBeUndefined()
  })

  it.each([
    ['list', ['--limit', 'abc']],
    ['list', ['--limit', '0']],
    ['list', ['--bogus']],
    ['list', ['-h']],
    ['list', ['--help']],
    ['list', ['extra']],
    ['list', ['--sort', 'a', '--sort', 'b']],
    ['list', ['--sort']],
    ['list', ['--json=true']],
    ['best', []],
    ['best', ['f1', '--min', '--max']],
    ['best', ['f1', 'f2']],
    ['runs:show', []],
    ['run', ['--bump', 'huge', '--', 'true']],
    ['run', ['--version', 'e1.0.0', '--bump', 'minor', '--', 'true']],
    ['run', ['python', 'train.py']],
    ['list', ['--', 'x']],
  ])('leaves %s %j to oclif', (id, words) => {
    expect(parsePlain(cmd(id), words)).toBeUndefined()
  })
})
