/**
 * The one place xv opens SQLite result databases (better-sqlite3, embedded: nothing downloaded).
 * Identifiers are checked against the real schema and quoted; values are always bound.
 */
import {closeSync, existsSync, openSync, readSync, statSync} from 'node:fs'
import Database from 'better-sqlite3'

import {XvError, errorMessage} from '../errors.js'
import {settleHotJournal} from './sqlite-side-files.js'

export type Db = Database.Database

export interface ColumnInfo {
  name: string
  type: string
  pk: number
  notnull: boolean
}

const HEADER = 'SQLite format 3\u0000'

/** True when the file starts with SQLite's header (an empty file counts as an empty database). */
export function isSqliteFile(path: string): boolean {
  const size = statSync(path).size
  if (size === 0) return true
  if (size < 100) return false
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(16)
    readSync(fd, buf, 0, 16, 0)
    return buf.toString('latin1') === HEADER
  } finally {
    closeSync(fd)
  }
}

export interface OpenOptions {
  readonly?: boolean
  /** Create the file when missing (writable opens only). */
  create?: boolean
  /** How the file is named in messages (defaults to the path). */
  label?: string
}

/** Opens a result database after checking it really is SQLite. */
export function openDb(path: string, options: OpenOptions = {}): Db {
  const label = options.label ?? path
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new XvError(`${label} is a directory, not an SQLite database`)
    if (!isSqliteFile(path)) throw new XvError(`${label} is not an SQLite database (wrong file header)`)
  } else if (!options.create) {
    throw new XvError(`result database ${label} does not exist`)
  }

  try {
    if (options.readonly) settleHotJournal(path)
    const db = new Database(path, {readonly: Boolean(options.readonly), fileMustExist: !options.create})
    db.pragma('busy_timeout = 5000')
    return db
  } catch (error) {
    throw new XvError(`cannot open ${label}: ${errorMessage(error)}`)
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

export function listTables(db: Db): string[] {
  try {
    return (
      db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as Array<{name: string}>
    ).map((r) => r.name)
  } catch (error) {
    throw new XvError(`cannot read the database schema: ${errorMessage(error)}`)
  }
}

function listColumns(db: Db, table: string): ColumnInfo[] {
  return listColumnsIn(db, 'main', table)
}

/** Every table with its columns (what result-table discovery works from). */
export function describeTables(db: Db): Array<{table: string; columns: ColumnInfo[]}> {
  return listTables(db).map((table) => ({table, columns: listColumns(db, table)}))
}

export interface VersionSummary {
  version: string
  rows: number
  /** Mean of each numeric column over the version's rows. */
  means: Record<string, number>
  /** Value of each text column when all rows of the version agree on it. */
  values: Record<string, string>
  /** Numeric columns declared INTEGER (their means print without decimals when whole). */
  integers: string[]
  /** For the columns asked (`spread`): smallest and largest number when the rows do not agree. */
  spread?: Record<string, {min: number; max: number}>
}

function isNumericType(type: string): boolean {
  return /INT|REAL|FLOA|DOUB|NUM|DEC|BOOL/i.test(type)
}

/**
 * One grouped query over a result table: per version value, the row count, the mean of every
 * numeric column and the shared value of every text column. `only` restricts to some versions.
 */
export function summariseVersions(
  db: Db,
  table: string,
  versionColumn: string,
  columns: ColumnInfo[],
  only?: string[],
  /** issue 3: with `only`, one summary over all those values, without GROUP BY's sort (much faster on big tables). */
  merged = false,
  /** Columns whose smallest and largest number are wanted too (a param that varies is never shown as a mean). */
  spread: string[] = [],
): VersionSummary[] {
  const q = quoteIdent
  const cols = columns.filter((c) => c.name !== versionColumn)
  const one = merged && only !== undefined && only.length > 0
  const parts = [one ? `min(CAST(${q(versionColumn)} AS TEXT)) AS v` : `CAST(${q(versionColumn)} AS TEXT) AS v`, 'count(*) AS n']
  cols.forEach((c, i) => {
    if (isNumericType(c.type) || c.type === '') {
      parts.push(`avg(CASE WHEN typeof(${q(c.name)}) IN ('integer','real') THEN ${q(c.name)} END) AS m${i}`)
    }

    if (!isNumericType(c.type)) {
      parts.push(`CASE WHEN count(DISTINCT ${q(c.name)}) = 1 THEN CAST(min(${q(c.name)}) AS TEXT) END AS s${i}`)
    }
    if (spread.includes(c.name)) {
      const n = `CASE WHEN typeof(${q(c.name)}) IN ('integer','real') THEN ${q(c.name)} END`
      parts.push(`min(${n}) AS lo${i}`, `max(${n}) AS hi${i}`)
    }
  })
  const where = only && only.length > 0 ? `WHERE CAST(${q(versionColumn)} AS TEXT) IN (${only.map(() => '?').join(',')})` : ''
  const sql = `SELECT ${parts.join(', ')} FROM ${q(table)} ${where}${one ? '' : ' GROUP BY 1'}`
  const rows = (db.prepare(sql).all(...(only ?? [])) as Array<Record<string, unknown>>).filter((r) => Number(r.n) > 0)
  return rows.map((r) => versionSummaryOf(r, cols))
}

/** A VersionSummary from a grouped row (`v`, `n`, `m<i>` means, `s<i>` shared texts), for either engine. */
export function versionSummaryOf(r: Record<string, unknown>, cols: ColumnInfo[]): VersionSummary {
  const means: Record<string, number> = {}
  const values: Record<string, string> = {}
  const spread: Record<string, {min: number; max: number}> = {}
  cols.forEach((c, i) => {
    const m = r[`m${i}`]
    if (typeof m === 'number') means[c.name] = m
    const s = r[`s${i}`]
    if (typeof s === 'string' && typeof m !== 'number') values[c.name] = s
    const [min, max] = [r[`lo${i}`], r[`hi${i}`]]
    if (typeof min === 'number' && typeof max === 'number' && min !== max) spread[c.name] = {min, max}
  })
  const integers = cols.filter((c) => /INT/i.test(c.type)).map((c) => c.name)
  return {version: String(r.v), rows: Number(r.n), means, values, integers, ...(Object.keys(spread).length > 0 ? {spread} : {})}
}

// ---- issue 3 (time travel: get/show/diff) ----------------------------------------------------

/**
 * Opens a database read-only (a cache object, a temp copy of a git blob, or a working-copy file)
 * after the header check; optionally attaches a second one read-only as `other`.
 */
export function openReadOnly(file: string, label: string, other?: {file: string; label: string}): Db {
  for (const f of [{file, label}, ...(other ? [other] : [])]) {
    if (!isSqliteFile(f.file)) throw new XvError(`${f.label} is not an SQLite database (wrong file header)`)
  }

  try {
    settleHotJournal(file)
    if (other) settleHotJournal(other.file)
    const db = new Database(file, {readonly: true, fileMustExist: true})
    db.pragma('temp_store = FILE')
    if (other) db.prepare('ATTACH DATABASE ? AS other').run(other.file)
    return db
  } catch (error) {
    throw new XvError(`cannot open ${label}${other ? ` and ${other.label}` : ''}: ${errorMessage(error)}`)
  }
}

/** Columns of a table in a given schema (`main`, `other`, …). */
export function listColumnsIn(db: Db, schema: string, table: string): ColumnInfo[] {
  const rows = db.prepare(`SELECT name, type, pk, "notnull" AS nn FROM pragma_table_info(?, ?)`).all(table, schema) as Array<{
    name: string
    type: string
    pk: number
    nn: number
  }>
  return rows.map((r) => ({name: r.name, type: r.type, pk: r.pk, notnull: Boolean(r.nn)}))
}

/** Rows of a table whose version column is one of `versions` (at most `limit`), and their count. */
export function versionRows(
  db: Db,
  table: string,
  versionColumn: string,
  versions: string[],
  limit: number,
): {rows: Array<Record<string, unknown>>; total: number} {
  const q = quoteIdent
  const where = `CAST(${q(versionColumn)} AS TEXT) IN (${versions.map(() => '?').join(',')})`
  const rows = db.prepare(`SELECT * FROM ${q(table)} WHERE ${where} LIMIT ?`).all(...versions, limit) as Array<Record<string, unknown>>
  const total = rows.length < limit ? rows.length : (db.prepare(`SELECT count(*) AS n FROM ${q(table)} WHERE ${where}`).get(...versions) as {n: number}).n
  return {rows, total}
}

/** The version value of the newest row (by rowid) of a table. */
export function newestVersion(db: Db, table: string, versionColumn: string): string | undefined {
  const row = db.prepare(`SELECT CAST(${quoteIdent(versionColumn)} AS TEXT) AS v FROM ${quoteIdent(table)} ORDER BY rowid DESC LIMIT 1`).get() as
    | {v: string | null}
    | undefined
  return row?.v ?? undefined
}

// ---- merge (issue 4): a target database changed in one transaction, sources attached read-only

/** Tables and their CREATE statements in an attached schema (`main`, `src0`, …). */
export function tablesIn(db: Db, schema: string): Array<{name: string; sql: string}> {
  return db
    .prepare(`SELECT name, sql FROM ${quoteIdent(schema)}.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all() as Array<{name: string; sql: string}>
}

/** Opens a merge target for writing: header checked, waits up to `waitMs` for another writer. */
export function openTarget(path: string, label: string, waitMs: number): Db {
  const db = openDb(path, {label, create: true})
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(waitMs))}`)
  db.pragma('cache_size = -65536') // 64 MB: rows stream through SQLite's pages, never through JS
  db.pragma('temp_store = FILE')
  return db
}

export function attach(db: Db, file: string, schema: string): void {
  settleHotJournal(file)
  db.prepare(`ATTACH DATABASE ? AS ${quoteIdent(schema)}`).run(file)
}

export function countRows(db: Db, schema: string, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${quoteIdent(schema)}.${quoteIdent(table)}`).get() as {n: number}).n
}

/** Creates a table in main from a source's CREATE statement. */
export function createTableLike(db: Db, createSql: string): void {
  db.exec(createSql)
}

export function addColumn(db: Db, table: string, column: string, type: string): void {
  db.exec(`ALTER TABLE main.${quoteIdent(table)} ADD COLUMN ${quoteIdent(column)}${type ? ` ${type}` : ''}`)
}

const cols = (names: string[], alias = '') => names.map((n) => `${alias}${quoteIdent(n)}`).join(', ')

/** Appends source rows whose id the target lacks (rows with a NULL id: when no identical row exists). */
export function appendNewRuns(db: Db, schema: string, table: string, columns: string[], id: string): number {
  const t = `main.${quoteIdent(table)}`
  const s = `${quoteIdent(schema)}.${quoteIdent(table)}`
  const byId = db
    .prepare(
      `INSERT INTO ${t} (${cols(columns)}) SELECT ${cols(columns)} FROM ${s} WHERE ${quoteIdent(id)} IS NOT NULL AND ${quoteIdent(id)} NOT IN (SELECT ${quoteIdent(id)} FROM ${t} WHERE ${quoteIdent(id)} IS NOT NULL)`,
    )
    .run().changes
  const noId = db
    .prepare(`INSERT INTO ${t} (${cols(columns)}) SELECT ${cols(columns)} FROM ${s} WHERE ${quoteIdent(id)} IS NULL EXCEPT SELECT ${cols(columns)} FROM ${t} WHERE ${quoteIdent(id)} IS NULL`)
    .run().changes
  return byId + noId
}

/** Appends source rows that are not already in the target, compared as whole rows. */
export function appendNewRows(db: Db, schema: string, table: string, columns: string[]): number {
  return db
    .prepare(
      `INSERT INTO main.${quoteIdent(table)} (${cols(columns)}) SELECT ${cols(columns)} FROM ${quoteIdent(schema)}.${quoteIdent(table)} EXCEPT SELECT ${cols(columns)} FROM main.${quoteIdent(table)}`,
    )
    .run().changes
}

/** Deletes target rows whose key occurs in the source, then appends every source row. */
export function replaceByKey(db: Db, schema: string, table: string, columns: string[], keys: string[]): {deleted: number; added: number} {
  const t = `main.${quoteIdent(table)}`
  const s = `${quoteIdent(schema)}.${quoteIdent(table)}`
  const k = keys.length === 1 ? cols(keys) : `(${cols(keys)})`
  const deleted = db.prepare(`DELETE FROM ${t} WHERE ${k} IN (SELECT ${cols(keys)} FROM ${s})`).run().changes
  const added = db.prepare(`INSERT INTO ${t} (${cols(columns)}) SELECT ${cols(columns)} FROM ${s}`).run().changes
  return {deleted, added}
}

/**
 * How a row of the source replaces the target's row with the same key in `mergeByKey`:
 * `lifecycle` — when the source's run is further along (pending < running < completed/failed/cancelled;
 * between two equal stages, the later `ended_at`); `differs` — whenever the rows differ; `never`.
 */
export type KeyedWin = 'lifecycle' | 'differs' | 'never'

const STAGE = (a: string) => `(CASE ${a}."status" WHEN 'pending' THEN 0 WHEN 'running' THEN 1 ELSE 2 END)`

/**
 * Rows matched by KEYS: source rows whose key the target lacks are appended; a key on both sides
 * keeps one row, the source's when WIN says so. Never a duplicate key; idempotent.
 */
export function mergeByKey(db: Db, schema: string, table: string, columns: string[], keys: string[], win: KeyedWin): {replaced: number; added: number} {
  const t = `main.${quoteIdent(table)}`
  const s = `${quoteIdent(schema)}.${quoteIdent(table)}`
  const on = (a: string, b: string) => keys.map((k) => `${a}.${quoteIdent(k)} = ${b}.${quoteIdent(k)}`).join(' AND ')
  const differs = columns.map((c) => `s.${quoteIdent(c)} IS NOT t.${quoteIdent(c)}`).join(' OR ')
  const later = `(${STAGE('s')} > ${STAGE('t')} OR (${STAGE('s')} = ${STAGE('t')} AND coalesce(s."ended_at", '') > coalesce(t."ended_at", '')))`
  let replaced = 0
  if (win !== 'never') {
    const when = win === 'lifecycle' ? `(${differs}) AND ${later}` : `(${differs})`
    const set = columns.map((c) => `${quoteIdent(c)} = s.${quoteIdent(c)}`).join(', ')
    replaced = db.prepare(`UPDATE ${t} AS t SET ${set} FROM ${s} AS s WHERE ${on('s', 't')} AND ${when}`).run().changes
  }

  const added = db
    .prepare(`INSERT INTO ${t} (${cols(columns)}) SELECT ${cols(columns, 's.')} FROM ${s} AS s WHERE NOT EXISTS (SELECT 1 FROM ${t} AS t WHERE ${on('s', 't')})`)
    .run().changes
  return {replaced, added}
}

/** A consistent copy of the database (VACUUM INTO), for backups. */
export function snapshotTo(db: Db, file: string): void {
  db.prepare('VACUUM INTO ?').run(file)
}

export function integrityOk(path: string): boolean {
  settleHotJournal(path)
  const db = new Database(path, {readonly: true, fileMustExist: true})
  try {
    return (db.pragma('integrity_check', {simple: true}) as string) === 'ok'
  } finally {
    db.close()
  }
}

// ---- worktree remove: are a worktree's runs in main's database? ------------------------------

/** The id column of a run when none is named (`xv merge --id-column`, `xv worktree remove --id-column`). */
export const DEFAULT_ID_COLUMN = 'track_id'

/**
 * Runs (distinct non-NULL values of ID_COLUMN) of the database SRC that the database DST lacks,
 * per table; tables of SRC without that column are not compared. A table named in MATCH is compared
 * by those columns instead (the first is its run id): a run counts as missing unless DST has a row
 * with the same values (e.g. xv_runs by run_id, status, ended_at: a copy still `running` is not the
 * finished run). DST may be absent (then every run is missing). Both files are opened read-only.
 */
export function runsMissingFrom(src: string, dst: string | undefined, idColumn: string, match: Record<string, string[]> = {}): {missing: number; tables: string[]; byTable: Record<string, number>} {
  const db = openDb(src, {readonly: true})
  const columnsOf = (table: string) => match[table] ?? [idColumn]
  try {
    const dstTables = new Set<string>()
    if (dst && existsSync(dst)) {
      openDb(dst, {readonly: true}).close() // header check, one-line error
      attach(db, dst, 'dst')
      for (const t of tablesIn(db, 'dst')) {
        const have = new Set(listColumnsIn(db, 'dst', t.name).map((c) => c.name))
        if (columnsOf(t.name).every((c) => have.has(c))) dstTables.add(t.name)
      }
    }

    const byTable: Record<string, number> = {}
    for (const table of listTables(db)) {
      const have = new Set(listColumns(db, table).map((c) => c.name))
      const [id, ...rest] = columnsOf(table).map(quoteIdent)
      if (!id || !columnsOf(table).every((c) => have.has(c))) continue
      const cols = [id, ...rest].join(', ')
      const mine = `SELECT ${cols} FROM main.${quoteIdent(table)} WHERE ${id} IS NOT NULL`
      const lacking = dstTables.has(table) ? `${mine} EXCEPT SELECT ${cols} FROM dst.${quoteIdent(table)}` : mine
      const n = (db.prepare(`SELECT count(DISTINCT ${id}) AS n FROM (${lacking})`).get() as {n: number}).n
      if (n > 0) byTable[table] = n
    }

    const tables = Object.keys(byTable)
    return {missing: tables.reduce((sum, t) => sum + (byTable[t] ?? 0), 0), tables, byTable}
  } finally {
    db.close()
  }
}
