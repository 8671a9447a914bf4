import {describe, expect, it} from 'vitest'

import {affinityOf, typesCompatible} from '../../src/domain/merge.js'

describe('merge type reconciliation', () => {
  it('follows SQLite affinity rules', () => {
    expect(affinityOf('INTEGER')).toBe('INTEGER')
    expect(affinityOf('BIGINT')).toBe('INTEGER')
    expect(affinityOf('VARCHAR(20)')).toBe('TEXT')
    expect(affinityOf('DOUBLE PRECISION')).toBe('REAL')
    expect(affinityOf('BLOB')).toBe('BLOB')
    expect(affinityOf('DECIMAL(10,2)')).toBe('NUMERIC')
    expect(affinityOf('')).toBe('ANY')
  })

  it('lets numbers widen into numbers and untyped columns take anything', () => {
    expect(typesCompatible('REAL', 'INTEGER')).toBe(true)
    expect(typesCompatible('INTEGER', 'REAL')).toBe(true)
    expect(typesCompatible('NUMERIC', 'REAL')).toBe(true)
    expect(typesCompatible('', 'BLOB')).toBe(true)
    expect(typesCompatible('TEXT', 'VARCHAR')).toBe(true)
  })

  it('does not mix text, numbers and blobs', () => {
    expect(typesCompatible('TEXT', 'REAL')).toBe(false)
    expect(typesCompatible('REAL', 'BLOB')).toBe(false)
    expect(typesCompatible('BLOB', 'TEXT')).toBe(false)
  })
})
