/**
 * What `xv plot` and `xv report` draw: each experiment version's frozen numbers, read from the
 * per-tag summaries (`results/metrics.json`, one batched git read), else from the tag message's
 * fields — never from 1,000 database snapshots.
 */
import type {Direction} from '../config.js'
import type {ExperimentTag, RepoContext} from '../context.js'
import {UsageError, XvError} from '../errors.js'
import {directionOf} from './results.js'
import {readSummaries, type TagSummary} from './summaries.js'
import {parseTagMessage} from './tag-message.js'
import {compareVersions, parseVersion} from './version.js'

export type PlotAxis = 'version' | 'date'

export interface VersionPoint {
  version: string
  date: string
  commit: string
  /** Numbers of the version: the summary's best-run metrics, else the tag message's numeric fields. */
  values: Record<string, number>
  /** Where the numbers come from. */
  source: 'summary' | 'tag' | 'none'
  summary?: TagSummary
  fields: Record<string, string>
  description?: string
}

export interface MetricSeries {
  metric: string
  direction: Direction
  points: Array<{version: string; date: string; value: number}>
  best?: {version: string; value: number}
}

export interface VersionSeries {
  by: PlotAxis
  versions: VersionPoint[]
  series: MetricSeries[]
}

/** `A..B`, `A..`, `..B` (inclusive) or `A,B,C`; undefined = every version. */
export function filterVersions(tags: ExperimentTag[], range: string | undefined, prefix: string): ExperimentTag[] {
  if (!range) return tags
  if (range.includes('..')) {
    const [from, to] = range.split('..', 2)
    const lo = from ? parseVersion(from, prefix) : undefined
    const hi = to ? parseVersion(to, prefix) : undefined
    return tags.filter((t) => (!lo || compareVersions(t.version, lo) >= 0) && (!hi || compareVersions(t.version, hi) <= 0))
  }

  const wanted = range.split(',').map((v) => parseVersion(v.trim(), prefix).tag)
  const names = new Set(tags.map((t) => t.name))
  const missing = wanted.find((w) => !names.has(w))
  if (missing) throw new XvError(`no experiment tag ${missing}; see: xv list`)
  return tags.filter((t) => wanted.includes(t.name))
}

function numericFields(fields: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(fields)) {
    const n = v.trim() === '' ? Number.NaN : Number(v)
    if (Number.isFinite(n)) out[k] = n
  }

  return out
}

/** Every experiment version (oldest first, or by date) with its frozen numbers. */
export async function versionPoints(ctx: RepoContext, options: {versions?: string; by?: PlotAxis} = {}): Promise<VersionPoint[]> {
  const tags = filterVersions(await ctx.experimentTags(), options.versions, ctx.config.prefix)
  const summaries = await readSummaries(ctx.git, tags.map((t) => t.name))
  const points = tags.map((t): VersionPoint => {
    const parsed = parseTagMessage(t.type === 'tag' ? t.subject : '')
    const summary = summaries.get(t.name)
    const fromTag = numericFields(parsed.fields)
    const values = summary ? {...summary.metrics} : fromTag
    const source = summary ? 'summary' : Object.keys(fromTag).length > 0 ? 'tag' : 'none'
    return {version: t.name, date: t.date, commit: t.commit, values, source, summary, fields: parsed.fields, description: parsed.description}
  })
  const order = new Map(tags.map((t) => [t.name, t.version]))
  const byVersion = (a: {version: string}, b: {version: string}): number => {
    const va = order.get(a.version)
    const vb = order.get(b.version)
    return va && vb ? compareVersions(va, vb) : 0
  }
  if (options.by === 'date') points.sort((a, b) => a.date.localeCompare(b.date) || byVersion(a, b))
  else points.sort(byVersion)
  return points
}

/** Every metric name some version has, configured metrics first. */
export function knownMetrics(points: VersionPoint[], configured: string[] = []): string[] {
  const names = new Set<string>()
  for (const p of points) for (const k of Object.keys(p.values)) names.add(k)
  return [...configured.filter((m) => names.has(m)), ...[...names].filter((m) => !configured.includes(m))]
}

/** One series per metric, with its best version by the metric's direction. */
export function seriesOf(points: VersionPoint[], metrics: string[], ctx: Pick<RepoContext, 'config'>): MetricSeries[] {
  return metrics.map((metric) => {
    const direction = directionOf(metric, ctx.config.metrics)
    const pts = points.flatMap((p) => {
      const value = p.values[metric]
      return value === undefined ? [] : [{version: p.version, date: p.date, value}]
    })
    let best: MetricSeries['best']
    for (const p of pts)
      if (!best || (direction === 'lower' ? p.value < best.value : p.value > best.value)) best = {version: p.version, value: p.value}
    return {metric, direction, points: pts, best}
  })
}

/** The series `xv plot METRIC…` draws; unknown metric names are one clear error. */
export async function versionSeries(
  ctx: RepoContext,
  metrics: string[],
  options: {versions?: string; by?: PlotAxis} = {},
): Promise<VersionSeries> {
  const versions = await versionPoints(ctx, options)
  if (versions.length === 0) throw new XvError('no experiment versions to plot; tag one with: xv tag e0.1.0 -m "baseline"')
  const known = knownMetrics(versions, ctx.config.metrics.map((m) => m.name))
  const unknown = metrics.find((m) => !known.includes(m))
  if (unknown) throw new UsageError(`no version has a metric '${unknown}'; metrics: ${known.join(', ') || '(none)'}`)
  return {by: options.by ?? 'version', versions, series: seriesOf(versions, metrics, ctx)}
}
