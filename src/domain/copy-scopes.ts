/**
 * What the run readers copy of a DuckDB result database into the temporary SQLite file their SQL
 * reads (adapters/result-store-convert.ts): only the tables and rows the question touches, chosen
 * inside DuckDB. Every other table keeps its shape (so the reader picks the same experiment table
 * and words its errors the same). A filter is pushed into DuckDB only where both engines compare
 * alike — a text column against text; otherwise the table's rows are copied whole and SQLite
 * filters them as it does for an SQLite database.
 */
import type {CopyScope, RowsCondition} from '../adapters/result-store-convert.js'
import {isLongTable} from '../adapters/result-rows.js'
import {RUN_ARTIFACTS_TABLE, RUNS_TABLE} from '../adapters/run-store.js'
import type {ColumnInfo} from '../adapters/sqlite.js'
import type {RepoContext} from '../context.js'
import {chooseResultTable} from './results.js'

/** `xv runs`: xv's run tables. */
export const runTablesOnly: CopyScope = (table) => (table === RUNS_TABLE || table === RUN_ARTIFACTS_TABLE ? 'all' : 'none')

/** `xv run --rerun RUN`: that run's record. */
export function runRecord(runId: string): CopyScope {
  return (table, _columns, tables) => {
    if (table !== RUNS_TABLE) return 'none'
    return isText(tables.get(table), 'run_id') ? {where: {column: 'run_id', values: [runId]}} : 'all'
  }
}

/** `xv next --release V`: the experiment table's rows labelled with one of VERSIONS. */
export function labelledRows(ctx: RepoContext, versions: string[]): CopyScope {
  return (table, _columns, tables) => {
    const choice = resultChoice(ctx, tables)
    if (!choice || table !== choice.table) return 'none'
    return isText(choice.columns, choice.versionColumn) ? {where: {column: choice.versionColumn, values: versions}} : 'all'
  }
}

/** DuckDB types that the SQLite copy holds as numbers (result-store-convert's INTEGER and REAL). */
const NUMERIC = /^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL.*|NUMERIC.*)$/i

const typeOf = (columns: ColumnInfo[] | undefined, name: string) => columns?.find((c) => c.name === name)?.type
const isText = (columns: ColumnInfo[] | undefined, name: string) => typeOf(columns, name) === 'VARCHAR'

interface Choice {
  table: string
  versionColumn: string
  columns: ColumnInfo[]
}

/** The experiment table the reader will choose on the copy (the same rules on DuckDB's catalog); undefined when none or when choosing fails (the reader then says why). */
function resultChoice(ctx: RepoContext, tables: ReadonlyMap<string, ColumnInfo[]>): Choice | undefined {
  try {
    const choice = chooseResultTable([...tables].map(([table, columns]) => ({table, columns})), {table: ctx.config.table, versionColumn: ctx.config.versionColumn}, ctx.config.db)
    return choice ? {...choice, columns: tables.get(choice.table) ?? []} : undefined
  } catch {
    return undefined
  }
}

export interface BestQuery {
  metric: string
  direction: 'higher' | 'lower'
  /** The version's values (tag and semver), or undefined for every version; may throw on a bad version (the reader reports it). */
  versions: () => string[] | undefined
  /** COLUMN=VALUE filters; may throw on a bad one (the reader reports it). */
  where: () => Array<{column: string; value: string}>
  /** Retracted versions, left out. */
  exclude: string[]
}

/**
 * `xv best`: the one best row of the experiment table (DuckDB ranks); a row-per-metric table is
 * copied whole (its pivot needs every row); an unknown or non-numeric metric copies no rows.
 */
export function bestRows(ctx: RepoContext, query: BestQuery): CopyScope {
  return (table, _columns, tables) => {
    const choice = resultChoice(ctx, tables)
    if (!choice || table !== choice.table) return 'none'
    const {columns, versionColumn} = choice
    if (isLongTable(columns)) return 'all'
    let versions: string[] | undefined
    let where: Array<{column: string; value: string}>
    try {
      versions = query.versions()
      where = query.where()
    } catch {
      return 'none'
    }

    if (!NUMERIC.test(typeOf(columns, query.metric) ?? '') || where.some((w) => !typeOf(columns, w.column))) return 'none'
    const filters = [
      ...(versions ? [{column: versionColumn, values: versions}] : []),
      ...(query.exclude.length > 0 ? [{column: versionColumn, values: query.exclude, not: true}] : []),
      ...where.map((w) => ({column: w.column, values: [w.value]})),
    ]
    if (filters.some((f) => !isText(columns, f.column))) return 'all'
    return {where: {best: {metric: query.metric, direction: query.direction, filters}}}
  }
}

/**
 * `xv runs show RUN`: the run's record and artifacts, and the experiment table's rows that carry
 * the run id or (for the time-window fallback) belong to the run's version.
 */
export function runRows(ctx: RepoContext, runId: string): CopyScope {
  return (table, columns, tables) => {
    if (table === RUNS_TABLE || table === RUN_ARTIFACTS_TABLE) return isText(tables.get(table), 'run_id') ? {where: {column: 'run_id', values: [runId]}} : 'all'
    const choice = resultChoice(ctx, tables)
    if (!choice || table !== choice.table) return 'none'
    if (isLongTable(choice.columns)) return 'all'
    const conds: RowsCondition[] = []
    const id = columns.find((c) => c === 'track_id' || c === 'run_id')
    if (id) {
      if (!isText(choice.columns, id)) return 'all'
      conds.push({column: id, values: [runId]})
    }

    if (columns.includes('timestamp')) {
      const runs = tables.get(RUNS_TABLE)
      if (!runs) return 'none' // no run records: the reader finds no run
      if (!isText(choice.columns, choice.versionColumn) || !isText(runs, 'version') || !isText(runs, 'run_id')) return 'all'
      conds.push({column: choice.versionColumn, inRowsOf: {table: RUNS_TABLE, column: 'version', key: 'run_id', value: runId}})
    }

    return conds.length > 0 ? {where: {anyOf: conds}} : 'none'
  }
}
