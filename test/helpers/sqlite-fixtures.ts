/** Quick SQLite fixtures and checks for merge tests (real files, real SQLite). */
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import Database from 'better-sqlite3'
import {openDb} from '../../src/adapters/sqlite.js'

/** A `predictions` table of n rows in xetrack's shape, run ids `${prefix}-<run>` (100 rows a run). */
export function bigDb(path: string, n: number, prefix: string, version = 'e0.1.0'): void {
  const db = new Database(path)
  db.exec(`CREATE TABLE IF NOT EXISTS predictions (track_id TEXT, timestamp TEXT, version TEXT, input_id INTEGER, prediction TEXT, latency REAL)`)
  db.prepare(
    `INSERT INTO predictions WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ? - 1)
     SELECT ? || '-' || (i / 100), '2026-01-01T00:00:00', ?, i, 'label-' || (i % 7), (i % 100) / 1000.0 FROM s`,
  ).run(n, prefix, version)
  db.close()
}

/** Reads the database as xv's readers do: read-only, after rolling back a killed writer's hot journal. */
export function query<T = Record<string, unknown>>(path: string, sql: string): T[] {
  const db = openDb(path, {readonly: true})
  try {
    return db.prepare(sql).all() as T[]
  } finally {
    db.close()
  }
}

export function count(path: string, table: string): number {
  return (query<{n: number}>(path, `SELECT count(*) AS n FROM "${table}"`)[0]).n
}

export function integrity(path: string): string {
  return query<{integrity_check: string}>(path, 'PRAGMA integrity_check')[0].integrity_check
}

export function fileHash(path: string): string {
  return createHash('md5').update(readFileSync(path)).digest('hex')
}
