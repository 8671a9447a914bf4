/** The SQLite result store: the existing sqlite adapter behind the ResultStore interface. */
import {describeTables, openDb, summariseVersions} from './sqlite.js'
import type {ResultStore, Row} from './result-store.js'

export function openSqliteStore(path: string, label: string, write: boolean): ResultStore {
  const db = openDb(path, {readonly: !write, label})
  return {
    kind: 'sqlite',
    label,
    async tables() {
      return describeTables(db)
    },
    async rows(sql, params = []) {
      return db.prepare(sql).all(...params) as Row[]
    },
    async summariseVersions(table, versionColumn, columns, only) {
      return summariseVersions(db, table, versionColumn, columns, only)
    },
    async close() {
      db.close()
    },
  }
}
