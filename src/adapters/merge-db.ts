/**
 * A merge target, whatever its engine: sources are attached to it as schemas `src0`, `src1`, …
 * and every change runs inside ONE transaction of the target. The SQL of each engine lives in its
 * adapter (sqlite.ts for SQLite, merge-duckdb.ts for DuckDB); the merge rules live in
 * domain/merge.ts and only call these verbs.
 *
 * A source of the other engine is streamed through xv into the target's engine first (DuckDB →
 * a temporary SQLite copy; SQLite → an in-memory DuckDB database attached as the source).
 */
import {existsSync, rmSync} from 'node:fs'

import {XvError, errorMessage} from '../errors.js'
import type {StoreKind} from './result-store.js'
import {isDuckDbFile} from './result-store.js'
import {
  addColumn, appendNewRows, appendNewRuns, attach, countRows, createTableLike, listColumnsIn, mergeByKey, openTarget, replaceByKey, snapshotTo, tablesIn,
  type ColumnInfo, type KeyedWin,
} from './sqlite.js'

export type {KeyedWin} from './sqlite.js'

export interface MergeDb {
  readonly kind: StoreKind
  /** Attaches FILE (either engine) read-only as SCHEMA. */
  attach(file: string, schema: string, label: string): Promise<void>
  /** Tables of SCHEMA (`main` = the target). */
  tables(schema: string): Promise<Array<{name: string; sql: string}>>
  columns(schema: string, table: string): Promise<ColumnInfo[]>
  count(schema: string, table: string): Promise<number>
  /** Creates TABLE in the target shaped like SCHEMA's (SQL is SQLite's CREATE statement). */
  createTableLike(schema: string, table: string, sql: string): Promise<void>
  addColumn(table: string, column: string, type: string): Promise<void>
  appendNewRuns(schema: string, table: string, columns: string[], id: string): Promise<number>
  appendNewRows(schema: string, table: string, columns: string[]): Promise<number>
  replaceByKey(schema: string, table: string, columns: string[], keys: string[]): Promise<{deleted: number; added: number}>
  mergeByKey(schema: string, table: string, columns: string[], keys: string[], win: KeyedWin): Promise<{replaced: number; added: number}>
  /** A consistent copy of the target (before the transaction), for a rebase's backup. */
  snapshotTo(file: string): Promise<void>
  /** Starts the one write transaction (fails with one line when another writer keeps the file). */
  begin(): Promise<void>
  commit(): Promise<void>
  rollback(): Promise<void>
  close(): Promise<void>
}

/** The engine of a merge target: its header when it exists, else its name (`.duckdb`/`.ddb` → DuckDB). */
export function targetKindOf(path: string): StoreKind {
  if (existsSync(path)) return isDuckDbFile(path) ? 'duckdb' : 'sqlite'
  return /\.(duckdb|ddb)$/i.test(path) ? 'duckdb' : 'sqlite'
}

/** Opens a merge target for writing (created when missing); waits up to WAIT_MS for another SQLite writer. */
export async function openMergeDb(path: string, label: string, waitMs: number): Promise<MergeDb> {
  if (targetKindOf(path) === 'duckdb') {
    const {openDuckMergeDb} = await import('./merge-duckdb.js')
    return openDuckMergeDb(path, label)
  }

  return openSqliteMergeDb(path, label, waitMs)
}

function openSqliteMergeDb(path: string, label: string, waitMs: number): MergeDb {
  const db = openTarget(path, label, waitMs)
  const copies: Array<() => void> = []
  const now = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn())
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
  }

  return {
    kind: 'sqlite',
    async attach(file, schema, sourceLabel) {
      let attachFile = file
      if (isDuckDbFile(file)) {
        // A DuckDB source is streamed into a temporary SQLite copy (the file itself is only read).
        const {duckToSqliteCopy} = await import('./result-store-convert.js')
        const copy = await duckToSqliteCopy(file, sourceLabel)
        copies.push(copy.cleanup)
        attachFile = copy.file
      }

      attach(db, attachFile, schema)
    },
    tables: (schema) => now(() => tablesIn(db, schema)),
    columns: (schema, table) => now(() => listColumnsIn(db, schema, table)),
    count: (schema, table) => now(() => countRows(db, schema, table)),
    createTableLike: (_schema, _table, sql) => now(() => {
      createTableLike(db, sql)
    }),
    addColumn: (table, column, type) => now(() => {
      addColumn(db, table, column, type)
    }),
    appendNewRuns: (schema, table, columns, id) => now(() => appendNewRuns(db, schema, table, columns, id)),
    appendNewRows: (schema, table, columns) => now(() => appendNewRows(db, schema, table, columns)),
    replaceByKey: (schema, table, columns, keys) => now(() => replaceByKey(db, schema, table, columns, keys)),
    mergeByKey: (schema, table, columns, keys, win) => now(() => mergeByKey(db, schema, table, columns, keys, win)),
    snapshotTo: (file) => now(() => {
      snapshotTo(db, file)
    }),
    begin: () => now(() => {
      try {
        db.exec('BEGIN IMMEDIATE')
      } catch (error) {
        throw new XvError(`${label} is locked by another writer (another xv merge?) and stayed locked; try again (${errorMessage(error)})`)
      }
    }),
    commit: () => now(() => {
      db.exec('COMMIT')
    }),
    rollback: () => now(() => {
      if (db.inTransaction) db.exec('ROLLBACK')
    }),
    close: () => now(() => {
      db.close()
      for (const cleanup of copies) cleanup()
    }),
  }
}

/** Removes a target xv created (and DuckDB's write-ahead log next to it). */
export function removeCreatedTarget(path: string): void {
  for (const f of [path, `${path}.wal`, `${path}-journal`]) rmSync(f, {force: true})
}
