/**
 * Reading runs back: `xv runs` (filters over the run records), `xv runs show RUN` (one run with
 * provenance, inputs/outputs and the metrics of its rows) and `xv best METRIC` (the best run —
 * the run holding the best row — never a version mean).
 */
import {existsSync} from 'node:fs'

import {bestRow, rowsInWindow, rowsOfRun} from '../adapters/result-rows.js'
import {countRuns, noSuchRun, openRunStore, queryRuns, requireRun, runArtifacts, RUN_STATUSES, type RunArtifact, type RunFilter, type RunRecord, type RunStatus} from '../adapters/run-store.js'
import {isDuckDbFile} from '../adapters/result-store.js'
import {withSqliteFile} from '../adapters/result-store-convert.js'
import {openDb} from '../adapters/sqlite.js'
import type {RepoContext} from '../context.js'
import {NotFoundError, UsageError} from '../errors.js'
import {directionOf, isBookkeeping, isMetricName} from './results.js'
import {resultTableOf} from './result-table.js'
import {retractedVersions} from './retract.js'
import {bestRows, runRows, runTablesOnly} from './copy-scopes.js'
import {asText, roundSane} from './tag-message.js'
import {parseVersion} from './version.js'

const DEFAULT_RUN_LIMIT = 50

export interface RunsQuery {
  status?: string
  version?: string
  since?: string
  until?: string
  commit?: string
  input?: string
  where?: string[]
  limit?: number
}

function parseWhere(items: string[] = []): Array<{column: string; value: string}> {
  return items.map((item) => {
    const eq = item.indexOf('=')
    if (eq <= 0) throw new UsageError(`--where wants COLUMN=VALUE, got '${item}'`)
    return {column: item.slice(0, eq).trim(), value: item.slice(eq + 1)}
  })
}

function isoDate(text: string | undefined, flag: string): string | undefined {
  if (text === undefined) return undefined
  const t = Date.parse(text)
  if (!Number.isFinite(t)) throw new UsageError(`${flag} wants a date (2026-11-23 or an ISO time), got '${text}'`)
  return new Date(t).toISOString()
}

export interface RunsList {
  runs: RunRecord[]
  total: number
  limit: number
  /** The result database (where runs are recorded) is not in this checkout (e.g. a fresh clone before dvc pull). */
  noDatabase?: string
}

export async function listRuns(ctx: RepoContext, query: RunsQuery): Promise<RunsList> {
  if (query.status !== undefined && !RUN_STATUSES.includes(query.status as RunStatus))
    throw new UsageError(`--status must be one of ${RUN_STATUSES.join(', ')}; got '${query.status}'`)
  const filter: RunFilter = {
    ...(query.status ? {status: query.status as RunStatus} : {}),
    ...(query.version ? {version: parseVersion(query.version, ctx.config.prefix).tag} : {}),
    since: isoDate(query.since, '--since'),
    until: isoDate(query.until, '--until'),
    ...(query.commit ? {commit: query.commit} : {}),
    where: parseWhere(query.where),
    limit: query.limit ?? DEFAULT_RUN_LIMIT,
  }
  if (query.input) {
    const at = query.input.lastIndexOf('@')
    if (at > 0) {
      // PATH@V: the runs that consumed the version of PATH that V used.
      const path = query.input.slice(0, at).replace(/\/+$/, '')
      const version = parseVersion(query.input.slice(at + 1), ctx.config.prefix)
      const {trackedAtRevs} = await import('./lineage.js') // only for --input PATH@VERSION
      const tracked = (await trackedAtRevs(ctx, [version.tag], {path})).get(version.tag)
      if (!tracked) throw new NotFoundError('version', `no experiment tag ${version.tag}; see 'xv list'`)
      const hit = tracked[0]
      if (!hit) throw new NotFoundError('path', `${path} is not tracked by DVC at ${version.tag}`)
      filter.inputMd5 = hit.md5
    } else if (/^[0-9a-f]{6,32}(\.dir)?$/i.test(query.input)) filter.inputMd5 = query.input.toLowerCase()
    else filter.inputPath = query.input.replace(/\/+$/, '')
  }

  const limit = filter.limit ?? DEFAULT_RUN_LIMIT
  if (!existsSync(ctx.dbPath)) return {runs: [], total: 0, limit, noDatabase: ctx.config.db}
  return withSqliteFile(ctx.dbPath, ctx.config.db, runTablesOnly, (file) => {
    const db = openRunStore(file, ctx.config.db, false)
    if (!db) return {runs: [], total: 0, limit, noDatabase: ctx.config.db}
    try {
      return {runs: queryRuns(db, filter), total: countRuns(db), limit}
    } finally {
      db.close()
    }
  })
}

export interface RunDetail {
  run: Omit<RunRecord, 'command' | 'params'> & {command: string[]; params: Record<string, string>}
  inputs: RunArtifact[]
  outputs: RunArtifact[]
  /** The run's rows in the result table (track_id = run id): their metric values. */
  rows: Array<Record<string, unknown>>
  table?: string
}

export async function showRun(ctx: RepoContext, runId: string): Promise<RunDetail> {
  if (!existsSync(ctx.dbPath)) throw noSuchRun(runId, ctx.config.db)
  return withSqliteFile(ctx.dbPath, ctx.config.db, runRows(ctx, runId), (file) => showRunIn(ctx, file, runId))
}

function showRunIn(ctx: RepoContext, file: string, runId: string): RunDetail {
  const db = openRunStore(file, ctx.config.db, false)
  if (!db) throw noSuchRun(runId, ctx.config.db)
  try {
    const run = requireRun(db, runId, ctx.config.db)
    const artifacts = runArtifacts(db, runId)
    const t = resultTableOf(ctx, db)
    const idColumn = t?.names.find((c) => c === 'track_id' || c === 'run_id')
    let rows = t && idColumn ? rowsOfRun(db, t.table, idColumn, runId) : []
    // Rows that do not carry the run id: the run's version within its time window.
    if (t && rows.length === 0 && run.started_at && run.ended_at && t.names.includes('timestamp'))
      rows = rowsInWindow(db, t.table, t.versionColumn, run.version, run.started_at, run.ended_at)
    return {
      run: {...run, command: JSON.parse(run.command) as string[], params: run.params ? (JSON.parse(run.params) as Record<string, string>) : {}},
      inputs: artifacts.filter((a) => a.role === 'input'),
      outputs: artifacts.filter((a) => a.role === 'output'),
      rows,
      ...(t ? {table: t.source} : {}),
    }
  } finally {
    db.close()
  }
}

export interface BestOptions {
  metric: string
  direction?: 'higher' | 'lower'
  version?: string
  where?: string[]
  all?: boolean
}

export interface BestRun {
  metric: string
  direction: 'higher' | 'lower'
  value: number
  version: string
  run?: string
  table: string
  params: Record<string, unknown>
  metrics: Record<string, number>
}

export async function bestRun(ctx: RepoContext, options: BestOptions): Promise<BestRun> {
  // Retractions are read (one git call) while SQLite ranks; rare, so checked after the fact.
  const retractedPromise = options.all ? Promise.resolve(new Map<string, {reason: string}>()) : retractedVersions(ctx.git)
  retractedPromise.catch(() => {})
  const label = ctx.config.db
  if (!isDuckDbFile(ctx.dbPath)) return bestRunIn(ctx, ctx.dbPath, options, retractedPromise)
  // DuckDB ranks and only the best row is copied: the retracted versions are left out first.
  const scope = bestRows(ctx, {
    metric: options.metric,
    direction: options.direction ?? directionOf(options.metric, ctx.config.metrics),
    versions: () => (options.version ? ((v) => [v.tag, v.semver])(parseVersion(options.version, ctx.config.prefix)) : undefined),
    where: () => parseWhere(options.where),
    exclude: [...(await retractedPromise).keys()],
  })
  return withSqliteFile(ctx.dbPath, label, scope, (file) => bestRunIn(ctx, file, options, retractedPromise))
}

async function bestRunIn(ctx: RepoContext, file: string, options: BestOptions, retractedPromise: Promise<Map<string, {reason: string}>>): Promise<BestRun> {
  const label = ctx.config.db
  const db = openDb(file, {readonly: true, label})
  try {
    const t = resultTableOf(ctx, db)
    if (!t) throw new NotFoundError('table', `no table of ${label} has a version column; nothing to rank`)
    if (!t.names.includes(options.metric))
      throw new NotFoundError('metric', `unknown metric '${options.metric}' in table '${t.source}' of ${label}; metrics: ${t.metrics.join(', ') || '(none)'}`)

    const where = parseWhere(options.where)
    for (const w of where)
      if (!t.names.includes(w.column)) throw new NotFoundError('column', `unknown column '${w.column}' in table '${t.source}' of ${label}; columns: ${t.names.join(', ')}`)
    const direction = options.direction ?? directionOf(options.metric, ctx.config.metrics)
    const version = options.version ? parseVersion(options.version, ctx.config.prefix) : undefined
    const filter = {versionColumn: t.versionColumn, ...(version ? {versions: [version.tag, version.semver]} : {}), where}
    let row = bestRow(db, t.table, options.metric, direction, filter)
    const retracted = await retractedPromise
    if (row && retracted.has(String(row[t.versionColumn])))
      row = bestRow(db, t.table, options.metric, direction, {...filter, excludeVersions: [...retracted.keys()]})
    if (!row) throw new NotFoundError('run', `no row of '${t.table}' has a number in '${options.metric}'${version ? ` for ${version.tag}` : ''}${where.length > 0 ? ' with those --where filters' : ''}`)
    const idColumn = t.names.find((c) => c === 'track_id' || c === 'run_id')
    const params: Record<string, unknown> = {}
    const metrics: Record<string, number> = {}
    const metricSet = new Set([...t.metrics, ...t.names.filter((c) => isMetricName(c))])
    for (const c of t.names) {
      if (isBookkeeping(c, t.versionColumn)) continue
      const v = row[c]
      if (metricSet.has(c)) {
        if (typeof v === 'number') metrics[c] = roundSane(v)
      } else params[c] = typeof v === 'number' ? roundSane(v) : v
    }

    return {
      metric: options.metric,
      direction,
      value: roundSane(row[options.metric] as number),
      version: String(row[t.versionColumn]),
      ...(idColumn && row[idColumn] != null ? {run: asText(row[idColumn])} : {}),
      table: t.source,
      params,
      metrics,
    }
  } finally {
    db.close()
  }
}
