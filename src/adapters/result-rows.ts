/**
 * Reads of experiment rows for "which run is best" and "what does this version hold": row and run
 * counts of a version, and the best row by a metric (one ordered top-1 query; SQLite keeps only
 * the best row while scanning). Identifiers are checked by the callers against the schema and
 * quoted here; values are bound.
 */
import {type ColumnInfo, type Db, quoteIdent as q} from './sqlite.js'

export interface RowFilter {
  versionColumn?: string
  /** Version values (e.g. `e0.3.0` and `0.3.0`). */
  versions?: string[]
  where?: Array<{column: string; value: string}>
  /** Version values to leave out (retracted versions). */
  excludeVersions?: string[]
}

function whereClause(filter: RowFilter, extra: string[] = []): {sql: string; args: unknown[]} {
  const conds = [...extra]
  const args: unknown[] = []
  if (filter.versionColumn && filter.versions && filter.versions.length > 0) {
    conds.push(`CAST(${q(filter.versionColumn)} AS TEXT) IN (${filter.versions.map(() => '?').join(',')})`)
    args.push(...filter.versions)
  }

  if (filter.versionColumn && filter.excludeVersions && filter.excludeVersions.length > 0) {
    conds.push(`CAST(${q(filter.versionColumn)} AS TEXT) NOT IN (${filter.excludeVersions.map(() => '?').join(',')})`)
    args.push(...filter.excludeVersions)
  }

  for (const w of filter.where ?? []) {
    conds.push(`CAST(${q(w.column)} AS TEXT) = ?`)
    args.push(w.value)
  }

  return {sql: conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : '', args}
}

/** Rows matching FILTER and their distinct run ids (ID column), in one query. */
export function rowAndRunCount(db: Db, table: string, filter: RowFilter, idColumn?: string): {rows: number; runs: number} {
  const w = whereClause(filter)
  const runs = idColumn ? `count(DISTINCT ${q(idColumn)})` : 'count(*)'
  const r = db.prepare(`SELECT count(*) AS rows, ${runs} AS runs FROM ${q(table)} ${w.sql}`).get(...w.args) as {rows: number; runs: number}
  return {rows: r.rows, runs: idColumn ? r.runs : r.rows}
}

/** The row with the best numeric value of METRIC (ties: the newest row), or undefined. */
export function bestRow(db: Db, table: string, metric: string, direction: 'higher' | 'lower', filter: RowFilter): Record<string, unknown> | undefined {
  const w = whereClause(filter, [`typeof(${q(metric)}) IN ('integer', 'real')`])
  const order = direction === 'higher' ? 'DESC' : 'ASC'
  return db.prepare(`SELECT * FROM ${q(table)} ${w.sql} ORDER BY ${q(metric)} ${order}, rowid DESC LIMIT 1`).get(...w.args) as
    | Record<string, unknown>
    | undefined
}

/** The newest row (by rowid) matching FILTER. */
export function newestRow(db: Db, table: string, filter: RowFilter): Record<string, unknown> | undefined {
  const w = whereClause(filter)
  return db.prepare(`SELECT * FROM ${q(table)} ${w.sql} ORDER BY rowid DESC LIMIT 1`).get(...w.args) as Record<string, unknown> | undefined
}

/** Rows whose ID column equals one of IDS (at most LIMIT). */
export function rowsOfRun(db: Db, table: string, idColumn: string, id: string, limit = 1000): Array<Record<string, unknown>> {
  return db.prepare(`SELECT * FROM ${q(table)} WHERE CAST(${q(idColumn)} AS TEXT) = ? LIMIT ?`).all(id, limit) as Array<Record<string, unknown>>
}

/** Columns of a row-per-metric table (seed 004's `metrics`): one row per (run, metric, step). */
const LONG_NAME_COLUMN = 'metric_name'
const LONG_VALUE_COLUMN = 'value'

export function isLongTable(columns: ColumnInfo[]): boolean {
  const names = columns.map((c) => c.name)
  return names.includes(LONG_NAME_COLUMN) && names.includes(LONG_VALUE_COLUMN)
}

/**
 * The one pivoting reader: a row-per-metric table (`metric_name, value, step, epoch`, …) seen as
 * one row per (every other column) with one column per metric name, as a TEMP view on this
 * connection (read-only databases allow it). Returns the view's name and columns; every reader
 * (tag summary, best, runs show) then treats it like a wide table.
 */
export function pivotLongTable(db: Db, table: string, columns: ColumnInfo[]): {table: string; columns: ColumnInfo[]; metrics: string[]} {
  const keys = columns.filter((c) => c.name !== LONG_NAME_COLUMN && c.name !== LONG_VALUE_COLUMN && c.name !== 'timestamp' && !/^(metric_id|id)$/.test(c.name))
  const metricNames = (db.prepare(`SELECT DISTINCT CAST(${q(LONG_NAME_COLUMN)} AS TEXT) AS m FROM ${q(table)} WHERE ${q(LONG_NAME_COLUMN)} IS NOT NULL ORDER BY 1`).all() as Array<{m: string}>).map((r) => r.m)
  const taken = new Set(keys.map((k) => k.name))
  const metrics = metricNames.filter((m) => !taken.has(m))
  const view = `xv_pivot_${table.replace(/\W/g, '_')}`
  const select = [
    ...keys.map((k) => q(k.name)),
    ...metrics.map((m) => `max(CASE WHEN ${q(LONG_NAME_COLUMN)} = '${m.replaceAll("'", "''")}' THEN ${q(LONG_VALUE_COLUMN)} END) AS ${q(m)}`),
    `min(rowid) AS rowid`,
  ]
  db.exec(`CREATE TEMP VIEW IF NOT EXISTS ${q(view)} AS SELECT ${select.join(', ')} FROM ${q(table)} GROUP BY ${keys.map((k) => q(k.name)).join(', ') || '1'}`)
  return {table: view, columns: [...keys, ...metrics.map((m) => ({name: m, type: "REAL", pk: 0, notnull: false}))], metrics}
}

/**
 * Rows of VERSION whose `timestamp` falls within [FROM, TO] (UTC). A timestamp with a zone says
 * which; one without may be local time (xetrack writes `datetime.now()`) or UTC (SQLite's
 * CURRENT_TIMESTAMP): either reading inside the window counts (`'utc'` leaves a zoned one as is).
 */
export function rowsInWindow(db: Db, table: string, versionColumn: string, version: string, from: string, to: string, limit = 1000): Array<Record<string, unknown>> {
  const inWindow = (t: string) => `${t} BETWEEN julianday(?) AND julianday(?)`
  return db
    .prepare(`SELECT * FROM ${q(table)} WHERE CAST(${q(versionColumn)} AS TEXT) = ? AND (${inWindow('julianday("timestamp", \'utc\')')} OR ${inWindow('julianday("timestamp")')}) LIMIT ?`)
    .all(version, from, to, from, to, limit) as Array<Record<string, unknown>>
}
