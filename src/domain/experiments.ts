/**
 * The experiment registry: every experiment tag (one for-each-ref) with its parsed message and
 * the summary frozen at the tag (results/metrics.json, all tags in one batched git read). Never
 * today's result database: an old tag shows what was true when it was made. Tags made before
 * summaries existed show the numbers of their message, marked as such (`source: 'tag'`).
 * Retracted versions are hidden unless `all`.
 */
import type {TagRef} from '../adapters/git.js'
import type {ExperimentTag, RepoContext} from '../context.js'
import {UsageError} from '../errors.js'
import {hasStageTags} from './model-stages.js'
import {directionOf, isMetricName} from './results.js'
import {retractedAmong} from './retract.js'
import {readSummaries, type TagSummary} from './summaries.js'
import {parseTagMessage} from './tag-message.js'
import {compareVersions, type ExperimentVersion} from './version.js'

export interface ExperimentEntry {
  version: string
  date: string
  commit: string
  tagger: string
  annotated: boolean
  subject: string
  fields: Record<string, string>
  description?: string
  /** The best run's metrics: from the frozen summary, else the numbers of the tag message. */
  metrics: Record<string, number>
  /** Where `metrics` come from: the frozen summary, the tag message, or nowhere. */
  source: 'summary' | 'tag' | 'none'
  /** Runs of the version (summary), or runs= of the message; undefined when unknown. */
  runs?: number
  /** Rows of the version when it was tagged (summary only). */
  rows?: number
  /** Metric means over the version's rows (summary only), labelled as means. */
  means?: Record<string, number>
  params?: TagSummary['params']
  best?: TagSummary['best']
  table?: string
  retracted?: {reason: string}
  /** GTO stages this version holds now (`prod`, `staging`), from the stage tags; empty when none. */
  stages: string[]
}

export interface ListOptions {
  sort?: string
  limit?: number
  /** Include retracted versions. */
  all?: boolean
}

export interface ExperimentList {
  experiments: ExperimentEntry[]
  /** Metric names found in the summaries and tag messages, configured ones first. */
  metricColumns: string[]
}

const metricNameCache = new Map<string, boolean>()
function isMetricField(name: string): boolean {
  let known = metricNameCache.get(name)
  if (known === undefined) metricNameCache.set(name, (known = isMetricName(name)))
  return known
}

function toEntry(tag: ExperimentTag, summary: TagSummary | undefined): ExperimentEntry {
  const annotated = tag.type === 'tag'
  const parsed = parseTagMessage(annotated ? tag.subject : '')
  // One literal, then optional keys: 10,000 entries share a shape (no spread of a conditional object).
  const entry: ExperimentEntry = {
    version: tag.name,
    date: tag.date,
    commit: tag.commit,
    tagger: tag.tagger,
    annotated,
    subject: annotated ? tag.subject : '',
    fields: parsed.fields,
    metrics: {},
    source: 'none',
    stages: [],
  }
  if (parsed.description !== undefined) entry.description = parsed.description
  if (summary && summary.version === tag.name) {
    entry.metrics = summary.metrics
    entry.source = 'summary'
    entry.runs = summary.runs
    entry.rows = summary.rows
    entry.means = summary.means
    entry.params = summary.params
    if (summary.best) entry.best = summary.best
    if (summary.table) entry.table = summary.table
    return entry
  }

  for (const k in parsed.fields) {
    if (!isMetricField(k)) continue
    const v = parsed.fields[k] ?? ''
    const n = Number(v)
    if (v.trim() !== '' && Number.isFinite(n)) {
      entry.metrics[k] = n
      entry.source = 'tag'
    }
  }

  const runs = Number(parsed.fields.runs)
  if (parsed.fields.runs !== undefined && Number.isInteger(runs)) entry.runs = runs
  return entry
}

function metricValue(e: ExperimentEntry, name: string): number | undefined {
  if (e.runs === 0) return undefined // no runs: ranked last, never by borrowed numbers
  if (name in e.metrics) return e.metrics[name]
  return undefined
}

interface Item {
  e: ExperimentEntry
  v: ExperimentVersion
}

/**
 * Metric names found in the entries, configured ones first, then the others in order of first
 * appearance (each entry's new names A→Z); only names some entry has a value for.
 */
function metricColumnsOf(items: readonly Item[], configured: readonly string[]): string[] {
  const columns = [...configured]
  const known = new Set(configured)
  const present = new Set<string>()
  for (const {e} of items) {
    let fresh: string[] | undefined
    for (const k in e.metrics) {
      present.add(k)
      if (!known.has(k)) (fresh ??= []).push(k)
    }

    if (!fresh) continue
    for (const k of fresh.sort()) {
      columns.push(k)
      known.add(k)
    }
  }

  return columns.filter((c) => present.has(c))
}

/** `--sort NAME`: a metric best first (no runs last), a text field (model=cnn) A→Z; ties newest first. */
function sortBy(items: Item[], name: string, metricColumns: string[], ctx: RepoContext, newestFirst: (a: Item, b: Item) => number): void {
  const known = new Set([...metricColumns, ...items.flatMap((i) => Object.keys(i.e.fields))])
  if (!known.has(name))
    throw new UsageError(`cannot sort by '${name}': no such metric or tag field; known: ${[...known].join(', ') || '(none)'}`)
  const dir = directionOf(name, ctx.config.metrics) === 'lower' ? 1 : -1
  const textual = !items.some((i) => metricValue(i.e, name) !== undefined)
  if (textual) items.sort((a, b) => (a.e.fields[name] ?? '\uffff').localeCompare(b.e.fields[name] ?? '\uffff') || newestFirst(a, b))
  else items.sort((a, b) => {
    const va = metricValue(a.e, name)
    const vb = metricValue(b.e, name)
    if (va === undefined && vb === undefined) return newestFirst(a, b)
    if (va === undefined) return 1
    if (vb === undefined) return -1
    return dir * (va - vb)
  })
}

/** Stages by version from the GTO stage tags among ALL (the registry module is loaded only when there are some). */
async function stagesOf(ctx: RepoContext, all: TagRef[]): Promise<Map<string, string[]> | undefined> {
  if (!hasStageTags(all)) return undefined
  const {stagesByVersion} = await import('./model-assign.js')
  return stagesByVersion(ctx, all)
}

export async function listExperiments(ctx: RepoContext, options: ListOptions = {}): Promise<ExperimentList> {
  const all = await ctx.git.listTags() // one for-each-ref: versions, retraction markers and stage tags
  const tags = ctx.experimentTagsOf(all)
  // A summary counts only for the version it was frozen for (summary.version = the tag).
  // Read by commit id (no ref lookup per tag; tags sharing a commit read once).
  const commits = [...new Set(tags.map((t) => t.commit))]
  const [summaries, stages] = await Promise.all([readSummaries(ctx.git, commits), stagesOf(ctx, all)])
  const retracted = retractedAmong(all)
  // Each entry travels with its parsed version, so sorting compares versions without lookups.
  let items = tags.map((t) => {
    const e = toEntry(t, summaries.get(t.commit))
    const r = retracted.get(t.name)
    if (r) e.retracted = r
    const s = stages?.get(t.name)
    if (s) e.stages = s
    return {e, v: t.version}
  })
  if (!options.all) items = items.filter((i) => !i.e.retracted)
  const newestFirst = (a: Item, b: Item): number => compareVersions(b.v, a.v)
  const metricColumns = metricColumnsOf(items, ctx.config.metrics.map((m) => m.name))
  if (options.sort) sortBy(items, options.sort, metricColumns, ctx, newestFirst)
  else items.sort(newestFirst)
  const entries = items.map((i) => i.e)
  const limited = options.limit !== undefined ? entries.slice(0, options.limit) : entries
  return {experiments: limited, metricColumns}
}
