/**
 * SQLite's side files of a result database: the write-ahead log, its shared memory and the rollback
 * journal. A writer killed mid-transaction (kill -9, a crash, power loss) leaves a hot journal; the
 * next connection that may write rolls it back, but a read-only one cannot and fails with
 * SQLITE_READONLY_ROLLBACK. xv reads result databases read-only, so it settles such a journal first.
 */
import {existsSync, statSync} from 'node:fs'
import Database from 'better-sqlite3'
import {XvError, errorMessage} from '../errors.js'

/** SQLite's side files of a database: write-ahead log, shared memory, rollback journal. */
export const SQLITE_SIDE_SUFFIXES = ['-wal', '-shm', '-journal'] as const

/**
 * Opens the database at PATH for writing and reads its schema: opening rolls a hot rollback
 * journal back (the database returns to its state before the interrupted transaction); SQLite
 * leaves a live writer's journal alone.
 */
function openSettled(path: string, busyMs: number): Database.Database {
  const db = new Database(path, {fileMustExist: true})
  try {
    db.pragma(`busy_timeout = ${busyMs}`)
    db.prepare('SELECT count(*) FROM sqlite_master').get()
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

/**
 * Rolls back a hot journal of the database at PATH, as any writing connection would, so that
 * read-only connections can read it. When the file cannot be opened for writing, nothing happens
 * here and the read reports SQLite's own error.
 */
export function settleHotJournal(path: string): void {
  const journal = `${path}-journal`
  if (!existsSync(journal) || statSync(journal).size === 0) return
  try {
    openSettled(path, 5000).close()
  } catch {
    // Not writable (or busy): the read-only open that follows says why.
  }
}

/**
 * Folds the write-ahead log of the database at PATH into the file itself
 * (`PRAGMA wal_checkpoint(TRUNCATE)`), after rolling back a hot journal. Returns false when another
 * connection kept the checkpoint from completing.
 */
export function checkpointWal(path: string, label: string): boolean {
  let db: Database.Database | undefined
  try {
    db = openSettled(path, 2000)
    const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{busy: number; log: number; checkpointed: number}>
    return !row || row.busy === 0
  } catch (error) {
    if (/busy|locked/i.test(errorMessage(error))) return false
    throw new XvError(`cannot checkpoint ${label}: ${errorMessage(error)}`)
  } finally {
    db?.close()
  }
}
