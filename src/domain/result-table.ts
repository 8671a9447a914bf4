/**
 * The experiment table of a result database as every run reader sees it (tag summary, best, runs
 * show): the table xv.yaml names or the one with a version column, its columns, and its metric
 * columns. A row-per-metric table (`metric_name, value, step, epoch`) is read through the one
 * pivoting reader, so it looks like a wide table whose metric columns are its metric names.
 */
import {isLongTable, pivotLongTable} from '../adapters/result-rows.js'
import {type ColumnInfo, type Db, describeTables} from '../adapters/sqlite.js'
import type {RepoContext} from '../context.js'
import {checkMetrics, chooseResultTable, metricColumns} from './results.js'

export interface ResultTable {
  /** The table to query (a TEMP pivot view for row-per-metric tables). */
  table: string
  /** The table as stored (named in messages and summaries). */
  source: string
  versionColumn: string
  columns: ColumnInfo[]
  names: string[]
  metrics: string[]
  long: boolean
}

export function resultTableOf(ctx: RepoContext, db: Db): ResultTable | undefined {
  const label = ctx.config.db
  const tables = describeTables(db)
  const choice = chooseResultTable(tables, {table: ctx.config.table, versionColumn: ctx.config.versionColumn}, label)
  if (!choice) return undefined
  const stored = tables.find((t) => t.table === choice.table)?.columns ?? []
  if (isLongTable(stored)) {
    const pivot = pivotLongTable(db, choice.table, stored)
    checkMetrics(ctx.config.metrics, pivot.columns, choice.table, label)
    const configured = ctx.config.metrics.map((m) => m.name)
    const metrics = [...configured.filter((m) => pivot.metrics.includes(m)), ...pivot.metrics.filter((m) => !configured.includes(m))]
    return {table: pivot.table, source: choice.table, versionColumn: choice.versionColumn, columns: pivot.columns, names: pivot.columns.map((c) => c.name), metrics, long: true}
  }

  checkMetrics(ctx.config.metrics, stored, choice.table, label)
  return {
    table: choice.table, source: choice.table, versionColumn: choice.versionColumn, columns: stored, names: stored.map((c) => c.name),
    metrics: metricColumns(stored, choice.versionColumn, ctx.config.metrics), long: false,
  }
}
