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
  let entries = tags.map((t) => {
    const e = toEntry(t, summaries.get(t.commit))
    const r = retracted.get(t.name)
    if (r) e.retracted = r
    const s = stages?.get(t.name)
    if (s) e.stages = s
    return e
  })
  if (!options.all) entries = entries.filter((e) => !e.retracted)
  const byTag = new Map(tags.map((t) => [t.name, t.version]))
  const newestFirst = (a: {version: string}, b: {version: string}): number => {
    const va = byTag.get(a.version)
    const vb = byTag.get(b.version)
    return va && vb ? compareVersions(vb, va) : 0
  }
  const configured = ctx.config.metrics.map((m) => m.name)
  const columns: string[] = [...configured]
  for (const e of entries) for (const k of Object.keys(e.metrics).sort()) if (!columns.includes(k)) columns.push(k)
  const metricColumns = columns.filter((c) => entries.some((e) => c in e.metrics))
  if (options.sort) {
    const name = options.sort
    const known = new Set([...metricColumns, ...entries.flatMap((e) => Object.keys(e.fields))])
    if (!known.has(name))
      throw new UsageError(`cannot sort by '${name}': no such metric or tag field; known: ${[...known].join(', ') || '(none)'}`)
    const dir = directionOf(name, ctx.config.metrics) === 'lower' ? 1 : -1
    // A text field (model=cnn) sorts as text, A→Z; a metric sorts best first.
    const textual = !entries.some((e) => metricValue(e, name) !== undefined)
    const newest = (a: ExperimentEntry, b: ExperimentEntry) => {
      const [va, vb] = [byTag.get(a.version), byTag.get(b.version)]
      return va && vb ? compareVersions(vb, va) : 0
    }
    if (textual) entries.sort((a, b) => (a.fields[name] ?? '\uffff').localeCompare(b.fields[name] ?? '\uffff') || newest(a, b))
    else entries.sort((a, b) => {
      const va = metricValue(a, name)
      const vb = metricValue(b, name)
      if (va === undefined && vb === undefined) return newestFirst(a, b)
      if (va === undefined) return 1
      if (vb === undefined) return -1
      return dir * (va - vb)
    })
  } else entries.sort(newestFirst)

  const limited = options.limit !== undefined ? entries.slice(0, options.limit) : entries
  return {experiments: limited, metricColumns}
}
