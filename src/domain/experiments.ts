/**
 * The experiment registry: every experiment tag (one for-each-ref) with its parsed fields, joined
 * with the current result database's metrics per version.
 */
import {existsSync} from 'node:fs'

import {type VersionSummary, describeTables, openDb, summariseVersions} from '../adapters/sqlite.js'
import type {ExperimentTag, RepoContext} from '../context.js'
import {XvError} from '../errors.js'
import {chooseResultTable, directionOf, metricColumns, checkMetrics} from './results.js'
import {parseTagMessage} from './tag-message.js'
import {compareVersions} from './version.js'

export interface ExperimentEntry {
  version: string
  date: string
  commit: string
  tagger: string
  annotated: boolean
  subject: string
  fields: Record<string, string>
  description?: string
  /** Mean of each metric over the version's rows in the current result database. */
  metrics: Record<string, number>
  rows: number
}

export interface ListOptions {
  sort?: string
  limit?: number
}

export interface ExperimentList {
  experiments: ExperimentEntry[]
  /** Metric columns found in the result database, in display order. */
  metricColumns: string[]
  table?: string
}

interface DbMetrics {
  table: string
  columns: string[]
  byVersion: Map<string, VersionSummary>
}

function readDbMetrics(ctx: RepoContext): DbMetrics | undefined {
  if (!existsSync(ctx.dbPath)) return undefined
  const label = ctx.config.db
  const db = openDb(ctx.dbPath, {readonly: true, label})
  try {
    const tables = describeTables(db)
    const choice = chooseResultTable(tables, {table: ctx.config.table, versionColumn: ctx.config.versionColumn}, label)
    if (!choice) return undefined
    const cols = tables.find((t) => t.table === choice.table)!.columns
    checkMetrics(ctx.config.metrics, cols, choice.table, label)
    const metricNames = metricColumns(cols, choice.versionColumn, ctx.config.metrics)
    const wanted = cols.filter((c) => metricNames.includes(c.name))
    const byVersion = new Map<string, VersionSummary>()
    for (const s of summariseVersions(db, choice.table, choice.versionColumn, wanted)) byVersion.set(s.version, s)
    return {table: choice.table, columns: metricNames, byVersion}
  } finally {
    db.close()
  }
}

function toEntry(tag: ExperimentTag, db: DbMetrics | undefined): ExperimentEntry {
  const parsed = parseTagMessage(tag.type === 'tag' ? tag.subject : '')
  const summary = db?.byVersion.get(tag.name) ?? db?.byVersion.get(tag.version.semver)
  return {
    version: tag.name,
    date: tag.date,
    commit: tag.commit,
    tagger: tag.tagger,
    annotated: tag.type === 'tag',
    subject: tag.type === 'tag' ? tag.subject : '',
    fields: parsed.fields,
    description: parsed.description,
    metrics: summary?.means ?? {},
    rows: summary?.rows ?? 0,
  }
}

function metricValue(e: ExperimentEntry, name: string): number | undefined {
  if (name in e.metrics) return e.metrics[name]
  const f = e.fields[name]
  const n = f === undefined ? Number.NaN : Number(f)
  return Number.isFinite(n) ? n : undefined
}

export async function listExperiments(ctx: RepoContext, options: ListOptions = {}): Promise<ExperimentList> {
  const pending = ctx.experimentTags() // git runs while the database is read
  const db = readDbMetrics(ctx)
  const tags = await pending
  const entries = tags.map((t) => toEntry(t, db))
  const byTag = new Map(tags.map((t) => [t.name, t.version]))
  if (options.sort) {
    const name = options.sort
    const known = new Set([...(db?.columns ?? []), ...entries.flatMap((e) => Object.keys(e.fields))])
    if (!known.has(name))
      throw new XvError(`cannot sort by '${name}': no such metric; metrics: ${[...known].join(', ') || '(none)'}`)
    const dir = directionOf(name, ctx.config.metrics) === 'lower' ? 1 : -1
    entries.sort((a, b) => {
      const va = metricValue(a, name)
      const vb = metricValue(b, name)
      if (va === undefined && vb === undefined) return compareVersions(byTag.get(b.version)!, byTag.get(a.version)!)
      if (va === undefined) return 1
      if (vb === undefined) return -1
      return dir * (va - vb)
    })
  } else entries.sort((a, b) => compareVersions(byTag.get(b.version)!, byTag.get(a.version)!))

  const limited = options.limit !== undefined ? entries.slice(0, options.limit) : entries
  return {experiments: limited, metricColumns: db?.columns ?? [], table: db?.table}
}
