/**
 * What a tag says, computed once for both `xv tag --dry-run` and the real tag, and frozen with the
 * tag in `results/metrics.json` + `results/params.yaml` (the contract in summaries.ts) with
 * exactly the numbers of the message:
 *
 *   - the version's rows (never another version's: a tag with no rows of its own says `no runs`);
 *   - the best run by the primary metric (xv.yaml `metrics[0]`, else the first metric column):
 *     its metrics and its params, never averaged; every non-metric, non-bookkeeping column is a
 *     param (`bs` too); metric means are kept in the summary, labelled as means;
 *   - `runs=N` (distinct track_id values, else rows); `data=` over the data inputs only;
 *   - the user's description, verbatim.
 */
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {toYaml} from '../yaml.js'

import {bestRow, newestRow, rowAndRunCount} from '../adapters/result-rows.js'
import {withSqliteFile, type CopyScope} from '../adapters/result-store-convert.js'
import {openDb, summariseVersions} from '../adapters/sqlite.js'
import type {RepoContext} from '../context.js'
import {dataInputsHash} from './data-inputs.js'
import {VERSION_COLUMNS, directionOf, fieldName, isBookkeeping} from './results.js'
import {resultTableOf} from './result-table.js'
import {summaryPlotPoints} from './dvc-interop.js'
import {SUMMARY_FILE, SUMMARY_PARAMS_FILE, SUMMARY_SCHEMA, type TagSummary} from './summaries.js'
import {asText, formatNumber, formatParam, formatTagMessage, roundSane} from './tag-message.js'
import type {PointerSource} from './artifacts-config.js'
import type {UndoLog} from '../interrupt.js'
import {snapshotFiles} from './tag-undo.js'
import type {ExperimentVersion} from './version.js'

const MAX_METRIC_FIELDS = 4
const MAX_PARAM_FIELDS = 8
const MODEL = /^(params_)?(model|model_name|model_type|arch|architecture)$/i
const RUN_ID_COLUMNS = ['track_id', 'run_id']

type Scalar = string | number | boolean | null

function scalar(value: unknown): Scalar {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return roundSane(value)
  if (typeof value === 'boolean' || typeof value === 'string') return value
  if (typeof value === 'bigint') return Number(value)
  return asText(value)
}

function roundAll(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, roundSane(v)]))
}

/**
 * The summary of VERSION in the result database (no database, no table or no rows: `runs: 0`).
 * A DuckDB database is read through a temporary SQLite copy of this version's rows only (DuckDB
 * filters them), so both engines are summarised by the same code.
 */
async function summariseVersion(ctx: RepoContext, version: ExperimentVersion): Promise<{summary: TagSummary; warnings: string[]}> {
  const empty: TagSummary = {schema: SUMMARY_SCHEMA, version: version.tag, runs: 0, rows: 0, metrics: {}, means: {}, params: {}}
  const label = ctx.config.db
  if (!existsSync(ctx.dbPath)) return {summary: {...empty, note: 'no result database'}, warnings: [`no result database at ${label}; the tag says 'no runs'`]}
  const versionColumns = [...(ctx.config.versionColumn ? [ctx.config.versionColumn] : []), ...VERSION_COLUMNS]
  const rowsOfVersion: CopyScope = (_table, columns) => {
    const column = versionColumns.find((c) => columns.includes(c)) ?? columns.find((c) => /version$/i.test(c))
    return column ? {where: {column, values: [version.tag, version.semver]}} : 'none'
  }

  return withSqliteFile(ctx.dbPath, label, rowsOfVersion, (file) => summariseFile(ctx, file, version, empty))
}

function summariseFile(ctx: RepoContext, file: string, version: ExperimentVersion, empty: TagSummary): {summary: TagSummary; warnings: string[]} {
  const label = ctx.config.db
  const db = openDb(file, {readonly: true, label})
  try {
    const t = resultTableOf(ctx, db)
    if (!t) return {summary: {...empty, note: 'no result table'}, warnings: [`no table of ${label} has a version column; the tag says 'no runs'`]}
    const {table, versionColumn, columns, names, metrics} = t
    const idColumn = RUN_ID_COLUMNS.find((c) => names.includes(c))
    const filter = {versionColumn, versions: [version.tag, version.semver]}
    const counts = rowAndRunCount(db, table, filter, idColumn)
    const base: TagSummary = {...empty, table: t.source, versionColumn}
    if (counts.rows === 0)
      return {summary: {...base, note: `no rows labelled ${version.tag}`}, warnings: [`no rows with ${versionColumn} = ${version.tag} in ${label}; the tag says 'no runs'`]}

    const primary = ctx.config.metrics[0]?.name ?? metrics[0]
    const direction = primary ? directionOf(primary, ctx.config.metrics) : 'higher'
    const row = (primary ? bestRow(db, table, primary, direction, filter) : undefined) ?? newestRow(db, table, filter) ?? {}
    const [means] = summariseVersions(db, table, versionColumn, columns.filter((c) => metrics.includes(c.name)), filter.versions, true)
    const best: Record<string, number> = {}
    const params: Record<string, Scalar> = {}
    for (const name of names) {
      if (isBookkeeping(name, versionColumn)) continue
      const value = row[name]
      if (metrics.includes(name)) {
        if (typeof value === 'number') best[name] = roundSane(value)
      } else params[name] = scalar(value)
    }

    const bestValue = primary ? row[primary] : undefined
    const runId = idColumn ? row[idColumn] : undefined
    return {
      summary: {
        ...base,
        runs: counts.runs,
        rows: counts.rows,
        ...(primary && typeof bestValue === 'number'
          ? {best: {...(runId !== undefined && runId !== null ? {run: asText(runId)} : {}), metric: primary, direction, value: roundSane(bestValue)}}
          : {}),
        metrics: best,
        means: roundAll(means?.means ?? {}),
        params,
      },
      warnings: [],
    }
  } finally {
    db.close()
  }
}

/** The key=value fields of the message: the best run's metrics, its params, runs=N, data=. */
function messageFields(summary: TagSummary, configured: string[]): Record<string, string> {
  const fields: Record<string, string> = {}
  if (summary.runs === 0) {
    fields.runs = '0'
  } else {
    let metricCount = 0
    let paramCount = 0
    const putMetric = (name: string) => {
      const key = fieldName(name)
      const value = summary.metrics[name]
      if (key in fields || value === undefined || metricCount >= MAX_METRIC_FIELDS) return
      fields[key] = formatNumber(value, Number.isInteger(value))
      metricCount++
    }

    const putParam = (name: string) => {
      const key = fieldName(name)
      const value = formatParam(summary.params[name])
      if (key in fields || value === '' || paramCount >= MAX_PARAM_FIELDS) return
      fields[key] = value
      paramCount++
    }

    // Order: configured metrics, the model, the other metrics, the other params (never averaged).
    for (const name of configured) if (name in summary.metrics) putMetric(name)
    for (const name of Object.keys(summary.params)) if (MODEL.test(name)) putParam(name)
    for (const name of Object.keys(summary.metrics)) putMetric(name)
    for (const name of Object.keys(summary.params)) putParam(name)
    fields.runs = String(summary.runs)
  }

  if (summary.data) fields.data = summary.data
  return fields
}

export const SUMMARY_FILES = [SUMMARY_FILE, SUMMARY_PARAMS_FILE]

/** What `xv tag` needs about a version's rows: the message fields (data= added later) and the summary. */
export interface TagResults {
  fields: Record<string, string>
  summary: TagSummary
  warnings: string[]
}

export async function tagResults(ctx: RepoContext, version: ExperimentVersion): Promise<TagResults> {
  const {summary, warnings} = await summariseVersion(ctx, version)
  return {fields: messageFields(summary, ctx.config.metrics.map((m) => m.name)), summary, warnings}
}

/** The tag message: RESULTS' fields, `data=` over the data inputs of SOURCES, the description verbatim. */
export function tagMessageOf(ctx: RepoContext, results: TagResults, description: string | undefined, sources: PointerSource[]): string {
  const data = dataInputsHash(sources, ctx.config)
  return formatTagMessage({fields: {...results.fields, ...(data ? {data} : {})}, description})
}

/** Writes results/metrics.json + results/params.yaml (undone with the tag on failure or Ctrl-C). */
export function writeTagSummary(ctx: RepoContext, results: TagResults, sources: PointerSource[], log: UndoLog): void {
  const data = dataInputsHash(sources, ctx.config)
  const summary: TagSummary = {...results.summary, ...(data ? {data} : {})}
  const saved = snapshotFiles(ctx.root, SUMMARY_FILES)
  log.onUndo(() => saved.restore(), SUMMARY_FILE)
  for (const [file, text] of [
    [SUMMARY_FILE, `${JSON.stringify({...summary, plot: summaryPlotPoints(summary)}, null, 2)}\n`], // plot: one record for `dvc plots`
    [SUMMARY_PARAMS_FILE, Object.keys(summary.params).length > 0 ? toYaml(summary.params) : '{}\n'],
  ] as const) {
    const abs = join(ctx.root, file)
    mkdirSync(dirname(abs), {recursive: true})
    writeFileSync(abs, text)
  }
}
