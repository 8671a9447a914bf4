/**
 * Rows of an SQLite file streamed into DuckDB: every table is read in order by better-sqlite3
 * (one row at a time, integers as BigInt) and appended in data chunks of 2,048 rows to a table of
 * the same name in a DuckDB catalog (an in-memory database attached to the target). Nothing is
 * downloaded: DuckDB never reads the SQLite file itself (that would need its sqlite extension).
 */
import Database from 'better-sqlite3'
import type {DuckDBConnection, DuckDBType, DuckDBValue} from '@duckdb/node-api'

import {quoteIdentDuck as qd} from './duckdb.js'
import {describeTables, quoteIdent} from './sqlite.js'

const CHUNK = 2048

type Kind = 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'BLOB'

/**
 * The DuckDB type of an SQLite column: from the values it really holds (SQLite columns may mix
 * types), else from its declared type. Text anywhere makes it VARCHAR.
 */
function kindOf(seen: {text: number; blob: number; real: number; int: number}, declared: string): Kind {
  if (seen.text) return 'VARCHAR'
  if (seen.blob) return seen.real || seen.int ? 'VARCHAR' : 'BLOB'
  if (seen.real) return 'DOUBLE'
  if (seen.int) return 'BIGINT'
  const t = declared.toUpperCase()
  if (t.includes('INT')) return 'BIGINT'
  if (/REAL|FLOA|DOUB|NUM|DEC/.test(t)) return 'DOUBLE'
  if (t.includes('BLOB')) return 'BLOB'
  return 'VARCHAR'
}

function convert(kind: Kind, blob: (b: Uint8Array) => DuckDBValue): (v: unknown) => DuckDBValue {
  switch (kind) {
    case 'BIGINT': {
      return (v) => (v === null || v === undefined ? null : typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))))
    }

    case 'DOUBLE': {
      return (v) => (v === null || v === undefined ? null : Number(v))
    }

    case 'BLOB': {
      return (v) => (v === null || v === undefined ? null : blob(v as Uint8Array))
    }

    default: {
      return (v) => (v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString('hex') : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? v.toString() : JSON.stringify(v))
    }
  }
}

/** Streams every table of the SQLite file FILE into CATALOG (an attached DuckDB database) on CONN. */
export async function streamSqliteInto(conn: DuckDBConnection, file: string, catalog: string): Promise<void> {
  const api = await import('@duckdb/node-api')
  const types: Record<Kind, DuckDBType> = {BIGINT: api.BIGINT, DOUBLE: api.DOUBLE, VARCHAR: api.VARCHAR, BLOB: api.BLOB}
  const db = new Database(file, {readonly: true, fileMustExist: true})
  try {
    for (const {table, columns} of describeTables(db)) {
      const q = (c: string) => quoteIdent(c)
      const probe = columns.map((c, i) => ['text', 'blob', 'real', 'integer'].map((t) => `max(typeof(${q(c.name)}) = '${t}') AS "${t}${i}"`).join(', '))
      const seen = (probe.length > 0 ? db.prepare(`SELECT ${probe.join(', ')} FROM ${q(table)}`).get() : {}) as Record<string, number | null>
      const kinds = columns.map((c, i) =>
        kindOf({text: seen[`text${i}`] ?? 0, blob: seen[`blob${i}`] ?? 0, real: seen[`real${i}`] ?? 0, int: seen[`integer${i}`] ?? 0}, c.type),
      )
      await conn.run(`CREATE TABLE ${qd(catalog)}.main.${qd(table)} (${columns.map((c, i) => `${qd(c.name)} ${kinds[i] ?? 'VARCHAR'}`).join(', ')})`)
      if (columns.length === 0) continue
      await appendRows(conn, db, {table, catalog, kinds, types})
    }
  } finally {
    db.close()
  }
}

async function appendRows(
  conn: DuckDBConnection,
  db: Database.Database,
  target: {table: string; catalog: string; kinds: Kind[]; types: Record<Kind, DuckDBType>},
): Promise<void> {
  const api = await import('@duckdb/node-api')
  const {table, catalog, kinds, types} = target
  const converters = kinds.map((k) => convert(k, (b) => api.blobValue(b)))
  const chunkTypes = kinds.map((k) => types[k])
  const appender = await conn.createAppender(table, 'main', catalog)
  const stmt = db.prepare(`SELECT * FROM ${quoteIdent(table)}`).raw(true).safeIntegers(true)
  let cols: DuckDBValue[][] = kinds.map(() => [])
  let n = 0
  const flush = () => {
    if (n === 0) return
    const chunk = api.DuckDBDataChunk.create(chunkTypes, n)
    chunk.setColumns(cols)
    appender.appendDataChunk(chunk)
    cols = kinds.map(() => [])
    n = 0
  }

  try {
    for (const row of stmt.iterate() as Iterable<unknown[]>) {
      for (let i = 0; i < converters.length; i++) cols[i]?.push((converters[i] as (v: unknown) => DuckDBValue)(row[i]))
      if (++n === CHUNK) flush()
    }

    flush()
    appender.flushSync()
  } finally {
    appender.closeSync()
  }
}
