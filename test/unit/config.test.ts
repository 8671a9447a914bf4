import {describe, expect, it} from 'vitest'

import {validateConfig} from '../../src/config.js'

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
