/**
 * `xv model prune --keep K`: keeps the K best candidates by a metric, removes the rest from the
 * working copy, re-tracks models/candidates with DVC and commits. Nothing is lost: the candidates
 * must be versioned (a clean models/), every removed object is in the cache and — with a remote —
 * pushed before a file is removed, and each stays retrievable from the tag that holds it
 * (`xv get TAG models/candidates/NAME`), which the registry records.
 */
import {existsSync, mkdirSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {cacheDirOf} from '../adapters/dvc.js'
import {ObjectLookup} from '../adapters/dvc-objects.js'
import type {WarmDvc} from '../adapters/dvc-warm.js'
import type {TagRef} from '../adapters/git.js'
import type {RepoContext} from '../context.js'
import {NotFoundError, RefusedError, UsageError, XvError} from '../errors.js'
import {withUndo} from '../interrupt.js'
import {keepForUndo, recordChange, restoreOnUndo, withEarlyDvc} from './model-change.js'
import {listModels, type ModelEntry} from './model-list.js'
import {defaultMetric, rankBy} from './model-metrics.js'
import {CANDIDATES_DIR, productionPath, readRegistry, writeRegistry} from './model-registry.js'
import {CANDIDATES_POINTER, readOut, refuseDirty, secureObjects, type TrackedOut} from './model-workspace.js'
import {SetAside} from './set-aside.js'
import {copyCacheObject} from './verified-copy.js'
import {asVersion} from './version.js'

export interface PruneOptions {
  keep: number
  metric?: string
  min?: boolean
  /** Rank candidates without the metric last instead of refusing. */
  force: boolean
  dryRun: boolean
}

export interface PrunedCandidate {
  name: string
  value?: number
  version?: string
  run?: string
  md5?: string
}

export interface PruneReport {
  metric: string
  keep: PrunedCandidate[]
  remove: PrunedCandidate[]
  /** The tag (or commit) from which every removed candidate can be restored. */
  retrievableFrom?: string
  dryRun: boolean
  commit?: string
  bytesRemoved: number
  pushed: boolean
  warnings: string[]
}

function brief(c: ModelEntry, value?: number): PrunedCandidate {
  return {name: c.name, ...(value === undefined ? {} : {value}), version: c.version, run: c.run, md5: c.md5}
}

/** The newest experiment tag whose candidates pointer is exactly HEAD's, else HEAD's commit. */
async function holder(ctx: RepoContext, all: TagRef[]): Promise<{rev: string; tagged: boolean}> {
  const head = ctx.location.head
  if (!head) throw new XvError('the repository has no commit yet; commit the candidates first')
  const tags = all.filter((t) => asVersion(t.name, ctx.config.prefix)).sort((a, b) => b.date.localeCompare(a.date))
  const specs = ['HEAD', ...tags.map((t) => t.name)].map((r) => `${r}:${CANDIDATES_POINTER}`)
  const blobs = await ctx.git.catFileBatch(specs)
  const mine = blobs.get(`HEAD:${CANDIDATES_POINTER}`)
  const tag = mine ? tags.find((t) => blobs.get(`${t.name}:${CANDIDATES_POINTER}`)?.equals(mine)) : undefined
  return tag ? {rev: tag.name, tagged: true} : {rev: head, tagged: false}
}

export async function pruneCandidates(ctx: RepoContext, options: PruneOptions): Promise<PruneReport> {
  if (!Number.isInteger(options.keep) || options.keep < 1) throw new UsageError(`--keep must be a whole number of at least 1 (got ${options.keep})`)
  return withEarlyDvc(ctx, options.dryRun, (dvc) => pruneWith(ctx, options, dvc))
}

async function pruneWith(ctx: RepoContext, options: PruneOptions, warm?: WarmDvc): Promise<PruneReport> {
  if (!Number.isInteger(options.keep) || options.keep < 1) throw new UsageError(`--keep must be a whole number of at least 1 (got ${options.keep})`)
  const metric = options.metric ?? defaultMetric(ctx)
  if (!metric) throw new UsageError('name the metric to rank by: --metric METRIC (or list it first under metrics: in xv.yaml)')
  const tags = await ctx.git.listTags()
  const listing = await listModels(ctx, {}, tags)
  if (listing.candidates.length === 0) throw new NotFoundError('candidate', `there are no candidates in ${CANDIDATES_DIR}/`)
  const ranked = rankBy(ctx, listing.candidates, (c) => c.metrics, metric, options.min)
  const unranked = ranked.filter((r) => r.value === undefined)
  if (unranked.length > 0 && !options.force)
    throw new RefusedError(
      `cannot rank ${unranked.length} candidate(s) by '${metric}' (no metric: ${unranked.slice(0, 3).map((r) => r.item.name).join(', ')}${unranked.length > 3 ? ', …' : ''}); use --force to rank them last`,
    )
  const keep = ranked.slice(0, options.keep)
  const remove = ranked.slice(options.keep)
  const report: PruneReport = {
    metric, keep: keep.map((r) => brief(r.item, r.value)), remove: remove.map((r) => brief(r.item, r.value)), dryRun: options.dryRun,
    bytesRemoved: remove.reduce((n, r) => n + (r.item.size ?? 0), 0), pushed: false, warnings: [],
  }
  if (remove.length === 0) return report

  const lookup = new ObjectLookup()
  const candidatesOut = readOut(ctx, CANDIDATES_POINTER, lookup)
  const prodOut = readOut(ctx, `${productionPath(ctx.config)}.dvc`, lookup)
  const untracked = remove.filter((r) => !r.item.tracked).map((r) => r.item.name)
  if (!candidatesOut || untracked.length > 0)
    throw new RefusedError(`candidates ${untracked.slice(0, 3).join(', ') || 'in models/candidates'} are not versioned; version them first ('xv tag', or 'dvc add ${CANDIDATES_DIR}' + commit) so pruning cannot lose them`)
  await refuseDirty(ctx, [candidatesOut, prodOut].filter((o): o is TrackedOut => Boolean(o)), lookup)
  const from = await holder(ctx, tags)
  report.retrievableFrom = from.rev
  if (!from.tagged) report.warnings.push(`no experiment tag holds these candidates; they stay retrievable from commit ${from.rev.slice(0, 12)} (tag it to keep a name: xv tag)`)
  const removedNames = new Set(remove.map((r) => r.item.name))
  const objects = [candidatesOut.md5 ?? '', ...[...(candidatesOut.files ?? new Map<string, {md5: string}>()).entries()].filter(([rel]) => removedNames.has(rel.split('/')[0] ?? rel)).map(([, e]) => e.md5)].filter(Boolean)
  if (options.dryRun) return report

  // Nothing is removed before every object is in the cache and, with a remote, in the remote.
  report.pushed = (await secureObjects(ctx, objects, [CANDIDATES_POINTER], lookup)).pushed
  const message = `model: prune candidates to the top ${options.keep} by ${metric} (removed ${remove.length}, retrievable from ${from.tagged ? from.rev : from.rev.slice(0, 12)})`
  await withUndo(async (log) => {
    if (warm) log.trackChild(() => warm.cancel()) // a Ctrl-C stops DVC before the undo runs
    keepForUndo(ctx, log, 'models/registry.json')
    keepForUndo(ctx, log, 'models/.gitignore')
    // Undo: the removed files renamed back; those already deleted come back from the cache.
    const aside = new SetAside(ctx.root, remove.map((r) => join(ctx.root, r.item.path)))
    restoreOnUndo(ctx, log, CANDIDATES_POINTER, async () => (await aside.putBack()) || restoreFromCache(ctx, candidatesOut, removedNames))
    const deleted = aside.deleteInBackground() // while DVC and git record the change
    const registry = readRegistry(ctx.root)
    const at = new Date().toISOString()
    registry.candidates = Object.fromEntries(Object.entries(registry.candidates).filter(([name]) => !removedNames.has(name)))
    for (const r of remove) {
      registry.pruned.push({name: r.item.name, md5: r.item.md5, run: r.item.run, version: r.item.version, retrievableFrom: from.rev, prunedAt: at})
    }

    writeRegistry(ctx.root, registry)
    const rec = await recordChange(ctx, warm, [CANDIDATES_DIR], message)
    report.commit = rec.commit
    if (rec.pushWarning) report.warnings.push(rec.pushWarning)
    const leftover = await deleted
    if (leftover) report.warnings.push(leftover)
  })
  return report
}

/**
 * The files of the REMOVED candidates that are missing from the working copy, copied back from
 * the cache (md5-verified) — only what the background deletion already took; true when done.
 */
async function restoreFromCache(ctx: RepoContext, out: TrackedOut, removed: Set<string>): Promise<boolean> {
  const cacheDir = cacheDirOf(ctx.root)
  for (const [rel, e] of out.files ?? []) {
    const dest = join(ctx.root, out.path, rel)
    if (!removed.has(rel.split('/')[0] ?? rel) || existsSync(dest)) continue
    mkdirSync(dirname(dest), {recursive: true})
    await copyCacheObject(cacheDir, {rel, md5: e.md5}, dest, `${out.path}/${rel}`)
  }

  return true
}
