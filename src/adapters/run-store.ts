/**
 * The run records of `xv run`, kept in the result database next to the rows the training writes,
 * so `xv merge` brings them home and every tag versions them with the results.
 *
 * Tables (created on first use):
 *   xv_runs           one row per run (lifecycle, provenance, JSON blobs for params/inputs/outputs)
 *   xv_run_artifacts  one row per (run, role, path): the DVC hash of each input at start and of each
 *                     configured artifact after the run
 *
 * A run is written twice — when its command has started (record + inputs) and when it has ended
 * (record + outputs) — each time as one short transaction behind a busy timeout, so a training
 * process that writes the same database is never blocked for longer than that.
 */
import {existsSync, lstatSync, mkdirSync} from 'node:fs'
import {dirname} from 'node:path'

import {NotFoundError, RefusedError, XvError, errorMessage} from '../errors.js'
import {type Db, listTables, openDb, quoteIdent} from './sqlite.js'

export const RUNS_TABLE = 'xv_runs'
export const RUN_ARTIFACTS_TABLE = 'xv_run_artifacts'

export type RunStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled'
export const RUN_STATUSES: RunStatus[] = ['pending', 'running', 'completed', 'failed', 'cancelled']

export interface RunRecord {
  run_id: string
  name: string | null
  version: string
  status: RunStatus
  /** JSON array of the command's argv. */
  command: string
  cwd: string
  started_at: string | null
  ended_at: string | null
  duration_s: number | null
  exit_code: number | null
  signal: string | null
  error_tail: string | null
  commit_sha: string | null
  branch: string | null
  worktree: string
  dirty: number
  diff_hash: string | null
  host: string
  user: string
  xv_version: string | null
  dvc_version: string | null
  python_version: string | null
  node_version: string | null
  pip_hash: string | null
  pip_freeze: string | null
  gpu: string | null
  seed: string | null
  /** JSON object: params file → its text. */
  params: string | null
  log_path: string | null
  rerun_of: string | null
  created_at: string
}

export interface RunArtifact {
  run_id: string
  role: 'input' | 'output'
  path: string
  md5: string
}

const COLUMNS: Array<[keyof RunRecord, string]> = [
  ['run_id', 'TEXT PRIMARY KEY'],
  ['name', 'TEXT'],
  ['version', 'TEXT NOT NULL'],
  ['status', 'TEXT NOT NULL'],
  ['command', 'TEXT NOT NULL'],
  ['cwd', 'TEXT'],
  ['started_at', 'TEXT'],
  ['ended_at', 'TEXT'],
  ['duration_s', 'REAL'],
  ['exit_code', 'INTEGER'],
  ['signal', 'TEXT'],
  ['error_tail', 'TEXT'],
  ['commit_sha', 'TEXT'],
  ['branch', 'TEXT'],
  ['worktree', 'TEXT'],
  ['dirty', 'INTEGER'],
  ['diff_hash', 'TEXT'],
  ['host', 'TEXT'],
  ['user', 'TEXT'],
  ['xv_version', 'TEXT'],
  ['dvc_version', 'TEXT'],
  ['python_version', 'TEXT'],
  ['node_version', 'TEXT'],
  ['pip_hash', 'TEXT'],
  ['pip_freeze', 'TEXT'],
  ['gpu', 'TEXT'],
  ['seed', 'TEXT'],
  ['params', 'TEXT'],
  ['log_path', 'TEXT'],
  ['rerun_of', 'TEXT'],
  ['created_at', 'TEXT NOT NULL'],
]

const CREATE = [
  `CREATE TABLE IF NOT EXISTS ${RUNS_TABLE} (${COLUMNS.map(([n, t]) => `${quoteIdent(n)} ${t}`).join(', ')})`,
  `CREATE INDEX IF NOT EXISTS xv_runs_version ON ${RUNS_TABLE} (version)`,
  `CREATE INDEX IF NOT EXISTS xv_runs_created ON ${RUNS_TABLE} (created_at)`,
  `CREATE TABLE IF NOT EXISTS ${RUN_ARTIFACTS_TABLE} (run_id TEXT NOT NULL, role TEXT NOT NULL, path TEXT NOT NULL, md5 TEXT NOT NULL, PRIMARY KEY (run_id, role, path))`,
  `CREATE INDEX IF NOT EXISTS xv_run_artifacts_md5 ON ${RUN_ARTIFACTS_TABLE} (md5)`,
]

/** Opens (creating when asked) the result database for run records; tables created on a writable open. */
export function openRunStore(path: string, label: string, writable: true): Db
export function openRunStore(path: string, label: string, writable: false): Db | undefined
export function openRunStore(path: string, label: string, writable: boolean): Db | undefined {
  if (!writable && !existsSync(path)) return undefined
  if (writable) {
    mkdirSync(dirname(path), {recursive: true})
    // A database linked into the DVC cache would change the cached object for every checkout.
    const st = existsSync(path) ? lstatSync(path) : undefined
    if (st && (st.isSymbolicLink() || st.nlink > 1))
      throw new RefusedError(`${label} is linked to the DVC cache (${st.isSymbolicLink() ? 'symlink' : 'hardlink'}); make it a private copy first: dvc unprotect ${label}`)
  }
  const db = openDb(path, {readonly: !writable, create: writable, label})
  if (writable) {
    try {
      db.pragma('busy_timeout = 10000')
      db.exec(CREATE.join(';\n'))
    } catch (error) {
      db.close()
      throw new XvError(`cannot create the run tables in ${label}: ${errorMessage(error)}`)
    }
  }

  return db
}

function hasRunTables(db: Db): boolean {
  return listTables(db).includes(RUNS_TABLE)
}

const UPSERT_RUN = (() => {
  const names = COLUMNS.map(([n]) => n)
  const set = names.filter((n) => n !== 'run_id').map((n) => `${quoteIdent(n)} = excluded.${quoteIdent(n)}`)
  return `INSERT INTO ${RUNS_TABLE} (${names.map(quoteIdent).join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')}) ON CONFLICT (run_id) DO UPDATE SET ${set.join(', ')}`
})()

/**
 * Writes RECORD (a new run, or the run's row replaced) and ARTIFACTS as ONE short transaction: one
 * commit, so the training process writing the same database waits at most that long.
 */
export function writeRun(db: Db, record: RunRecord, artifacts: RunArtifact[] = []): void {
  const run = db.prepare(UPSERT_RUN)
  const artifact = db.prepare(`INSERT OR REPLACE INTO ${RUN_ARTIFACTS_TABLE} (run_id, role, path, md5) VALUES (?, ?, ?, ?)`)
  db.transaction(() => {
    run.run(record)
    for (const r of artifacts) artifact.run(r.run_id, r.role, r.path, r.md5)
  })()
}

function getRun(db: Db, runId: string): RunRecord | undefined {
  if (!hasRunTables(db)) return undefined
  return db.prepare(`SELECT * FROM ${RUNS_TABLE} WHERE run_id = ?`).get(runId) as RunRecord | undefined
}

export function requireRun(db: Db | undefined, runId: string, label: string): RunRecord {
  const run = db ? getRun(db, runId) : undefined
  if (!run) throw noSuchRun(runId, label)
  return run
}

/** The error for a run id that is not recorded in LABEL. */
export function noSuchRun(runId: string, label: string): NotFoundError {
  return new NotFoundError('run', `no run '${runId}' in ${label}; see 'xv runs'`)
}

export function runArtifacts(db: Db, runId: string): RunArtifact[] {
  if (!listTables(db).includes(RUN_ARTIFACTS_TABLE)) return []
  return db.prepare(`SELECT * FROM ${RUN_ARTIFACTS_TABLE} WHERE run_id = ? ORDER BY role, path`).all(runId) as RunArtifact[]
}

export interface RunFilter {
  status?: RunStatus
  version?: string
  since?: string
  until?: string
  commit?: string
  /** Runs whose inputs (or outputs) include this md5, optionally at this path. */
  inputMd5?: string
  inputPath?: string
  where?: Array<{column: string; value: string}>
  limit?: number
}

/** Runs matching FILTER, newest first (one query). Columns in `where` are checked against the schema. */
export function queryRuns(db: Db, filter: RunFilter): RunRecord[] {
  if (!hasRunTables(db)) return []
  const conds: string[] = []
  const args: unknown[] = []
  const exact: Array<[string, string | undefined]> = [
    ['status = ?', filter.status],
    ['version = ?', filter.version],
    ['created_at >= ?', filter.since],
    ['created_at <= ?', filter.until],
    ['commit_sha LIKE ?', filter.commit && `${filter.commit}%`],
  ]
  for (const [cond, value] of exact) {
    if (!value) continue
    conds.push(cond)
    args.push(value)
  }

  if (filter.inputMd5 || filter.inputPath) {
    const sub: string[] = []
    if (filter.inputMd5) {
      sub.push('md5 LIKE ?')
      args.push(`${filter.inputMd5}%`)
    }
    if (filter.inputPath) {
      sub.push('path = ?')
      args.push(filter.inputPath)
    }
    conds.push(`run_id IN (SELECT run_id FROM ${RUN_ARTIFACTS_TABLE} WHERE role = 'input' AND ${sub.join(' AND ')})`)
  }

  for (const w of filter.where ?? []) {
    if (!COLUMNS.some(([n]) => n === w.column))
      throw new XvError(`unknown run column '${w.column}'; columns: ${COLUMNS.map(([n]) => n).join(', ')}`)
    conds.push(`CAST(${quoteIdent(w.column)} AS TEXT) = ?`)
    args.push(w.value)
  }

  const where = conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : ''
  const limit = filter.limit ? `LIMIT ${Math.floor(filter.limit)}` : ''
  return db.prepare(`SELECT * FROM ${RUNS_TABLE} ${where} ORDER BY created_at DESC, rowid DESC ${limit}`).all(...args) as RunRecord[]
}

/** Number of runs matching nothing but the table (for "N of M"). */
export function countRuns(db: Db): number {
  if (!hasRunTables(db)) return 0
  return (db.prepare(`SELECT count(*) AS n FROM ${RUNS_TABLE}`).get() as {n: number}).n
}

/** Number of rows labelled VERSION in TABLE's version column (0 when the table is absent). */
export function countLabelled(db: Db, table: string, versionColumn: string, versions: string[]): number {
  if (!listTables(db).includes(table) || versions.length === 0) return 0
  const row = db
    .prepare(`SELECT count(*) AS n FROM ${quoteIdent(table)} WHERE CAST(${quoteIdent(versionColumn)} AS TEXT) IN (${versions.map(() => '?').join(',')})`)
    .get(...versions) as {n: number}
  return row.n
}

/** Runs whose recorded outputs include MD5 (which run produced an artifact version). */
export function runsWithOutput(db: Db, md5: string): RunRecord[] {
  if (!hasRunTables(db)) return []
  return db
    .prepare(`SELECT r.* FROM ${RUNS_TABLE} r JOIN ${RUN_ARTIFACTS_TABLE} a ON a.run_id = r.run_id WHERE a.role = 'output' AND a.md5 = ? ORDER BY r.created_at`)
    .all(md5) as RunRecord[]
}
