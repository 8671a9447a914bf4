/**
 * `xv compare V1 V2 V3 …`: N versions side by side from what each tag froze — the best run's
 * metrics and params, runs, metric means (labelled), each side's table — plus the DVC artifacts
 * (hash per version, from the pointers and dvc.lock at each tag) and the changed code files by name
 * against the first version (`git diff --numstat` without pointers, dvc.lock and xv's own result
 * files, which show as artifacts or results). All tags read in batched git calls.
 */
import {trackedAtRevs} from './lineage.js'
import type {RepoContext} from '../context.js'
import {NotFoundError, UsageError} from '../errors.js'
import {SUMMARY_FILE, SUMMARY_PARAMS_FILE, readSummaries} from './summaries.js'
import {parseTagMessage} from './tag-message.js'
import {dirname} from 'node:path'

export interface CodeFile {
  path: string
  insertions?: number
  deletions?: number
  binary?: boolean
}

export interface CodeChanges {
  files: CodeFile[]
  insertions: number
  deletions: number
}

export interface ComparedVersion {
  version: string
  commit: string
  date: string
  description?: string
  fields: Record<string, string>
  runs?: number
  rows?: number
  /** The result table the numbers come from (each side names its own). */
  table?: string
  best?: {run?: string; metric: string; value: number}
  metrics: Record<string, number>
  means: Record<string, number>
  params: Record<string, string | number | boolean | null>
  /** Values from the tag message (no frozen summary at this tag). */
  fromMessage: boolean
}

export interface Comparison {
  versions: ComparedVersion[]
  metricNames: string[]
  paramNames: string[]
  /** path → md5 per version (undefined: not tracked there); only paths that differ unless all. */
  artifacts: Array<{path: string; md5: Array<string | undefined>}>
  /** Code changed from the first version to each other version (index 1…N-1). */
  code: Array<{from: string; to: string} & CodeChanges>
}

/** Code files changed between two revisions, by name, without DVC pointers, dvc.lock and result files. */
async function codeChanges(ctx: RepoContext, a: string, b: string | undefined, resultsDir: string): Promise<CodeChanges> {
  const exclude = ['*.dvc', '**/*.dvc', 'dvc.lock', '**/dvc.lock', SUMMARY_FILE, SUMMARY_PARAMS_FILE, `${resultsDir}/runs`, '.gitignore', '**/.gitignore']
  const changed = await ctx.git.numstat(a, b, ['.', ...exclude.map((p) => `:(exclude,glob)${p}`)])
  const files: CodeFile[] = []
  let insertions = 0
  let deletions = 0
  for (const {path, insertions: added, deletions: deleted} of changed) {
    if (added === undefined || deleted === undefined) files.push({path, binary: true})
    else {
      files.push({path, insertions: added, deletions: deleted})
      insertions += added
      deletions += deleted
    }
  }

  return {files, insertions, deletions}
}

/** Code changes between A and B (either may be the working copy: undefined) for `xv diff`. */
export async function codeChangeSummary(ctx: RepoContext, a: string | undefined, b: string | undefined): Promise<{files: number; insertions: number; deletions: number; changed: CodeFile[]}> {
  const resultsDir = dirname(ctx.config.db) === '.' ? 'results' : dirname(ctx.config.db)
  // both undefined would be the working copy against itself: compare it with HEAD
  const c = await codeChanges(ctx, a ?? b ?? 'HEAD', a && b ? b : undefined, resultsDir)
  // Working copy on the left: the diff ran the other way round.
  const flip = !a
  const changed = flip ? c.files.map((f) => ({...f, insertions: f.deletions, deletions: f.insertions})) : c.files
  return {files: c.files.length, insertions: flip ? c.deletions : c.insertions, deletions: flip ? c.insertions : c.deletions, changed}
}

export async function compareVersions(ctx: RepoContext, inputs: string[], options: {all?: boolean} = {}): Promise<Comparison> {
  if (inputs.length < 2) throw new UsageError('give at least two versions: xv compare e0.1.0 e0.2.0 [e0.3.0 …]')
  const tags = new Map((await ctx.experimentTags()).map((t) => [t.name, t]))
  const chosen = inputs.map((v) => {
    const tag = tags.get(v) ?? tags.get(`${ctx.config.prefix}${v}`)
    if (!tag) throw new NotFoundError('version', `no experiment tag ${v}; see 'xv list'`)
    return tag
  })
  const names = chosen.map((t) => t.name)
  const [summaries, tracked] = await Promise.all([readSummaries(ctx.git, names), trackedAtRevs(ctx, names)])
  const versions: ComparedVersion[] = chosen.map((t) => {
    const parsed = parseTagMessage(t.type === 'tag' ? t.subject : '')
    const s = summaries.get(t.name)
    const base = {version: t.name, commit: t.commit, date: t.date, fields: parsed.fields, ...(parsed.description !== undefined ? {description: parsed.description} : {})}
    if (s && s.version === t.name)
      return {
        ...base, runs: s.runs, rows: s.rows, ...(s.table ? {table: s.table} : {}),
        ...(s.best ? {best: {...(s.best.run ? {run: s.best.run} : {}), metric: s.best.metric, value: s.best.value}} : {}),
        metrics: s.metrics, means: s.means, params: s.params, fromMessage: false,
      }
    const metrics: Record<string, number> = {}
    for (const [k, v] of Object.entries(parsed.fields)) if (k !== 'runs' && k !== 'data' && v.trim() !== '' && Number.isFinite(Number(v))) metrics[k] = Number(v)
    return {...base, metrics, means: {}, params: {}, fromMessage: true}
  })

  const metricNames = [...new Set(versions.flatMap((v) => Object.keys(v.metrics)))]
  const paramNames = [...new Set(versions.flatMap((v) => Object.keys(v.params)))]
  const paths = [...new Set(names.flatMap((n) => (tracked.get(n) ?? []).map((t) => t.path)))].sort()
  const artifacts = paths
    .map((path) => ({path, md5: names.map((n) => tracked.get(n)?.find((t) => t.path === path)?.md5)}))
    .filter((a) => options.all || new Set(a.md5).size > 1)
  const resultsDir = dirname(ctx.config.db) === '.' ? 'results' : dirname(ctx.config.db)
  const [first, ...rest] = chosen
  if (!first) throw new UsageError('give at least two versions')
  const code = await Promise.all(
    rest.map(async (t) => ({from: first.name, to: t.name, ...(await codeChanges(ctx, first.commit, t.commit, resultsDir))})),
  )
  return {versions, metricNames, paramNames, artifacts, code}
}
