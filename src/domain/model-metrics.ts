/**
 * The numbers a model is ranked by. A model that came from a version: that tag's frozen summary
 * (`results/metrics.json`, all tags in one batched git read), else the numbers of its tag message.
 * A per-run model (`<track_id>_model.bin`): the rows of that run in the result database — the
 * working copy's, else the database as it was at the model's version.
 */
import {existsSync} from 'node:fs'

import type {TagRef} from '../adapters/git.js'
import {withResultStore, type ResultStore} from '../adapters/result-store.js'
import type {RepoContext} from '../context.js'
import {UsageError, XvError} from '../errors.js'
import {readableFileAt} from './at-revision.js'
import {resolveRev} from './revision.js'
import {chooseResultTable, directionOf, metricColumns} from './results.js'
import {readSummaries, type TagSummary} from './summaries.js'
import {parseTagMessage} from './tag-message.js'

export interface ModelMetrics {
  metrics: Record<string, number>
  /** Where the numbers come from: the frozen summary, the tag text, the result database, or nowhere. */
  from: 'summary' | 'tag' | 'database' | 'none'
  /** The version's tag says it has no runs of its own (promotion, merge, prune commits). */
  noRuns?: boolean
  /** For a per-run model without a record: the version its run's rows are labelled with. */
  version?: string
}

export interface MetricSubject {
  version?: string
  run?: string
}

/** Numeric key=value fields of a tag message (never `data=`). */
function tagNumbers(subject: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(parseTagMessage(subject).fields)) {
    if (k === 'data' || k === 'runs' || v.trim() === '') continue
    const n = Number(v)
    if (Number.isFinite(n)) out[k] = n
  }

  return out
}

interface RunRow {
  metrics: Record<string, number>
  /** The version the run's rows are labelled with, when they agree. */
  version?: string
}

/** Metrics (and version label) of each run id in one query over the result table that has `track_id` (either engine). */
async function runMetrics(store: ResultStore, ctx: RepoContext, runs: string[], label: string): Promise<Map<string, RunRow>> {
  const out = new Map<string, RunRow>()
  const tables = (await store.tables()).filter((t) => t.columns.some((c) => c.name === 'track_id'))
  const choice = chooseResultTable(tables, {table: ctx.config.table, versionColumn: ctx.config.versionColumn}, label)
  const table = tables.find((t) => t.table === (choice?.table ?? tables[0]?.table))
  if (!table) return out
  const versionColumn = choice?.versionColumn
  const names = metricColumns(table.columns, versionColumn ?? 'track_id', ctx.config.metrics)
  const wanted = table.columns.filter((c) => names.includes(c.name) || c.name === 'track_id' || c.name === versionColumn)
  for (const s of await store.summariseVersions(table.table, 'track_id', wanted, runs)) {
    const metrics = Object.fromEntries(Object.entries(s.means).filter(([k]) => names.includes(k)))
    out.set(s.version, {metrics, version: versionColumn ? s.values[versionColumn] : undefined})
  }

  return out
}

function fromSummary(summary: TagSummary, run?: string): ModelMetrics | undefined {
  if (summary.runs === 0) return {metrics: {}, from: 'summary', noRuns: true}
  if (run && summary.best?.run !== run) return undefined
  return {metrics: {...summary.metrics}, from: 'summary'}
}

type Found = Array<ModelMetrics | undefined>

/** Per-run models from the rows of the result database FILE, SQLite or DuckDB (one query for all INDEXES); fills RESULTS. */
async function fromRows(file: string, ctx: RepoContext, subjects: MetricSubject[], indexes: number[], label: string, results: Found): Promise<void> {
  const byRun = await withResultStore(file, {label}, (store) => runMetrics(store, ctx, indexes.map((i) => subjects[i]?.run ?? ''), label))
  for (const i of indexes) {
    const s = subjects[i]
    const m = s?.run ? byRun.get(s.run) : undefined
    if (m) results[i] = {metrics: m.metrics, from: 'database', ...(m.version && !s?.version ? {version: m.version} : {})}
  }
}

/** Per-run models without rows in the working copy's database: the database as it was at their version (else HEAD). */
async function fromDatabaseAt(ctx: RepoContext, subjects: MetricSubject[], tagByName: Map<string, TagRef>, results: Found): Promise<void> {
  const atVersion = new Map<string, number[]>()
  subjects.forEach((s, i) => {
    const rev = s.version && tagByName.has(s.version) ? s.version : 'HEAD'
    if (!results[i] && s.run) atVersion.set(rev, [...(atVersion.get(rev) ?? []), i])
  })
  for (const [version, indexes] of atVersion) {
    // Best effort: a database that cannot be had (not fetched, remote away) leaves those runs unranked.
    const file = await readableFileAt(ctx, await resolveRev(ctx, version), ctx.config.db).catch((error: unknown) => {
      if (error instanceof XvError) return undefined
      throw error
    })
    if (!file) continue
    try {
      await fromRows(file.file, ctx, subjects, indexes, `${ctx.config.db} at ${version}`, results)
    } finally {
      file.cleanup()
    }
  }
}

/** A model with no rows found: its version's frozen summary, else the numbers of its tag message. */
function fromTag(s: MetricSubject, summaries: Map<string, TagSummary>, tagByName: Map<string, TagRef>): ModelMetrics {
  const summary = s.version ? summaries.get(s.version) : undefined
  const fromSum = summary ? fromSummary(summary, s.run) : undefined
  if (fromSum) return fromSum
  const tag = s.version ? tagByName.get(s.version) : undefined
  if (tag && !s.run) {
    const numbers = tagNumbers(tag.subject)
    const noRuns = /(^|\|)\s*no runs\s*(\||$)/.test(tag.subject)
    return {metrics: noRuns ? {} : numbers, from: 'tag', ...(noRuns ? {noRuns} : {})}
  }

  return {metrics: {}, from: 'none'}
}

/** Metrics for each subject, in order. */
export async function metricsFor(ctx: RepoContext, subjects: MetricSubject[], tags: TagRef[]): Promise<ModelMetrics[]> {
  const tagByName = new Map(tags.map((t) => [t.name, t]))
  const versions = [...new Set(subjects.flatMap((s) => (s.version && tagByName.has(s.version) ? [s.version] : [])))]
  const summaries = await readSummaries(ctx.git, versions)
  const results: Found = subjects.map(() => undefined)

  // Per-run models: the working copy's database first, in one query.
  const runIndexes = subjects.flatMap((s, i) => (s.run ? [i] : []))
  if (runIndexes.length > 0 && existsSync(ctx.dbPath)) await fromRows(ctx.dbPath, ctx, subjects, runIndexes, ctx.config.db, results)

  await fromDatabaseAt(ctx, subjects, tagByName, results)
  return subjects.map((s, i) => results[i] ?? fromTag(s, summaries, tagByName))
}

export interface Ranked<T> {
  item: T
  value?: number
}

/**
 * Orders ITEMS best first by METRIC (direction from --min, else xv.yaml, else the metric's name).
 * Items without the metric come last. A metric no item has is a usage error naming those there are.
 */
export function rankBy<T>(ctx: RepoContext, items: T[], metricsOf: (item: T) => Record<string, number>, metric: string, min?: boolean): Array<Ranked<T>> {
  const known = new Set(items.flatMap((i) => Object.keys(metricsOf(i))))
  if (!known.has(metric))
    throw new UsageError(`no model has a numeric metric '${metric}'${known.size > 0 ? `; metrics: ${[...known].sort().join(', ')}` : '; none of them has metrics (tag them with xv tag)'}`)
  const lower = min ?? directionOf(metric, ctx.config.metrics) === 'lower'
  const ranked = items.map((item) => ({item, value: metricsOf(item)[metric]}))
  return ranked.sort((a, b) => {
    if (a.value === undefined || b.value === undefined) return a.value === undefined ? (b.value === undefined ? 0 : 1) : -1
    return lower ? a.value - b.value : b.value - a.value
  })
}

/** The metric to rank by when none is given: the first configured one. */
export function defaultMetric(ctx: RepoContext): string | undefined {
  return ctx.config.metrics[0]?.name
}
