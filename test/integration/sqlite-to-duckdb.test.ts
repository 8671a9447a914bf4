/**
 * SQLite rows streamed into DuckDB (the SQLite source of a merge into a DuckDB target) arrive with
 * equal contents, on real files: NULL against the empty string, quotes, commas, newlines, CR LF,
 * unicode, an embedded NUL, the text 'NULL', 64-bit integers at both ends, reals that only print
 * exactly with 17 digits, infinities, blobs (empty, NUL bytes), columns of mixed types, a 3 MB
 * value (beyond DuckDB's default line size), a table without rowid, a column named rowid, sparse
 * and negative rowids across several chunks (row order kept), and text that is not valid UTF-8.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {DuckDBInstance, type DuckDBConnection} from '@duckdb/node-api'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {streamSqliteInto} from '../../src/adapters/sqlite-to-duckdb.js'

const TEXTS = ["it's", '"quoted", with commas', '', 'NULL', 'line\nbreak', 'cr\r\nlf', 'é€😀 ünï', 'nul\u0000inside', ' lead and trail ', "''", 'x'.repeat(9_000_000)]
const REALS = [0.1 + 0.2, 1e300, 5e-324, -1.5, 1e20, 123456789012345680, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 / 3]
const INTS = [9223372036854775807n, -9223372036854775808n, 0n, 9007199254740993n, -1n]
const BLOBS = [Buffer.from([0, 255, 1]), Buffer.alloc(0), Buffer.from('hi')]

let dir: string
/** Chunk folders of xv processes: one whose process is gone (left by Ctrl-C), one of a live process. */
let stale: string
let live: string
let conn: DuckDBConnection
let instance: DuckDBInstance

async function rows(sql: string): Promise<unknown[][]> {
  return (await conn.runAndReadAll(sql)).getRows() as unknown[][]
}

const bytes = (v: unknown) => (v === null ? null : Buffer.from((v as {bytes: Uint8Array}).bytes))

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xv-s2d-'))
  const file = join(dir, 'src.db')
  const db = new Database(file)
  db.exec(`CREATE TABLE texts (i INTEGER, t TEXT);
    CREATE TABLE numbers (i INTEGER, n INTEGER, r REAL);
    CREATE TABLE blobs (i INTEGER, b BLOB);
    CREATE TABLE mixed (i INTEGER, m, bn);
    CREATE TABLE keyed (k TEXT PRIMARY KEY, v REAL) WITHOUT ROWID;
    CREATE TABLE shadow (rowid TEXT, v INTEGER);
    CREATE TABLE lonely (x TEXT);
    CREATE TABLE many (n INTEGER, s TEXT);
    CREATE TABLE empty (a INTEGER, b TEXT);
    CREATE TABLE badtext (i INTEGER, t TEXT);
    CREATE TABLE patterns (i INTEGER, ${Array.from({length: 14}, (_v, j) => `c${j}`).join(', ')});`)
  const text = db.prepare('INSERT INTO texts VALUES (?, ?)')
  TEXTS.forEach((t, i) => text.run(i, t))
  text.run(TEXTS.length, null)
  const num = db.prepare('INSERT INTO numbers VALUES (?, ?, ?)')
  REALS.forEach((r, i) => num.run(i, INTS[i] ?? null, r))
  num.run(REALS.length, null, null)
  const blob = db.prepare('INSERT INTO blobs VALUES (?, ?)')
  BLOBS.forEach((b, i) => blob.run(i, b))
  blob.run(BLOBS.length, null)
  // m: text, integer, real and NULL in one column; bn: blobs, an integer and NULL.
  db.prepare('INSERT INTO mixed VALUES (?, ?, ?)').run(0, 'a"b', Buffer.from([1, 2]))
  db.prepare('INSERT INTO mixed VALUES (?, ?, ?)').run(1, 42n, 7n)
  db.prepare('INSERT INTO mixed VALUES (?, ?, ?)').run(2, 0.1 + 0.2, null)
  db.prepare('INSERT INTO mixed VALUES (?, ?, ?)').run(3, null, Buffer.alloc(0))
  db.prepare('INSERT INTO keyed VALUES (?, ?)').run('b', 0.25)
  db.prepare('INSERT INTO keyed VALUES (?, ?)').run('a', null)
  db.prepare('INSERT INTO shadow VALUES (?, ?)').run('not the rowid', 1)
  for (const x of [null, '', null]) db.prepare('INSERT INTO lonely VALUES (?)').run(x)
  const many = db.prepare('INSERT INTO many (rowid, n, s) VALUES (?, ?, ?)')
  db.transaction(() => {
    many.run(-9223372036854775808n, -1, 'first')
    for (let i = 0; i < 20_000; i++) many.run(BigInt(i) * 1000n - 5_000_000n, i, `s${i % 7},"${i}"`)
    many.run(9223372036854775807n, 20_000, 'last')
  })()
  db.exec("INSERT INTO badtext VALUES (0, CAST(x'ff61' AS TEXT)), (1, 'fine')")
  // 16,384 patterns of NULLs: more combinations of value types than xv reads row-wise (each column's types then).
  const pattern = db.prepare(`INSERT INTO patterns VALUES (${Array.from({length: 15}, () => '?').join(', ')})`)
  db.transaction(() => {
    for (let i = 0; i < 2 ** 14; i++) pattern.run(i, ...Array.from({length: 14}, (_v, j) => ((i >> j) & 1 ? null : j === 13 ? 0.5 : j % 2 ? `t${i}` : BigInt(i))))
  })()
  db.close()

  const gone = Number(execFileSync('sh', ['-c', 'echo $$'], {encoding: 'utf8'}).trim())
  stale = join(tmpdir(), `xv-sqlite-${gone}-test`)
  live = join(tmpdir(), `xv-sqlite-${process.ppid}-test`)
  for (const d of [stale, live]) mkdirSync(join(d, 'x'), {recursive: true})

  instance = await DuckDBInstance.create(':memory:')
  conn = await instance.connect()
  await conn.run("ATTACH ':memory:' AS src0")
  await streamSqliteInto(conn, file, 'src0')
}, 120_000)

afterAll(() => {
  rmSync(live, {recursive: true, force: true})
  conn.closeSync()
  instance.closeSync()
  rmSync(dir, {recursive: true, force: true})
})

describe('SQLite → DuckDB streaming', () => {
  it('keeps text exactly: NULL vs empty, quotes, commas, newlines, unicode, NUL, a 9 MB value', async () => {
    const got = await rows('SELECT i, t FROM src0.texts ORDER BY i')
    expect(got.map((r) => r[1])).toEqual([...TEXTS, null])
    expect((await rows("SELECT data_type FROM duckdb_columns() WHERE database_name = 'src0' AND table_name = 'texts' ORDER BY column_index")).flat()).toEqual(['BIGINT', 'VARCHAR'])
  })

  it('keeps 64-bit integers and every double bit for bit (infinities too)', async () => {
    const got = await rows('SELECT n, r FROM src0.numbers ORDER BY i')
    expect(got.map((r) => r[0])).toEqual([...INTS, ...REALS.slice(INTS.length).map(() => null), null])
    const reals = got.map((r) => r[1] as number | null)
    REALS.forEach((r, i) => expect(Object.is(reals[i], r), `real ${i}: ${String(reals[i])} vs ${r}`).toBe(true))
    expect(reals.at(-1)).toBeNull()
  })

  it('keeps blobs (empty, NUL bytes) apart from NULL', async () => {
    const got = await rows('SELECT b FROM src0.blobs ORDER BY i')
    expect(got.map((r) => bytes(r[0]))).toEqual([...BLOBS, null])
  })

  it('types mixed columns as text: numbers as SQLite prints them, blobs in hex', async () => {
    expect(await rows('SELECT m, bn FROM src0.mixed ORDER BY i')).toEqual([
      ['a"b', '0102'],
      ['42', '7'],
      ['0.30000000000000004', null],
      [null, ''],
    ])
  })

  it('reads tables without rowid, with a column named rowid, with only NULLs and empty strings, and empty tables', async () => {
    expect(await rows('SELECT k, v FROM src0.keyed ORDER BY k')).toEqual([['a', null], ['b', 0.25]])
    expect(await rows('SELECT "rowid", v FROM src0.shadow')).toEqual([['not the rowid', 1n]])
    expect(await rows('SELECT x FROM src0.lonely ORDER BY rowid')).toEqual([[null], [''], [null]])
    expect(await rows('SELECT count(*) FROM src0.empty')).toEqual([[0n]])
  })

  it('streams sparse and extreme rowids across chunks in rowid order', async () => {
    const got = await rows('SELECT n, s FROM src0.many ORDER BY rowid')
    expect(got).toHaveLength(20_002)
    expect(got.map((r) => Number(r[0]))).toEqual([-1, ...Array.from({length: 20_000}, (_v, i) => i), 20_000])
    expect(got[5]).toEqual([4n, 's4,"4"'])
  })

  it('types columns right when NULL patterns are many', async () => {
    const types = await rows("SELECT data_type FROM duckdb_columns() WHERE database_name = 'src0' AND table_name = 'patterns' ORDER BY column_index")
    expect(types.flat()).toEqual(['BIGINT', ...Array.from({length: 13}, (_v, j) => (j % 2 ? 'VARCHAR' : 'BIGINT')), 'DOUBLE'])
    expect(await rows('SELECT count(*), count(c1), sum(c0), max(c13) FROM src0.patterns')).toEqual([[16_384n, 8192n, BigInt(8191 * 8192) /* the even i */, 0.5]])
  })

  it('removes the chunk folders of xv processes that are gone, never those of live ones', () => {
    expect([existsSync(stale), existsSync(live)]).toEqual([false, true])
  })

  it('falls back to row-by-row reading for text that is not valid UTF-8', async () => {
    const got = await rows('SELECT i, t FROM src0.badtext ORDER BY i')
    expect(got).toEqual([[0n, '\uFFFDa'], [1n, 'fine']])
  })
})
