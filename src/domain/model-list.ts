/**
 * `xv model list` / `xv model info`: production and every candidate, each with where it came from
 * (version, run), its metrics (frozen per-tag summaries in one batched git read, else the tag
 * text; per-run models from the result database), size, DVC hash and stages.
 */
import {existsSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {parsePointer} from '../adapters/dvc-files.js'
import {ObjectLookup} from '../adapters/dvc-objects.js'
import {type TagRef} from '../adapters/git.js'
import {commitInfo} from '../adapters/git-read.js'
import type {RepoContext} from '../context.js'
import {NotFoundError} from '../errors.js'
import {nearest} from './suggest.js'
import {modelNameOf, stagesByVersion} from './model-assign.js'
import {metricsFor, rankBy, type ModelMetrics} from './model-metrics.js'
import {CANDIDATES_DIR, checkCandidateName, productionPath, readRegistry, runOfFileName, type CandidateRecord, type ProductionRecord} from './model-registry.js'
import {CANDIDATES_POINTER, filesUnder, readOut} from './model-workspace.js'
import {readSummaries} from './summaries.js'
import {parseTagMessage} from './tag-message.js'

/** A model's fields but its kind (the --json of `model info` names the kind `role`). */
export interface ModelFields extends ModelMetrics {
  name: string
  path: string
  version?: string
  run?: string
  size?: number
  md5?: string
  /** Tracked by DVC at the working copy's pointer (false: only on disk, not yet versioned). */
  tracked: boolean
  stages: string[]
  record?: CandidateRecord | ProductionRecord
}

export interface ModelEntry extends ModelFields {
  kind: 'production' | 'candidate'
}

export interface ModelListing {
  model: string
  production?: ModelEntry
  candidates: ModelEntry[]
  /** Metric names seen, for table columns. */
  metricNames: string[]
  sortedBy?: string
}

interface Found {
  name: string
  size?: number
  md5?: string
  tracked: boolean
}

/** Candidates in the working copy and in the committed manifest (top-level entries of models/candidates). */
function findCandidates(ctx: RepoContext, lookup: ObjectLookup): Found[] {
  const byName = new Map<string, Found>()
  const out = readOut(ctx, CANDIDATES_POINTER, lookup, false)
  const dir = join(ctx.root, CANDIDATES_DIR)
  for (const [rel, e] of out?.files ?? []) {
    const top = rel.split('/')[0] ?? rel
    const f = byName.get(top) ?? {name: top, size: 0, tracked: true}
    // DVC 3 manifests carry no sizes: the working copy's file tells (absent: unknown).
    const size = e.size ?? statSync(join(dir, rel), {throwIfNoEntry: false})?.size
    f.size = size === undefined || f.size === undefined ? undefined : f.size + size
    f.md5 = top === rel ? e.md5 : undefined
    byName.set(top, f)
  }

  if (existsSync(dir)) {
    for (const e of readdirSync(dir, {withFileTypes: true})) {
      if (e.name.startsWith('.') || byName.has(e.name)) continue
      const abs = join(dir, e.name)
      const size = e.isDirectory() ? filesUnder(abs).reduce((n, f) => n + statSync(join(abs, f)).size, 0) : statSync(abs).size
      byName.set(e.name, {name: e.name, size, tracked: false})
    }
  }

  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))
}

/** The oldest experiment tag whose pointer of PATH has this md5 (origin of a production model without a record). */
async function versionHolding(ctx: RepoContext, tags: TagRef[], path: string, md5: string): Promise<string | undefined> {
  const exp = tags.filter((t) => t.name.startsWith(ctx.config.prefix)).sort((a, b) => a.date.localeCompare(b.date))
  const blobs = await ctx.git.catFileBatch(exp.map((t) => `${t.name}:${path}.dvc`))
  for (const t of exp) {
    const buf = blobs.get(`${t.name}:${path}.dvc`)
    if (buf && parsePointer(buf.toString('utf8')).some((o) => o.md5 === md5)) return t.name
  }

  return undefined
}

/** Production and the candidates; TAGS: every tag when the caller has read them already. */
export async function listModels(ctx: RepoContext, options: {sort?: string; min?: boolean} = {}, allTags?: TagRef[]): Promise<ModelListing> {
  const lookup = new ObjectLookup()
  const registry = readRegistry(ctx.root)
  const tags = allTags ?? (await ctx.git.listTags())
  const prodPath = productionPath(ctx.config)
  const prodOut = readOut(ctx, `${prodPath}.dvc`, lookup, false)
  const prodExists = existsSync(join(ctx.root, prodPath))
  let production: ModelEntry | undefined
  if (prodOut || prodExists) {
    const rec = registry.production
    const md5 = prodOut?.md5
    const version = rec?.origin.md5 === md5 || !md5 ? rec?.origin.version : await versionHolding(ctx, tags, prodPath, md5)
    production = {
      kind: 'production', name: 'production', path: prodPath, version, run: rec?.origin.md5 === md5 ? rec?.origin.run : undefined,
      size: prodOut?.size ?? (prodExists ? statSync(join(ctx.root, prodPath)).size : undefined), md5, tracked: Boolean(prodOut),
      stages: [], record: rec, metrics: {}, from: 'none',
    }
  }

  const candidates: ModelEntry[] = findCandidates(ctx, lookup).map((f) => {
    const rec = registry.candidates[f.name]
    return {
      kind: 'candidate', name: f.name, path: `${CANDIDATES_DIR}/${f.name}`, version: rec?.version, run: rec?.run ?? runOfFileName(f.name),
      size: f.size, md5: f.md5 ?? rec?.md5, tracked: f.tracked, stages: [], record: rec, metrics: {}, from: 'none',
    }
  })

  const all = [...(production ? [production] : []), ...candidates]
  const [metrics, stages] = await Promise.all([metricsFor(ctx, all, tags), stagesByVersion(ctx, tags)])
  all.forEach((e, i) => {
    Object.assign(e, metrics[i])
    e.stages = e.version ? (stages.get(e.version) ?? []) : []
  })
  const metricNames = [...new Set(all.flatMap((e) => Object.keys(e.metrics)))]
  const first = ctx.config.metrics.map((m) => m.name).filter((m) => metricNames.includes(m))
  const names = [...first, ...metricNames.filter((m) => !first.includes(m)).sort()]
  let sorted = candidates
  if (options.sort) sorted = rankBy(ctx, candidates, (c) => c.metrics, options.sort, options.min).map((r) => r.item)
  return {model: modelNameOf(ctx, tags), production, candidates: sorted, metricNames: names, sortedBy: options.sort}
}

export interface ModelInfo extends ModelEntry, ModelDetails {}

/** What `model info` adds to a listed model. */
export interface ModelDetails {
  /** The best run's params at the model's version (frozen summary). */
  params: Record<string, unknown>
  /** `data=` of the version: the data inputs that trained it. */
  data?: string
  /** Commit, date and author of the version. */
  commit?: string
  date?: string
  author?: string
  promotedAt?: string
  promotedBy?: string
}

/** One model: production (default) or a candidate by name. */
export async function modelInfo(ctx: RepoContext, name?: string): Promise<ModelInfo> {
  if (name !== undefined) checkCandidateName(name)
  const listing = await listModels(ctx)
  let entry: ModelEntry | undefined
  if (name === undefined || name === 'production') {
    entry = listing.production
    if (!entry) throw new NotFoundError('model', `there is no production model (${productionPath(ctx.config)}); promote one with 'xv model promote'`)
  } else {
    entry = listing.candidates.find((c) => c.name === name)
    if (!entry) {
      const near = nearest(name, listing.candidates.map((c) => c.name))
      throw new NotFoundError('candidate', `unknown candidate '${name}'${near.length > 0 ? `; nearest: ${near.join(', ')}` : '; there are no candidates'} (see 'xv model list')`)
    }
  }

  const info: ModelInfo = {...entry, params: {}}
  if (entry.version) {
    const summary = (await readSummaries(ctx.git, [entry.version])).get(entry.version)
    if (summary) {
      info.params = summary.params
      info.data = summary.data
    }

    const tag = (await ctx.git.listTags()).find((t) => t.name === entry.version)
    if (tag) {
      const c = await commitInfo(ctx.git, tag.commit)
      info.data ??= parseTagMessage(tag.subject).fields.data
      Object.assign(info, {commit: c.commit, date: c.date, author: c.author})
    }
  }

  const rec = entry.record
  if (rec && 'promotedAt' in rec) Object.assign(info, {promotedAt: rec.promotedAt, promotedBy: rec.promotedBy})
  return info
}
