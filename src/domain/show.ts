/**
 * `xv show VERSION`: one experiment — its tag, commit, the result rows of that version from the
 * database as it was at that tag (through the artifact resolver), and every DVC artifact at that
 * tag with hash, size and where its objects are.
 */
import {statSync} from 'node:fs'

import {missingObjects, ObjectLookup} from '../adapters/dvc-objects.js'
import {commitInfo, readTag} from '../adapters/git-read.js'
import {versionRows} from '../adapters/sqlite.js'
import type {RepoContext} from '../context.js'
import {chooseTableAt, resultsAtOrWarn, versionKeys} from './at-revision.js'
import {intact, REPORT_HASH_BUDGET} from './corrupt-objects.js'
import {readManifest} from './cache-plan.js'
import {dvcOutsAt} from './locate.js'
import {resolveRev, type Rev} from './revision.js'
import {readSummaries, type TagSummary} from './summaries.js'
import {parseTagMessage} from './tag-message.js'

export interface DvcArtifactInfo {
  path: string
  pointer: string
  md5?: string
  size?: number
  nfiles?: number
  isDir: boolean
  /** 'corrupt': an object's bytes do not match its md5 (hashed within a 256 MB budget per command). */
  inCache: boolean | 'partial' | 'corrupt'
  /** true/false for a local remote, undefined when it cannot be checked cheaply. */
  inRemote?: boolean | 'partial'
}

/** Whether a local store holds all, some or none of the objects. */
function presence(store: string, md5s: string[], lookup: ObjectLookup): boolean | 'partial' {
  const missing = missingObjects(store, md5s, lookup).length
  return missing === 0 ? true : missing === md5s.length ? false : 'partial'
}

/** True when some cached object (hashed within the budget, smallest first) does not match its md5. */
async function anyCorrupt(cacheDir: string, md5s: string[], lookup: ObjectLookup, budget: {bytes: number}): Promise<boolean> {
  for (const md5 of md5s) {
    const obj = lookup.find(cacheDir, md5)
    const size = obj ? statSync(obj.path).size : 0
    if (!obj || size > budget.bytes) continue
    budget.bytes -= size
    if (!(await intact(obj.path, md5))) return true
  }

  return false
}

/** Every DVC artifact at REV with hash, size and whether the local cache / a local remote hold it. */
export async function dvcArtifactsAt(ctx: RepoContext, rev: Rev): Promise<DvcArtifactInfo[]> {
  const hits = await dvcOutsAt(ctx, rev)
  const cacheDir = ctx.cacheDir
  const remote = ctx.remote()
  const remoteDir = remote?.dir
  const lookup = new ObjectLookup()
  const budget = {bytes: REPORT_HASH_BUDGET}
  const infos: DvcArtifactInfo[] = []
  for (const h of hits) {
    const md5s: string[] = h.out.md5 ? [h.out.md5] : []
    let manifestKnown = true
    if (h.out.isDir && h.out.md5) {
      const entries = readManifest(cacheDir, h.out.md5, lookup) ?? (remoteDir ? readManifest(remoteDir, h.out.md5, lookup) : undefined)
      if (entries) md5s.push(...entries.map((e) => e.md5))
      else manifestKnown = false
    }

    const present = md5s.length === 0 ? false : presence(cacheDir, md5s, lookup)
    const inCache = present !== false && (await anyCorrupt(cacheDir, md5s, lookup, budget)) ? 'corrupt' : present
    let inRemote = remoteDir && md5s.length > 0 ? presence(remoteDir, md5s, lookup) : undefined
    if (!manifestKnown && inRemote === true) inRemote = 'partial'
    infos.push({
      path: h.outPath, pointer: h.pointer, md5: h.out.md5, size: h.out.size, nfiles: h.out.nfiles, isDir: h.out.isDir,
      inCache: !manifestKnown && inCache === true ? 'partial' : inCache, inRemote,
    })
  }

  return infos
}

export interface ShowReport {
  version: string
  commit: string
  annotated: boolean
  tagger?: string
  tagDate?: string
  author: string
  authorEmail: string
  date: string
  message: string
  fields: Record<string, string>
  description?: string
  results: {
    db: string
    found: boolean
    source?: string
    table?: string
    versionColumn?: string
    columns: string[]
    rows: Array<Record<string, unknown>>
    total: number
    note?: string
  }
  artifacts: DvcArtifactInfo[]
  /** The summary frozen at the tag (results/metrics.json): best run, runs, its metrics, metric means (labelled), its params. */
  summary?: TagSummary
  /** What could not be read (the database object unavailable): said in one line, the rest still shown. */
  warnings: string[]
}

export interface ShowOptions {
  table?: string
  versionColumn?: string
  limit: number
}

export async function showExperiment(ctx: RepoContext, input: string, options: ShowOptions): Promise<ShowReport> {
  const rev = await resolveRev(ctx, input)
  const tag = rev.kind === 'commit' && rev.isTag ? await readTag(ctx.git, rev.name) : undefined
  const info = rev.kind === 'commit' ? await commitInfo(ctx.git, rev.commit) : undefined
  const parsed = parseTagMessage(tag?.subject ?? '')
  const summary = rev.kind === 'commit' ? (await readSummaries(ctx.git, [rev.commit])).get(rev.commit) : undefined
  const report: ShowReport = {
    version: rev.name,
    commit: rev.kind === 'commit' ? rev.commit : (await ctx.git.revParse('HEAD')) ?? '',
    annotated: tag?.annotated ?? false,
    tagger: tag?.tagger || undefined,
    tagDate: tag?.date,
    author: info?.author ?? '',
    authorEmail: info?.email ?? '',
    date: info?.date ?? '',
    message: tag?.message ?? '',
    fields: parsed.fields,
    description: parsed.description,
    results: {db: ctx.config.db, found: false, columns: [], rows: [], total: 0},
    artifacts: [],
    ...(summary ? {summary} : {}),
    warnings: [],
  }

  const at = await resultsAtOrWarn(ctx, rev, report.warnings) // first: a corrupt database object is repaired before the inventory
  try {
    report.artifacts = await dvcArtifactsAt(ctx, rev)
  } catch (error) {
    if (at && at !== 'unavailable') at.close()
    throw error
  }

  if (at === 'unavailable') {
    report.results.note = `${ctx.config.db} at ${rev.name} is unavailable; showing what git alone can say`
    return report
  }

  if (!at) {
    report.results.note = `no result database ${ctx.config.db} at ${rev.name}`
    return report
  }

  try {
    report.results.found = true
    report.results.source = at.source
    const choice = chooseTableAt(ctx, at, options)
    if (!choice) {
      report.results.note = `no table of ${at.label} has a version column`
      return report
    }

    const keys = versionKeys(ctx, rev, at.db, choice.table, choice.versionColumn)
    const {rows, total} = keys.length > 0 ? versionRows(at.db, choice.table, choice.versionColumn, keys, options.limit) : {rows: [], total: 0}
    Object.assign(report.results, {table: choice.table, versionColumn: choice.versionColumn, columns: choice.columns.map((c) => c.name), rows, total})
    if (total === 0) report.results.note = `no rows with ${choice.versionColumn} = ${rev.name} in table ${choice.table} of ${at.label}`
  } finally {
    at.close()
  }

  return report
}
