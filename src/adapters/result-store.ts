/**
 * A result database, whatever engine wrote it: SQLite (xetrack's default) or DuckDB (DuckDB-based
 * trackers). The engine is chosen by the file's header, never by its name. Readers that go through
 * this interface work on both; SQL they pass to `rows` must be plain (double-quoted identifiers,
 * `?` parameters, CAST … AS TEXT), which both engines accept.
 */
import {closeSync, existsSync, openSync, readSync, statSync} from 'node:fs'

import {XvError} from '../errors.js'
import type {ColumnInfo, VersionSummary} from './sqlite.js'

export type StoreKind = 'sqlite' | 'duckdb'

export type Row = Record<string, unknown>

export interface ResultStore {
  readonly kind: StoreKind
  readonly label: string
  /** Every table of the main schema with its columns (types as the engine names them). */
  tables(): Promise<Array<{table: string; columns: ColumnInfo[]}>>
  /** A plain SELECT with bound values; numbers come back as JS numbers (big integers as text). */
  rows(sql: string, params?: unknown[]): Promise<Row[]>
  /** Per version: row count, mean of every numeric column, shared value of every text column. */
  summariseVersions(table: string, versionColumn: string, columns: ColumnInfo[], only?: string[]): Promise<VersionSummary[]>
  close(): Promise<void>
}

export interface StoreOpenOptions {
  /** How the file is named in messages (defaults to the path). */
  label?: string
  /** Open for writing (DuckDB: one writer at a time; the holder is named when another process has it). */
  write?: boolean
}

/** The engine of a result database by its header; undefined when it is neither. */
export function storeKindOf(path: string): StoreKind | undefined {
  const size = statSync(path).size
  if (size === 0) return 'sqlite'
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(16)
    readSync(fd, buf, 0, 16, 0)
    if (buf.toString('latin1') === 'SQLite format 3\u0000') return 'sqlite'
    if (buf.subarray(8, 12).toString('latin1') === 'DUCK') return 'duckdb'
    return undefined
  } finally {
    closeSync(fd)
  }
}

export function isDuckDbFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile() && storeKindOf(path) === 'duckdb'
}

/** Opens a result database with the engine its header names. */
export async function openResultStore(path: string, options: StoreOpenOptions = {}): Promise<ResultStore> {
  const label = options.label ?? path
  if (!existsSync(path)) throw new XvError(`result database ${label} does not exist`)
  if (statSync(path).isDirectory()) throw new XvError(`${label} is a directory, not a result database`)
  const kind = storeKindOf(path)
  if (kind === 'duckdb') {
    const {openDuckStore} = await import('./result-store-duckdb.js')
    return openDuckStore(path, label, Boolean(options.write))
  }

  if (kind === 'sqlite') {
    const {openSqliteStore} = await import('./result-store-sqlite.js')
    return openSqliteStore(path, label, Boolean(options.write))
  }

  throw new XvError(`${label} is neither an SQLite nor a DuckDB database (unknown file header)`)
}

/** Runs FN with the store open, closing it afterwards. */
export async function withResultStore<T>(path: string, options: StoreOpenOptions, fn: (store: ResultStore) => Promise<T>): Promise<T> {
  const store = await openResultStore(path, options)
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}

/**
 * Before a result database is hashed (dvc add): a DuckDB file gets its WAL folded in (CHECKPOINT;
 * DuckDB then removes the `.wal`, so it is never staged). Opening for writing fails with one line
 * naming the process that holds the file. SQLite files are left as they are (xv's SQLite writers
 * commit before hashing). Returns true when a checkpoint ran.
 */
export async function checkpointForHashing(path: string, label: string): Promise<boolean> {
  if (!isDuckDbFile(path)) return false
  const store = await openResultStore(path, {label, write: true})
  await store.close() // close() of a writable DuckDB store runs CHECKPOINT
  return true
}
