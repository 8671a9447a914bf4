import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {loadConfig, validateConfig} from '../../src/config.js'

describe('xv.yaml', () => {
  it('fills defaults and accepts every documented key', () => {
    expect(validateConfig(undefined).prefix).toBe('e')
    const c = validateConfig({
      prefix: 'exp', db: 'r.db', table: 'metrics', versionColumn: 'experiment_version',
      metrics: ['f1', {name: 'loss', direction: 'lower'}], artifacts: ['models/m.bin'], worktreeDir: '../wt', cache: '/c', push: false,
    })
    expect(c.metrics).toEqual([{name: 'f1'}, {name: 'loss', direction: 'lower'}])
    expect(c.push).toBe(false)
    expect(c.artifacts).toEqual(['models/m.bin'])
  })

  it.each([
    [{prefx: 'e'}, /unknown key 'prefx'/],
    [{push: 'yes'}, /'push' must be true or false/],
    [{metrics: 'f1'}, /'metrics' must be a list/],
    [{metrics: [{name: 'f1', direction: 'up'}]}, /direction must be 'higher' or 'lower'/],
    [{artifacts: [1]}, /'artifacts' must be a list of paths/],
    [{db: 3}, /'db' must be a non-empty string/],
    [{db: '../../../etc/passwd'}, /'db' names \.\.\/\.\.\/\.\.\/etc\/passwd, outside the repository/],
    [{artifacts: ['models/../../x.bin']}, /'artifacts' names models\/\.\.\/\.\.\/x\.bin, outside the repository/],
    [{writes: ['/abs/model.bin']}, /'writes' names \/abs\/model\.bin, outside the repository/],
    [['a'], /must be a mapping/],
  ])('refuses %j', (doc, message) => {
    expect(() => validateConfig(doc)).toThrow(message)
  })
})

describe('xv.yaml cache (.git/xv/config-cache.json)', () => {
  it('is used only for the exact text it was made from; a change, an invalid file or a broken cache parse again', () => {
    const root = mkdtempSync(join(tmpdir(), 'xv-config-'))
    const cacheDir = join(root, '.git', 'xv')
    try {
      writeFileSync(join(root, 'xv.yaml'), 'prefix: exp\nmetrics: [f1]\n')
      expect(loadConfig(root, cacheDir)).toMatchObject({prefix: 'exp', metrics: [{name: 'f1'}]})
      const cache = join(cacheDir, 'config-cache.json')
      expect(JSON.parse(readFileSync(cache, 'utf8'))).toMatchObject({text: 'prefix: exp\nmetrics: [f1]\n', config: {prefix: 'exp'}})
      expect(loadConfig(root, cacheDir)).toEqual(loadConfig(root))

      writeFileSync(join(root, 'xv.yaml'), 'prefix: run\n') // changed text: parsed again, cache replaced
      expect(loadConfig(root, cacheDir).prefix).toBe('run')
      expect(JSON.parse(readFileSync(cache, 'utf8'))).toMatchObject({text: 'prefix: run\n'})

      writeFileSync(join(root, 'xv.yaml'), 'prefx: run\n') // invalid: refused every time, never cached
      expect(() => loadConfig(root, cacheDir)).toThrow(/unknown key 'prefx'/)
      expect(() => loadConfig(root, cacheDir)).toThrow(/unknown key 'prefx'/)

      writeFileSync(join(root, 'xv.yaml'), 'prefix: run\n')
      writeFileSync(cache, '{not json')
      expect(loadConfig(root, cacheDir).prefix).toBe('run')
      expect(existsSync(cache)).toBe(true)
    } finally {
      rmSync(root, {recursive: true, force: true})
    }
  })
})
