/** The SQLite result store: the existing sqlite adapter behind the ResultStore interface. */
import {describeTables, openDb, summariseVersions} from './sqlite.js'
import type {ResultStore, Row} from './result-store.js'

export function openSqliteStore(path: string, label: string, write: boolean): ResultStore {
  const db = openDb(path, {readonly: !write, label})
  return {
    kind: 'sqlite',
    label,
    // better-sqlite3 is synchronous: each answer is wrapped in a settled promise (a throw still rejects).
    tables: () => settle(() => describeTables(db)),
    rows: (sql, params = []) => settle(() => db.prepare(sql).all(...params) as Row[]),
    summariseVersions: (table, versionColumn, columns, only) => settle(() => summariseVersions(db, table, versionColumn, columns, only)),
    close: () => settle(() => {
      db.close()
    }),
  }
}

function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn())
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)))
  }
}
