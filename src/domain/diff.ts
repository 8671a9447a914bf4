/**
 * `xv diff V1 V2`: metrics and params of two versions (each from the result database as it was at
 * its own tag), tag fields that differ, DVC artifacts whose hash changed, the code diffstat, and
 * with `--rows` a row-level diff of a table computed inside SQLite (both files attached read-only
 * to one connection; rows never travel into JavaScript except a few examples).
 */
import {existsSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {Worker} from 'node:worker_threads'

import {md5File} from '../adapters/dvc-objects.js'
import {readTag} from '../adapters/git-read.js'
import {isLongTable, pivotLongTable} from '../adapters/result-rows.js'
import {withSqliteFile} from '../adapters/result-store-convert.js'
import {listTables, openReadOnly, summariseVersions, type ColumnInfo, type Db, type VersionSummary} from '../adapters/sqlite.js'
import type {MetricSpec} from '../config.js'
import type {RepoContext} from '../context.js'
import {XvError} from '../errors.js'
import {chooseTableAt, resultsAtOrWarn, versionKeys, type ResultsAt} from './at-revision.js'
import {dvcOutsAt} from './locate.js'
import {directionOf, isBookkeeping, isMetricName} from './results.js'
import {commitOf, resolveRev, type Rev} from './revision.js'
import {codeChangeSummary, type CodeFile} from './compare.js'
import {rowDiffDuck, rowDiffSql, same, type RowDiff} from './row-diff.js'
import {formatParam, parseTagMessage, roundSane} from './tag-message.js'

export interface ValueDelta {
  name: string
  kind: 'metric' | 'param'
  a?: number | string
  b?: number | string
  delta?: number
  /** Relative change in percent (undefined when a is 0 or not a number). */
  pct?: number
  direction?: 'higher' | 'lower'
  /** true: b is better, false: worse, undefined: unchanged or not comparable. */
  better?: boolean
  changed: boolean
}

export interface ArtifactChange {
  path: string
  change: 'added' | 'removed' | 'modified' | 'unchanged'
  a?: {md5?: string; size?: number}
  b?: {md5?: string; size?: number}
  sizeDelta?: number
}

export interface SideInfo {
  version: string
  commit?: string
  db?: {source: string}
  /** The result table this side's numbers come from (each side names its own: D8). */
  table?: string
  rows: number
  versionValue?: string
}

export interface DiffReport {
  a: SideInfo
  b: SideInfo
  table?: string
  versionColumn?: string
  values: ValueDelta[]
  fields: Array<{key: string; a?: string; b?: string}>
  artifacts: ArtifactChange[]
  code?: {files: number; insertions: number; deletions: number; changed?: CodeFile[]}
  rows?: RowDiff
  notes: string[]
  /** What could not be read (a database object unavailable), one line each. */
  warnings: string[]
}

export interface DiffOptions {
  table?: string
  versionColumn?: string
  rows: boolean
  key?: string[]
  all: boolean
  examples: number
}

// ---------------------------------------------------------------------------------------------
// Pure comparison logic

/** Column-by-column comparison of two version summaries. */
export function compareSummaries(
  a: VersionSummary | undefined,
  b: VersionSummary | undefined,
  versionColumn: string,
  configured: MetricSpec[] = [],
): ValueDelta[] {
  const names: string[] = []
  for (const s of [a, b]) for (const n of [...Object.keys(s?.means ?? {}), ...Object.keys(s?.values ?? {})]) if (!names.includes(n)) names.push(n)
  const out: ValueDelta[] = []
  for (const name of names) {
    if (isBookkeeping(name, versionColumn)) continue
    const va = a?.means[name] ?? a?.values[name]
    const vb = b?.means[name] ?? b?.values[name]
    const metric = configured.some((m) => m.name === name) || isMetricName(name)
    // Numbers without float noise (a mean of ten 0.81 is 0.81, not 0.8100000000000002); a param
    // whose rows disagree (a sweep's lr) is its range, never a mean.
    const shown = (s: VersionSummary | undefined, v: typeof va) => {
      const range = metric ? undefined : s?.spread?.[name]
      if (range) return `${formatParam(range.min)}…${formatParam(range.max)} (varies)`
      return typeof v === 'number' ? roundSane(v) : v
    }
    const [sa, sb] = [shown(a, va), shown(b, vb)]
    const d: ValueDelta = {name, kind: metric ? 'metric' : 'param', a: sa, b: sb, changed: typeof sa === 'number' && typeof sb === 'number' ? !same(va, vb) : sa !== sb}
    if (typeof sa === 'number' && typeof sb === 'number' && typeof va === 'number' && typeof vb === 'number') {
      d.delta = roundSane(vb - va)
      if (va !== 0) d.pct = roundSane(((vb - va) / Math.abs(va)) * 100)
      if (metric) {
        d.direction = directionOf(name, configured)
        if (d.changed) d.better = d.direction === 'higher' ? vb > va : vb < va
      }
    }

    out.push(d)
  }

  // metrics first, then params; each in discovery order
  return [...out.filter((d) => d.kind === 'metric'), ...out.filter((d) => d.kind === 'param')]
}

/** Tag fields whose values differ (keys present on either side). */
export function fieldChanges(a: Record<string, string>, b: Record<string, string>, all = false): Array<{key: string; a?: string; b?: string}> {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])]
  return keys.filter((k) => all || a[k] !== b[k]).map((k) => ({key: k, a: a[k], b: b[k]}))
}

/** DVC outs whose hash changed between two sides. */
export function artifactChanges(
  a: Array<{path: string; md5?: string; size?: number}>,
  b: Array<{path: string; md5?: string; size?: number}>,
  all = false,
): ArtifactChange[] {
  const ma = new Map(a.map((o) => [o.path, o]))
  const mb = new Map(b.map((o) => [o.path, o]))
  const out: ArtifactChange[] = []
  for (const path of [...new Set([...ma.keys(), ...mb.keys()])].sort()) {
    const x = ma.get(path)
    const y = mb.get(path)
    const change = !x ? 'added' : !y ? 'removed' : x.md5 !== y.md5 ? 'modified' : 'unchanged'
    if (change === 'unchanged' && !all) continue
    const sizeDelta = x?.size !== undefined && y?.size !== undefined ? y.size - x.size : undefined
    out.push({path, change, a: x && {md5: x.md5, size: x.size}, b: y && {md5: y.md5, size: y.size}, sizeDelta})
  }

  return out
}

// ---------------------------------------------------------------------------------------------

const HASH_LIMIT = 64 * 1024 * 1024

/**
 * A DVC out in the working copy: the pointer's hash unless the file changed since `dvc add`
 * (size differs, or content differs for files up to 64 MB — hashed; bigger ones trust the pointer).
 */
async function workingCopyOut<T extends {path: string; md5?: string; size?: number; isDir: boolean}>(root: string, o: T): Promise<T> {
  const file = join(root, o.path)
  if (o.isDir || !existsSync(file)) return o
  const {size} = statSync(file)
  if (o.size !== undefined && size !== o.size) return {...o, md5: 'uncommitted', size}
  if (size > HASH_LIMIT) return o
  const md5 = await md5File(file)
  return md5 === o.md5 ? o : {...o, md5, size}
}

export interface SummaryJob {
  file: string
  label: string
  /** The table summarised: the stored one, or the pivot view of a row-per-metric table. */
  table: string
  versionColumn: string
  columns: ColumnInfo[]
  keys: string[]
  /** Param columns whose range is wanted too (a param that varies is shown as its range, never a mean). */
  spread: string[]
  /** A row-per-metric table: its name, stored columns and metric names (each connection creates its own pivot view). */
  pivot?: {source: string; stored: ColumnInfo[]; metrics: string[]}
}

function summariseJob(j: SummaryJob, db: Db): VersionSummary | undefined {
  if (j.keys.length === 0) return undefined
  if (j.pivot) pivotLongTable(db, j.pivot.source, j.pivot.stored)
  return summariseVersions(db, j.table, j.versionColumn, j.columns, j.keys, true, j.spread)[0]
}

/**
 * Both summaries in a worker thread, started synchronously so it runs while the caller blocks on
 * the row diff. Resolves undefined (→ computed inline) when the worker cannot run.
 */
function summariseInWorker(jobs: Array<SummaryJob | undefined>): Promise<Array<VersionSummary | undefined> | undefined> {
  const todo = jobs.filter((j): j is SummaryJob => j !== undefined && j.keys.length > 0)
  const url = new URL('diff-worker.js', import.meta.url)
  if (todo.length === 0 || !existsSync(url)) return Promise.resolve(undefined)
  const worker = new Worker(url, {workerData: todo})
  return new Promise((done) => {
    const finish = (m?: {ok: boolean; out?: Array<VersionSummary | undefined>}) => {
      if (!m?.ok) { done(undefined); return; } // a failing query fails again inline, with its own message
      let k = 0
      done(jobs.map((j) => (j !== undefined && j.keys.length > 0 ? m.out?.[k++] : undefined)))
    }

    worker.once('message', finish)
    worker.once('error', () => finish())
    worker.once('exit', () => finish())
  })
}

async function rowsOf(ctx: RepoContext, a: Side, b: Side, options: DiffOptions, chosen: string | undefined): Promise<RowDiff> {
  if (!a.at || !b.at) throw new XvError(`--rows needs the result database at both versions; ${!a.at ? a.rev.name : b.rev.name} has no ${ctx.config.db}`)
  const table = options.table ?? chosen
  if (!table) throw new XvError(`--rows needs a table; none has a version column, name one with --table (tables: ${listTables(a.at.db).join(', ')})`)
  const labels = {a: a.at.label, b: b.at.label}
  // Both DuckDB: inside DuckDB. One of each: the DuckDB side copied whole into SQLite first.
  if (a.at.duck && b.at.duck) return rowDiffDuck({a: a.at.duck, b: b.at.duck}, table, options.key, options.examples, labels)
  const sqliteOf = async (at: ResultsAt, fn: (file: string) => RowDiff | Promise<RowDiff>): Promise<RowDiff> => (at.duck ? withSqliteFile(at.duck, at.label, () => 'all', fn) : fn(at.file))
  const atB = b.at
  return sqliteOf(a.at, (fileA) =>
    sqliteOf(atB, (fileB) => {
      const db = openReadOnly(fileA, labels.a, {file: fileB, label: labels.b})
      try {
        return rowDiffSql(db, table, options.key, options.examples, labels)
      } finally {
        db.close()
      }
    }),
  )
}

interface Side {
  rev: Rev
  fields: Record<string, string>
  at?: ResultsAt
  /** The database existed but its object could not be had (see the warning). */
  unavailable: boolean
}

async function openSide(ctx: RepoContext, input: string, warnings: string[]): Promise<Side> {
  const rev = await resolveRev(ctx, input)
  const tag = rev.kind === 'commit' && rev.isTag ? await readTag(ctx.git, rev.name) : undefined
  const at = await resultsAtOrWarn(ctx, rev, warnings)
  return {rev, fields: parseTagMessage(tag?.subject ?? '').fields, at: at === 'unavailable' ? undefined : at, unavailable: at === 'unavailable'}
}

/** What each side's summary reads (its table, version keys, compared columns); sides without one get a note. */
function summaryJobs(ctx: RepoContext, sides: Side[], options: DiffOptions, report: DiffReport): Array<SummaryJob | undefined> {
  return sides.map((s, i) => {
    if (!s.at) {
      report.notes.push(s.unavailable ? `${ctx.config.db} at ${s.rev.name} is unavailable: metrics not compared` : `no result database ${ctx.config.db} at ${s.rev.name}`)
      return undefined
    }

    const choice = chooseTableAt(ctx, s.at, options)
    if (!choice) {
      report.notes.push(`no table of ${s.at.label} has a version column`)
      return undefined
    }

    report.table ??= choice.table
    ;(i === 0 ? report.a : report.b).table = choice.table
    report.versionColumn ??= choice.versionColumn
    const keys = versionKeys(ctx, s.rev, s.at.db, choice.table, choice.versionColumn)
    // A row-per-metric table is read through the one pivoting reader, like tag, list and best do.
    const pivot = isLongTable(choice.columns) ? pivotLongTable(s.at.db, choice.table, choice.columns) : undefined
    // bookkeeping columns (ids, timestamps, predictions…) are never compared: not summarised either
    const columns = (pivot?.columns ?? choice.columns).filter((c) => !isBookkeeping(c.name, choice.versionColumn))
    const isMetric = (n: string) => ctx.config.metrics.some((m) => m.name === n) || isMetricName(n) || (pivot?.metrics.includes(n) ?? false)
    const spread = columns.filter((c) => !isMetric(c.name)).map((c) => c.name)
    return {
      file: s.at.file, label: s.at.label, table: pivot?.table ?? choice.table, versionColumn: choice.versionColumn, columns, keys, spread,
      ...(pivot ? {pivot: {source: choice.table, stored: choice.columns, metrics: pivot.metrics}} : {}),
    }
  })
}

/** Metrics and params of each side from its own database, compared; with --rows the row diff too. */
async function compareResults(ctx: RepoContext, [a, b]: [Side, Side], options: DiffOptions, report: DiffReport): Promise<void> {
  const jobs = summaryJobs(ctx, [a, b], options, report)
  // With --rows both full scans run at once: summaries in a worker thread, the row diff here.
  const pending = options.rows ? summariseInWorker(jobs) : undefined
  if (options.rows) report.rows = await rowsOf(ctx, a, b, options, report.table)
  const summaries = (await pending) ?? jobs.map((j, i) => {
    const db = (i === 0 ? a : b).at?.db
    return j && db ? summariseJob(j, db) : undefined
  })
  summaries.forEach((summary, i) => {
    const j = jobs[i]
    if (!j) return
    if (!summary) report.notes.push(`no rows with ${j.versionColumn} = ${(i === 0 ? a : b).rev.name} in table ${j.pivot?.source ?? j.table} of ${j.label}`)
    const info = i === 0 ? report.a : report.b
    info.rows = summary?.rows ?? 0
    info.versionValue = summary?.version
  })

  // The metric names of a row-per-metric table are metrics whatever they are called (val/accuracy).
  const pivoted = jobs.flatMap((j) => j?.pivot?.metrics ?? []).filter((m) => !ctx.config.metrics.some((c) => c.name === m))
  const metrics = [...ctx.config.metrics, ...[...new Set(pivoted)].map((name) => ({name}))]
  const values = compareSummaries(summaries[0], summaries[1], report.versionColumn ?? 'version', metrics)
  report.values = options.all ? values : values.filter((d) => d.changed)
}

/** DVC artifacts whose hash changed (the working copy's files hashed when a side is the workspace). */
async function artifactsBetween(ctx: RepoContext, a: Rev, b: Rev, all: boolean): Promise<ArtifactChange[]> {
  const outs = async (rev: Rev) => {
    const list = (await dvcOutsAt(ctx, rev)).map((h) => ({path: h.outPath, md5: h.out.md5, size: h.out.size, isDir: h.out.isDir}))
    return rev.kind === 'workspace' ? Promise.all(list.map((o) => workingCopyOut(ctx.root, o))) : list
  }

  return artifactChanges(await outs(a), await outs(b), all)
}

export async function diffExperiments(ctx: RepoContext, v1: string, v2: string, options: DiffOptions): Promise<DiffReport> {
  const sides: Side[] = []
  const warnings: string[] = []
  try {
    const a = await openSide(ctx, v1, warnings)
    sides.push(a)
    const b = await openSide(ctx, v2, warnings)
    sides.push(b)
    const report: DiffReport = {
      a: {version: a.rev.name, commit: commitOf(a.rev), db: a.at && {source: a.at.source}, rows: 0},
      b: {version: b.rev.name, commit: commitOf(b.rev), db: b.at && {source: b.at.source}, rows: 0},
      values: [],
      fields: fieldChanges(a.fields, b.fields, options.all),
      artifacts: [],
      notes: [],
      warnings,
    }
    await compareResults(ctx, [a, b], options, report)
    report.artifacts = await artifactsBetween(ctx, a.rev, b.rev, options.all)
    // code files changed, by name (pointers and dvc.lock show as artifacts, not code): E17
    const [ca, cb] = [commitOf(a.rev), commitOf(b.rev)]
    if (ca || cb) report.code = await codeChangeSummary(ctx, ca, cb)
    return report
  } finally {
    for (const s of sides) s.at?.close()
  }
}
