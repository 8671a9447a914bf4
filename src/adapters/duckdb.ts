/**
 * The one place xv uses DuckDB (Parquet). Loaded lazily — only `xv merge --data` pays for it —
 * and never downloads anything: extension auto-install/auto-load are switched off.
 */
import {closeSync, openSync, readSync, statSync} from 'node:fs'
import {createRequire} from 'node:module'

import {XvError, errorMessage} from '../errors.js'

type DuckApi = typeof import('@duckdb/node-api')

let api: DuckApi | undefined

/**
 * `@duckdb/node-api`, loaded on first use through `require`: it is a CommonJS package, and an ESM
 * `import()` of it first scans every one of its ~50 files for their exports (≈ 0.1 s of CPU).
 */
export function duckApi(): DuckApi {
  api ??= createRequire(import.meta.url)('@duckdb/node-api') as DuckApi
  return api
}

/** Never download or load an extension (xv works offline; Parquet and JSON are built in). */
export const NO_EXTENSIONS = {autoinstall_known_extensions: 'false', autoload_known_extensions: 'false'} as const

export interface DuckSession {
  /** Runs a statement. */
  run(sql: string): Promise<void>
  /** Runs a query and returns its rows as objects. */
  rows(sql: string): Promise<Array<Record<string, unknown>>>
}

/** A SQL string literal (file paths cannot be bound in COPY … TO). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

export function quoteIdentDuck(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** True when the file has Parquet's magic bytes at both ends. */
export function isParquetFile(path: string): boolean {
  const size = statSync(path).size
  if (size < 12) return false
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(4)
    const tail = Buffer.alloc(4)
    readSync(fd, head, 0, 4, 0)
    readSync(fd, tail, 0, 4, size - 4)
    return head.toString('latin1') === 'PAR1' && tail.toString('latin1') === 'PAR1'
  } finally {
    closeSync(fd)
  }
}

export async function withDuckDb<T>(fn: (s: DuckSession) => Promise<T>): Promise<T> {
  const instance = await duckApi().DuckDBInstance.create(':memory:', NO_EXTENSIONS)
  const conn = await instance.connect()
  const session: DuckSession = {
    async run(sql) {
      await conn.run(sql)
    },
    async rows(sql) {
      const reader = await conn.runAndReadAll(sql)
      return reader.getRowObjects()
    },
  }
  try {
    return await fn(session)
  } catch (error) {
    if (error instanceof XvError) throw error
    throw new XvError(`DuckDB failed: ${errorMessage(error).split('\n')[0]}`)
  } finally {
    conn.closeSync()
    instance.closeSync()
  }
}

// ---- Parquet SQL of `xv merge --data` (domain/parquet-merge.ts holds the rules) ------------------

const readParquet = (file: string) => `read_parquet(${sqlString(file)})`

/** Column names of a Parquet file. */
export async function parquetColumns(s: DuckSession, file: string): Promise<string[]> {
  return (await s.rows(`DESCRIBE SELECT * FROM ${readParquet(file)}`)).map((r) => String(r.column_name))
}

/** Rows of a Parquet file, or of a query built by the functions below. */
export async function parquetCount(s: DuckSession, what: {file: string} | {query: string}): Promise<number> {
  const from = 'file' in what ? readParquet(what.file) : `(${what.query})`
  return Number((await s.rows(`SELECT count(*) AS n FROM ${from}`))[0]?.n ?? 0)
}

/** Every row of FILES, columns matched by name (a column missing on one side is NULL). */
export function parquetUnion(files: string[]): string {
  return files.map((f) => `SELECT * FROM ${readParquet(f)}`).join(' UNION ALL BY NAME ')
}

/** Rows of BASE whose KEYS match no row of the query SOURCES (NULL keys match NULL). */
export function parquetRowsNotIn(base: string, sources: string, keys: string[]): string {
  const match = keys.map((k) => `s.${quoteIdentDuck(k)} IS NOT DISTINCT FROM b.${quoteIdentDuck(k)}`).join(' AND ')
  return `SELECT * FROM ${readParquet(base)} b WHERE NOT EXISTS (SELECT 1 FROM (${sources}) s WHERE ${match})`
}

/** The rows of FILE, then QUERY's, columns matched by name. */
export function parquetThen(file: string, query: string): string {
  return `SELECT * FROM ${readParquet(file)} UNION ALL BY NAME ${query}`
}

/** Writes QUERY's rows to the Parquet file FILE. */
export async function writeParquet(s: DuckSession, query: string, file: string): Promise<void> {
  await s.run(`COPY (${query}) TO ${sqlString(file)} (FORMAT parquet)`)
}
