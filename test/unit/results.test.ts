import {describe, expect, it} from 'vitest'

import type {ColumnInfo} from '../../src/adapters/sqlite.js'
import {chooseResultTable, directionOf, metricColumns, tagFields} from '../../src/domain/results.js'

const cols = (...names: string[]): ColumnInfo[] => names.map((name) => ({name, type: 'TEXT', pk: 0, notnull: false}))

describe('result database discovery', () => {
  const tables = [
    {table: 'predictions', columns: cols('track_id', 'version', 'input_id', 'latency')},
    {table: 'metrics', columns: cols('track_id', 'timestamp', 'version', 'model', 'f1')},
    {table: 'other', columns: cols('x')},
  ]

  it('prefers the metrics table and the version column', () => {
    expect(chooseResultTable(tables, {}, 'db')).toEqual({table: 'metrics', versionColumn: 'version'})
    expect(chooseResultTable(tables, {table: 'predictions'}, 'db')).toEqual({table: 'predictions', versionColumn: 'version'})
  })

  it('finds experiment_version and names what exists when a configured name is wrong', () => {
    expect(chooseResultTable([{table: 't', columns: cols('experiment_version')}], {}, 'db')?.versionColumn).toBe('experiment_version')
    expect(() => chooseResultTable(tables, {table: 'nope'}, 'db')).toThrow(/table 'nope' not found in db; tables: predictions, metrics, other/)
    expect(() => chooseResultTable(tables, {table: 'metrics', versionColumn: 'ver'}, 'db')).toThrow(/columns: track_id, timestamp, version, model, f1/)
  })

  it('knows which direction is better', () => {
    expect(directionOf('f1')).toBe('higher')
    expect(directionOf('val_loss')).toBe('lower')
    expect(directionOf('latency_ms')).toBe('lower')
    expect(directionOf('f1', [{name: 'f1', direction: 'lower'}])).toBe('lower')
  })

  it('builds at most six tag fields, configured metrics first, never bookkeeping', () => {
    const fields = tagFields(
      {
        version: 'e0.1.0', rows: 2,
        means: {f1: 0.891234, loss: 0.3, accuracy: 0.9, learning_rate: 0.0001, params_batch_size: 32, precision: 0.8, recall: 0.7},
        values: {model: 'bert', track_id: 'abc', timestamp: 'now'},
        integers: ['params_batch_size'],
      },
      'version',
      [{name: 'loss'}],
    )
    expect(Object.keys(fields)).toEqual(['loss', 'model', 'f1', 'accuracy', 'precision', 'recall'])
    expect(fields.f1).toBe('0.8912')
    expect(fields).not.toHaveProperty('track_id')
  })

  it('lists metric columns, configured ones first', () => {
    const c = cols('track_id', 'version', 'model', 'accuracy', 'custom', 'loss')
    expect(metricColumns(c, 'version', [{name: 'custom'}])).toEqual(['custom', 'accuracy', 'loss'])
  })
})
