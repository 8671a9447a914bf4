/**
 * `xv report`: everything one page shows — a leaderboard of every version (frozen summaries, one
 * batched git read), a chart per primary metric, the diff of two versions (the last two by
 * default), the DVC artifacts of the newest version with hashes and sizes, and its pipeline stages
 * (dvc.lock: what each stage read and wrote, i.e. the lineage of its outputs).
 */
import {parseYaml} from '../yaml.js'

import type {VersionSummary} from '../adapters/sqlite.js'
import type {RepoContext} from '../context.js'
import {UsageError, XvError, errorMessage} from '../errors.js'
import {resolveRev} from './revision.js'
import {dvcArtifactsAt, type DvcArtifactInfo} from './show.js'
import {compareSummaries, diffExperiments, type DiffReport} from './diff.js'
import {knownMetrics, seriesOf, versionPoints, type MetricSeries, type PlotAxis, type VersionPoint} from './plot-data.js'

export interface StageInfo {
  name: string
  cmd?: string
  deps: Array<{path: string; md5?: string; size?: number}>
  outs: Array<{path: string; md5?: string; size?: number}>
}

export interface ReportData {
  title: string
  generated: string
  by: PlotAxis
  /** Oldest first (as charted); the leaderboard shows them newest first. */
  versions: VersionPoint[]
  metrics: string[]
  params: string[]
  /** One chart per primary metric. */
  charts: MetricSeries[]
  diff?: DiffReport
  artifacts?: {version: string; items: DvcArtifactInfo[]}
  stages: StageInfo[]
  notes: string[]
}

export interface ReportOptions {
  versions?: string
  by?: PlotAxis
  /** Two versions to compare (default: the last two). */
  diff?: [string, string]
  /** Metrics to chart (default: xv.yaml metrics, else the summaries' best-run metric, else the first three). */
  metrics?: string[]
  title?: string
}

function primaryMetrics(points: VersionPoint[], known: string[], ctx: RepoContext, wanted?: string[]): string[] {
  if (wanted && wanted.length > 0) {
    const unknown = wanted.find((m) => !known.includes(m))
    if (unknown) throw new UsageError(`no version has a metric '${unknown}'; metrics: ${known.join(', ') || '(none)'}`)
    return wanted
  }

  const configured = ctx.config.metrics.map((m) => m.name).filter((m) => known.includes(m))
  if (configured.length > 0) return configured
  const best = [...points].reverse().find((p) => p.summary?.best)?.summary?.best?.metric
  if (best && known.includes(best)) return [best]
  return known.slice(0, 3)
}

function paramNames(points: VersionPoint[], metrics: string[]): string[] {
  const names: string[] = []
  for (const p of points) {
    const params = p.summary ? Object.keys(p.summary.params) : Object.keys(p.fields).filter((k) => !(k in p.values))
    for (const k of params) if (!names.includes(k) && !metrics.includes(k) && k !== 'data') names.push(k)
  }

  return names.slice(0, 8)
}

/** The frozen numbers of a version as a summary diff can compare. */
function asVersionSummary(p: VersionPoint): VersionSummary {
  const means: Record<string, number> = {...p.values}
  const values: Record<string, string> = {}
  for (const [k, v] of Object.entries(p.summary?.params ?? {})) {
    if (typeof v === 'number') means[k] = v
    else if (v !== null) values[k] = String(v)
  }

  return {version: p.version, rows: p.summary?.rows ?? 0, means, values, integers: []}
}

export function parseStages(text: string): StageInfo[] {
  const doc = parseYaml(text) as {stages?: Record<string, {cmd?: string | string[]; deps?: unknown[]; outs?: unknown[]}>} | null
  const files = (list: unknown[] | undefined) =>
    (list ?? []).flatMap((d) => {
      if (!d || typeof d !== 'object') return []
      const o = d as {path?: string; md5?: string; hash?: string; size?: number}
      return o.path ? [{path: o.path, md5: o.md5, size: o.size}] : []
    })
  return Object.entries(doc?.stages ?? {}).map(([name, s]) => ({
    name,
    cmd: Array.isArray(s.cmd) ? s.cmd.join(' && ') : s.cmd,
    deps: files(s.deps),
    outs: files(s.outs),
  }))
}

async function diffOf(ctx: RepoContext, points: VersionPoint[], pair: [string, string], notes: string[]): Promise<DiffReport> {
  const [a, b] = pair.map((v) => points.find((p) => p.version === v))
  let report: DiffReport
  try {
    report = await diffExperiments(ctx, pair[0], pair[1], {rows: false, all: false, examples: 0})
  } catch (error) {
    if (!(error instanceof XvError) || !a || !b) throw error
    notes.push(`diff ${pair[0]} → ${pair[1]}: ${errorMessage(error)}; showing the tags' frozen numbers only`)
    report = {a: {version: a.version, commit: a.commit, rows: 0}, b: {version: b.version, commit: b.commit, rows: 0}, values: [], fields: [], artifacts: [], notes: [], warnings: []}
  }

  if (a && b && a.source !== 'none' && b.source !== 'none') {
    const values = compareSummaries(asVersionSummary(a), asVersionSummary(b), 'version', ctx.config.metrics)
    report.values = values.filter((d) => d.changed)
    report.notes = report.notes.filter((n) => !n.startsWith('no result database') && !n.startsWith('no rows'))
    report.notes.push('metrics and params: the frozen numbers of each tag (best run, results/metrics.json or the tag message)')
  }

  return report
}

export async function buildReport(ctx: RepoContext, options: ReportOptions = {}): Promise<ReportData> {
  const points = await versionPoints(ctx, {versions: options.versions, by: options.by})
  if (points.length === 0) throw new XvError('no experiment versions to report; tag one with: xv tag e0.1.0 -m "baseline"')
  const known = knownMetrics(points, ctx.config.metrics.map((m) => m.name))
  const primary = primaryMetrics(points, known, ctx, options.metrics)
  const notes: string[] = []
  const bySemver = options.by === 'date' ? await versionPoints(ctx, {versions: options.versions}) : points
  const newest = bySemver.at(-1)
  const previous = bySemver.at(-2)
  if (!newest) throw new XvError('no experiment versions to report; tag one with: xv tag e0.1.0 -m "baseline"')
  const pair = options.diff ?? (previous ? ([previous.version, newest.version] as [string, string]) : undefined)

  const [diff, artifacts, lock] = await Promise.all([
    pair ? diffOf(ctx, points, pair, notes) : undefined,
    dvcArtifactsAt(ctx, await resolveRev(ctx, newest.version)).catch((error: unknown) => {
      notes.push(`artifacts at ${newest.version}: ${errorMessage(error)}`)
      return []
    }),
    ctx.git.showFile(newest.commit, 'dvc.lock'),
  ])
  let stages: StageInfo[] = []
  try {
    stages = lock ? parseStages(lock.toString('utf8')) : []
  } catch (error) {
    notes.push(`dvc.lock at ${newest.version} cannot be read: ${errorMessage(error)}`)
  }

  const root = ctx.root.split('/').filter(Boolean).at(-1) ?? 'experiments'
  return {
    title: options.title ?? `${root}: experiment report`,
    generated: new Date().toISOString(),
    by: options.by ?? 'version',
    versions: points,
    metrics: known,
    params: paramNames(points, known),
    charts: seriesOf(points, primary, ctx),
    diff,
    artifacts: {version: newest.version, items: artifacts},
    stages,
    notes,
  }
}
