import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DuckDBInstance} from '@duckdb/node-api'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {xv} from '../helpers/repo.js'
import {fileHash} from '../helpers/sqlite-fixtures.js'

let dir: string
async function sql(text: string): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(':memory:')
  const conn = await instance.connect()
  try {
    return (await conn.runAndReadAll(text)).getRowObjects() as Array<Record<string, unknown>>
  } finally {
    conn.closeSync()
    instance.closeSync()
  }
}

const file = (name: string) => join(dir, name)

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xv-parquet-'))
  await sql(`COPY (SELECT * FROM (VALUES (1, 'a', 0.1), (2, 'b', 0.2), (3, 'c', 0.3)) t(id, label, score)) TO '${file('base.parquet')}' (FORMAT parquet)`)
  await sql(`COPY (SELECT * FROM (VALUES (3, 'c2', 0.9, 'new'), (4, 'd', 0.4, 'new')) t(id, label, score, source)) TO '${file('src.parquet')}' (FORMAT parquet)`)
  writeFileSync(file('fake.parquet'), 'PAR1 but not really a parquet file at all')
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('xv merge --data (Parquet through DuckDB)', () => {
  it('merge: union by column name into OUT, inputs untouched', async () => {
    const before = [fileHash(file('base.parquet')), fileHash(file('src.parquet'))]
    const res = await xv(dir, ['merge', '--data', 'base.parquet', 'src.parquet', '-o', 'out.parquet', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(JSON.parse(res.stdout)).toMatchObject({baseRows: 3, sourceRows: 2, rows: 5, columnsAdded: ['source']})
    const rows = await sql(`SELECT id, label, source FROM '${file('out.parquet')}' ORDER BY id, label`)
    expect(rows).toEqual([
      {id: 1, label: 'a', source: null}, {id: 2, label: 'b', source: null}, {id: 3, label: 'c', source: null},
      {id: 3, label: 'c2', source: 'new'}, {id: 4, label: 'd', source: 'new'},
    ])
    expect([fileHash(file('base.parquet')), fileHash(file('src.parquet'))]).toEqual(before)
    expect(readdirSync(dir).filter((f) => f.includes('xv-tmp'))).toEqual([])
  })

  it('rebase: source rows replace base rows with the same key; needs --yes', async () => {
    const refused = await xv(dir, ['merge', '--data', 'base.parquet', 'src.parquet', '--strategy', 'rebase', '--key', 'id', '-o', 'r.parquet'])
    expect(refused.exitCode).not.toBe(0)
    expect(refused.stderr.trim()).toMatch(/^xv: error: rebase replaces rows of the base; run again with --yes/)
    const res = await xv(dir, ['merge', '--data', 'base.parquet', 'src.parquet', '--strategy', 'rebase', '--key', 'id', '-o', 'r.parquet', '--yes', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(JSON.parse(res.stdout)).toMatchObject({replaced: 1, rows: 4})
    expect(await sql(`SELECT id, label FROM '${file('r.parquet')}' ORDER BY id`)).toEqual([
      {id: 1, label: 'a'}, {id: 2, label: 'b'}, {id: 3, label: 'c2'}, {id: 4, label: 'd'},
    ])
  })

  it('refuses files that are not Parquet and keys that do not exist, writing nothing', async () => {
    const before = fileHash(file('base.parquet'))
    const fake = await xv(dir, ['merge', '--data', 'base.parquet', 'fake.parquet'])
    expect(fake.stderr.trim()).toMatch(/^xv: error: source .*fake\.parquet is not a Parquet file/)
    const key = await xv(dir, ['merge', '--data', 'base.parquet', 'src.parquet', '--strategy', 'rebase', '--key', 'run', '--yes'])
    expect(key.exitCode).not.toBe(0)
    expect(key.stderr.trim()).toBe("xv: error: key column 'run' not found in base.parquet; columns: id, label, score")
    expect(fileHash(file('base.parquet'))).toBe(before)
  })
})
