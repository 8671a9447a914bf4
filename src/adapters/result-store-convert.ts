/**
 * A DuckDB result database read through xv's SQLite readers: its tables are streamed (DuckDB
 * chunks → one SQLite transaction) into a temporary SQLite copy that show, diff (incl. --rows) and
 * merge sources open like any other. The DuckDB file is opened read-only and never changed.
 */
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import type {DuckDBConnection} from '@duckdb/node-api'

import {XvError, errorMessage} from '../errors.js'
import {quoteIdentDuck, sqlString} from './duckdb.js'
import {catalogColumnsSql, columnsByTable} from './duckdb-schema.js'
import {jsValue, openDuckFile} from './result-store-duckdb.js'
import {isDuckDbFile} from './result-store.js'
import {quoteIdent, runsMissingFrom, type ColumnInfo} from './sqlite.js'

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|BOOLEAN)$/i
const REAL = /^(FLOAT|REAL|DOUBLE|DECIMAL.*|NUMERIC.*)$/i

function sqliteType(duckType: string): {type: string; cast: string} {
  if (INTEGER.test(duckType)) return {type: 'INTEGER', cast: /HUGEINT|UBIGINT/i.test(duckType) ? 'DOUBLE' : 'BIGINT'}
  if (REAL.test(duckType)) return {type: 'REAL', cast: 'DOUBLE'}
  if (/^BLOB$/i.test(duckType)) return {type: 'BLOB', cast: 'BLOB'}
  return {type: duckType === 'VARCHAR' ? 'TEXT' : `TEXT /* ${duckType.replaceAll('*/', '')} */`, cast: 'VARCHAR'}
}

/** A DuckDB value as SQLite stores it: big integers kept, blobs as bytes, other values as text. */
function sqliteValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v
  if (v === null || typeof v !== 'object') return v
  const bytes = (v as {bytes?: unknown}).bytes
  return bytes instanceof Uint8Array ? Buffer.from(bytes) : jsValue(v)
}

const text = (column: string) => `CAST(${quoteIdentDuck(column)} AS VARCHAR)`

/** The WHERE (and for `best` the ORDER BY … LIMIT 1) of the rows of TABLE that WHERE chooses, as DuckDB SQL. */
function rowsClause(table: string, where: RowsWhere): string {
  if ('best' in where) {
    const {metric, direction, filters} = where.best
    const m = quoteIdentDuck(metric)
    const conds = [`${m} IS NOT NULL`, `NOT isnan(CAST(${m} AS DOUBLE))`, ...filters.map((f) => `${text(f.column)} ${f.not ? 'NOT IN' : 'IN'} (${f.values.map(sqlString).join(', ') || 'NULL'})`)]
    return ` WHERE ${conds.join(' AND ')} ORDER BY ${m} ${direction === 'higher' ? 'DESC' : 'ASC'}, rowid DESC LIMIT 1`
  }

  return ` WHERE ${condition(table, where)}`
}

function condition(table: string, where: RowsCondition): string {
  if ('anyOf' in where) return where.anyOf.map((w) => `(${condition(table, w)})`).join(' OR ') || 'false'
  const column = text(where.column)
  if ('newest' in where) return `${column} = (SELECT ${column} FROM ${quoteIdentDuck(table)} ORDER BY rowid DESC LIMIT 1)`
  if ('inRowsOf' in where) {
    const {table: other, column: wanted, key, value} = where.inRowsOf
    return `${column} IN (SELECT ${text(wanted)} FROM ${quoteIdentDuck(other)} WHERE ${text(key)} = ${sqlString(value)})`
  }

  return `${column} IN (${where.values.map(sqlString).join(', ') || 'NULL'})`
}

export interface SqliteCopy {
  file: string
  cleanup: () => void
}

/**
 * Which rows of a table to copy: all of them (the default), none (the table's shape only), those
 * WHERE chooses, or only the distinct values of some COLUMNS. TABLES holds every table's columns
 * (with DuckDB's types). The filtering runs inside DuckDB, so a narrow question (one version's
 * rows, one run's, the best row, the run ids) copies little.
 */
export type CopyScope = (table: string, columns: string[], tables: ReadonlyMap<string, ColumnInfo[]>) => 'all' | 'none' | {where?: RowsWhere; distinct?: string[]}

/** Rows chosen by conditions (values compared as text, CAST … AS VARCHAR), or the best row. */
export type RowsWhere =
  | RowsCondition
  /** The one row with the best number in METRIC (ties: the newest) among the rows FILTERS keep. */
  | {best: {metric: string; direction: 'higher' | 'lower'; filters: Array<{column: string; values: string[]; not?: boolean}>}}

export type RowsCondition =
  /** COLUMN is one of VALUES. */
  | {column: string; values: string[]}
  /** COLUMN equals its value in the table's newest row. */
  | {column: string; newest: true}
  /** COLUMN is one of the values of another table's column in the rows whose KEY is VALUE. */
  | {column: string; inRowsOf: {table: string; column: string; key: string; value: string}}
  | {anyOf: RowsCondition[]}

/** One table of the DuckDB connection CONN copied into the SQLite database OUT (rows chosen by ROWS), chunk by chunk. */
async function copyTable(conn: DuckDBConnection, out: Database.Database, table: string, all: ColumnInfo[], rows: ReturnType<CopyScope>): Promise<void> {
  const kept = typeof rows === 'object' && rows.distinct ? all.filter((c) => rows.distinct?.includes(c.name)) : all
  if (kept.length === 0) return
  const mapped = kept.map((c) => ({...c, ...sqliteType(c.type)}))
  // The primary key is kept (diff --rows matches rows by it, as on an SQLite file) when every column of it is copied.
  const pk = all.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk)
  const key = pk.length > 0 && pk.every((c) => kept.includes(c)) ? `, PRIMARY KEY (${pk.map((c) => quoteIdent(c.name)).join(', ')})` : ''
  out.exec(`CREATE TABLE ${quoteIdent(table)} (${mapped.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')}${key})`)
  if (rows === 'none') return
  const insert = out.prepare(`INSERT INTO ${quoteIdent(table)} VALUES (${mapped.map(() => '?').join(', ')})`)
  const select = mapped.map((c) => `CAST(${quoteIdentDuck(c.name)} AS ${c.cast})`).join(', ')
  const where = typeof rows === 'object' && rows.where ? rowsClause(table, rows.where) : ''
  const distinct = typeof rows === 'object' && rows.distinct ? 'DISTINCT ' : ''
  const result = await conn.stream(`SELECT ${distinct}${select} FROM ${quoteIdentDuck(table)}${where}`)
  const write = out.transaction((chunk: unknown[][]) => {
    for (const r of chunk) insert.run(...r.map(sqliteValue))
  })
  for (;;) {
    const chunk = await result.fetchChunk()
    if (!chunk || chunk.rowCount === 0) break
    write(chunk.getRows())
  }
}

/** Copies the tables of the DuckDB file DUCK (rows chosen by SCOPE) into a temporary SQLite file. */
export async function duckToSqliteCopy(duck: string, label: string, scope: CopyScope = () => 'all'): Promise<SqliteCopy> {
  const {instance, conn} = await openDuckFile(duck, label, false)
  const dir = mkdtempSync(join(tmpdir(), 'xv-duck-'))
  const file = join(dir, 'copy.sqlite')
  const out = new Database(file)
  const cleanup = () => rmSync(dir, {recursive: true, force: true})
  try {
    out.pragma('journal_mode = OFF')
    out.pragma('synchronous = OFF')
    const tables = columnsByTable((await conn.runAndReadAll(catalogColumnsSql(true, true))).getRowObjectsJS())
    for (const [table, all] of tables) await copyTable(conn, out, table, all, scope(table, all.map((c) => c.name), tables))
    out.close()
    return {file, cleanup}
  } catch (error) {
    out.close()
    cleanup()
    if (error instanceof XvError) throw error
    throw new XvError(`cannot read ${label} (DuckDB): ${errorMessage(error).split('\n')[0]}`)
  } finally {
    conn.closeSync()
    instance.closeSync()
  }
}

/**
 * Runs FN on an SQLite file holding PATH's rows: PATH itself when it is SQLite, else a temporary
 * copy of the DuckDB file's rows chosen by SCOPE (removed afterwards).
 */
export async function withSqliteFile<T>(path: string, label: string, scope: CopyScope, fn: (file: string) => T | Promise<T>): Promise<T> {
  if (!isDuckDbFile(path)) return fn(path)
  const copy = await duckToSqliteCopy(path, label, scope)
  try {
    return await fn(copy.file)
  } finally {
    copy.cleanup()
  }
}

/**
 * `runsMissingFrom` for result databases of either engine (worktree remove, status): a DuckDB
 * side is copied as the distinct run ids of its tables only (MATCH's columns for the tables it names).
 */
export async function runsMissingAnyEngine(
  src: string,
  dst: string | undefined,
  idColumn: string,
  match: Record<string, string[]> = {},
): Promise<ReturnType<typeof runsMissingFrom>> {
  const ids: CopyScope = (table, columns) => {
    const wanted = match[table] ?? [idColumn]
    return wanted.every((c) => columns.includes(c)) ? {distinct: wanted} : 'none'
  }

  return withSqliteFile(src, src, ids, (from) =>
    dst && existsSync(dst) ? withSqliteFile(dst, dst, ids, (into) => runsMissingFrom(from, into, idColumn, match)) : runsMissingFrom(from, undefined, idColumn, match),
  )
}
