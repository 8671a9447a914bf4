/**
 * How one table of a source is merged into the target (`xv merge`), whatever the engines: the
 * table is created or widened first (columns only the source has are added; types must agree),
 * then its rows are matched by the strategy. SQL is the adapter's (adapters/merge-db.ts).
 *
 *   merge  — rows of runs (by --id-column, default track_id) the target lacks are appended; a
 *            table without that column is compared as whole rows; xv's run tables by run id.
 *   rebase — target rows whose --key (default: the version column) occurs in the source are
 *            replaced by the source's rows.
 */
import {DEFAULT_ID_COLUMN, type ColumnInfo} from '../adapters/sqlite.js'
import type {MergeDb} from '../adapters/merge-db.js'
import {XvError} from '../errors.js'
import {mergeRunTable, runTableRule, type RunTableRule} from './merge-runs.js'
import {VERSION_COLUMNS} from './results.js'

export type MergeStrategy = 'merge' | 'rebase'

export interface TableReport {
  table: string
  source: string
  created: boolean
  added: number
  skipped: number
  replaced: number
  columnsAdded: string[]
  /** How rows were matched: `id:track_id`, `key:version`, or `whole rows`. */
  matchedBy: string
}

export interface TableMergeOptions {
  strategy: MergeStrategy
  idColumn?: string
  keys?: string[]
}

type Affinity = 'INTEGER' | 'REAL' | 'NUMERIC' | 'TEXT' | 'BLOB' | 'ANY'

/** SQLite's affinity rules for a declared column type (DuckDB's type names fall into the same classes). */
export function affinityOf(declared: string): Affinity {
  const t = declared.toUpperCase()
  if (t === '') return 'ANY'
  if (t.includes('INT')) return 'INTEGER'
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT'
  if (t.includes('BLOB')) return 'BLOB'
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL'
  return 'NUMERIC'
}

const NUMERIC = new Set<Affinity>(['INTEGER', 'REAL', 'NUMERIC'])
const TEMPORAL = /DATE|TIME/i

/**
 * Whether a source column can be merged into a target column. Numbers widen into numbers
 * (INTEGER into REAL keeps every value); an untyped column takes anything; text, numbers and
 * blobs do not mix (the values would compare and sort differently after the merge), except text
 * and dates/times.
 */
export function typesCompatible(target: string, source: string): boolean {
  const a = affinityOf(target)
  const b = affinityOf(source)
  if (a === 'ANY' || b === 'ANY' || a === b) return true
  // Dates and times: SQLite keeps them as text, DuckDB as DATE/TIMESTAMP (text is cast on insert).
  if ((TEMPORAL.test(target) && b === 'TEXT') || (TEMPORAL.test(source) && a === 'TEXT')) return true
  return NUMERIC.has(a) && NUMERIC.has(b)
}

function chooseKeys(columns: ColumnInfo[], keys: string[] | undefined, table: string, label: string): string[] | undefined {
  const names = columns.map((c) => c.name)
  if (keys && keys.length > 0) {
    const missing = keys.find((k) => !names.includes(k))
    if (missing) throw new XvError(`key column '${missing}' not found in table '${table}' of ${label}; columns: ${names.join(', ')}`)
    return keys
  }

  const v = VERSION_COLUMNS.find((c) => names.includes(c)) ?? names.find((c) => /version$/i.test(c))
  return v ? [v] : undefined
}

/** The target's TABLE made ready for the source's columns: created, or checked and widened. */
async function prepareTable(db: MergeDb, schema: string, table: {name: string; sql: string}, srcCols: ColumnInfo[], label: string, report: TableReport): Promise<void> {
  if (!(await db.tables('main')).some((t) => t.name === table.name)) {
    await db.createTableLike(schema, table.name, table.sql)
    report.created = true
    return
  }

  const tgtCols = await db.columns('main', table.name)
  for (const c of srcCols) {
    const t = tgtCols.find((x) => x.name === c.name)
    if (t && !typesCompatible(t.type, c.type))
      throw new XvError(
        `column '${c.name}' of table '${table.name}' is ${c.type || 'untyped'} in ${label} but ${t.type} in the target; the types cannot be reconciled (convert one side first)`,
      )
  }

  for (const c of srcCols) {
    if (tgtCols.some((x) => x.name === c.name)) continue
    await db.addColumn(table.name, c.name, c.type)
    report.columnsAdded.push(c.name)
  }
}

interface TablePlan {
  schema: string
  table: string
  names: string[]
  total: number
  label: string
  runRule?: RunTableRule
  rebaseKeys?: string[]
}

/** Rebase: rows whose key occurs in the source are replaced (a new table takes every row). */
async function rebaseRows(db: MergeDb, plan: TablePlan, report: TableReport): Promise<TableReport> {
  const {schema, table, names, rebaseKeys: keys} = plan
  if (!keys) {
    report.added = await db.appendNewRows(schema, table, names)
    report.matchedBy = 'new table'
    return report
  }

  const tgtNames = (await db.columns('main', table)).map((c) => c.name)
  const missing = keys.find((k) => !tgtNames.includes(k))
  if (missing) throw new XvError(`key column '${missing}' not found in table '${table}' of the target; columns: ${tgtNames.join(', ')}`)
  const {deleted, added} = await db.replaceByKey(schema, table, names, keys)
  return Object.assign(report, {replaced: deleted, added, matchedBy: `key:${keys.join(',')}`})
}

/** Merge: rows of runs the target lacks (by id), else rows not already there (whole rows). */
async function appendRows(db: MergeDb, plan: TablePlan, options: TableMergeOptions, report: TableReport): Promise<TableReport> {
  const {schema, table, names, total, label} = plan
  const id = options.idColumn ?? DEFAULT_ID_COLUMN
  if (names.includes(id)) {
    report.added = await db.appendNewRuns(schema, table, names, id)
    report.matchedBy = `id:${id}`
  } else if (options.idColumn) {
    throw new XvError(`id column '${id}' not found in table '${table}' of ${label}; columns: ${names.join(', ')}`)
  } else {
    report.added = await db.appendNewRows(schema, table, names)
    report.matchedBy = 'whole rows'
  }

  report.skipped = total - report.added
  return report
}

/** Merges TABLE of the source attached as SCHEMA (named SPEC) into the target. */
export async function mergeTable(db: MergeDb, schema: string, spec: string, table: {name: string; sql: string}, options: TableMergeOptions): Promise<TableReport> {
  const srcCols = await db.columns(schema, table.name)
  const names = srcCols.map((c) => c.name)
  const report: TableReport = {table: table.name, source: spec, created: false, added: 0, skipped: 0, replaced: 0, columnsAdded: [], matchedBy: ''}
  const total = await db.count(schema, table.name)
  const runRule = runTableRule(table.name, names, options.strategy)
  const rebaseKeys = options.strategy === 'rebase' && !runRule ? chooseKeys(srcCols, options.keys, table.name, spec) : undefined
  const exists = (await db.tables('main')).some((t) => t.name === table.name)
  if (options.strategy === 'rebase' && exists && !rebaseKeys && !runRule) {
    // No version column and no --key: this table is left as it is, and the report says so.
    return Object.assign(report, {skipped: total, matchedBy: 'no key: unchanged'})
  }

  await prepareTable(db, schema, table, srcCols, spec, report)
  const plan: TablePlan = {schema, table: table.name, names, total, label: spec, runRule, rebaseKeys}
  if (runRule) return Object.assign(report, await mergeRunTable(db, schema, table.name, names, runRule, total))
  if (options.strategy === 'rebase') return rebaseRows(db, plan, report)
  return appendRows(db, plan, options, report)
}
