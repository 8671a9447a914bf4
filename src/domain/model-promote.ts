/**
 * `xv model add-candidate` and `xv model promote`: copy a model out of history (verified, no
 * checkout) into models/candidates/<name> or models/production/, record where it came from in
 * models/registry.json, track it with DVC and commit. `promote --tag` versions the promotion
 * through xv's tag step as a tag with no runs of its own (`promoted=e0.3.0 | no runs`).
 */
import {existsSync, readdirSync, rmSync} from 'node:fs'
import {basename, extname, join} from 'node:path'

import {ObjectLookup} from '../adapters/dvc-objects.js'
import type {WarmDvc} from '../adapters/dvc-warm.js'
import type {RepoContext} from '../context.js'
import {NotFoundError, RefusedError, UsageError, XvError} from '../errors.js'
import {withUndo} from '../interrupt.js'
import {resolveRev, type Rev} from './revision.js'
import {nearest} from './suggest.js'
import {keepForUndo, recordChange, restoreOnUndo, withEarlyDvc, undoUnlessCommitted} from './model-change.js'
import {copyModelAt, modelAt} from './model-copy.js'
import {listModels, type ModelEntry} from './model-list.js'
import {rankBy} from './model-metrics.js'
import {CANDIDATES_DIR, checkCandidateName, productionPath, readRegistry, whoAndWhen, writeRegistry, type Origin} from './model-registry.js'
import {CANDIDATES_POINTER, readOut, refuseDirty, secureObjects, type TrackedOut} from './model-workspace.js'
import {SUMMARY_FILES, writeTagSummary} from './tag-summary.js'
import {noRunsResults, pointerSources, tagExperiment} from './tagging.js'
import {parseVersion} from './version.js'

export interface ModelChange {
  action: 'add-candidate' | 'promote'
  /** Where the model went (repo-relative). */
  dest: string
  origin: Origin
  dryRun: boolean
  /** Nothing to do: production already holds this model. */
  unchanged?: boolean
  steps: string[]
  commit?: string
  tag?: string
  tagMessage?: string
  bytes?: number
  strategy?: string
  warnings: string[]
}

function workspaceOuts(ctx: RepoContext, lookup: ObjectLookup): {prod?: TrackedOut; candidates?: TrackedOut; prodPointer: string} {
  const prodPointer = `${productionPath(ctx.config)}.dvc`
  return {prod: readOut(ctx, prodPointer, lookup), candidates: readOut(ctx, CANDIDATES_POINTER, lookup), prodPointer}
}

export interface AddCandidateOptions {
  path?: string
  name?: string
  run?: string
  dryRun: boolean
}

export async function addCandidate(ctx: RepoContext, version: string, options: AddCandidateOptions): Promise<ModelChange> {
  return withEarlyDvc(ctx, options.dryRun, (dvc) => addCandidateWith(ctx, version, options, dvc))
}

async function addCandidateWith(ctx: RepoContext, version: string, options: AddCandidateOptions, warm?: WarmDvc): Promise<ModelChange> {
  if (options.name !== undefined) checkCandidateName(options.name)
  if (options.run !== undefined && (!options.run || /[/\\\s]/.test(options.run))) throw new RefusedError(`run id '${options.run}' is not valid (no spaces or path separators)`)
  const rev = await resolveRev(ctx, version)
  if (rev.kind === 'workspace') throw new RefusedError("add-candidate copies a model from a version; 'workspace' is not one (use a tag such as e0.3.0)")
  let path = options.path ?? productionPath(ctx.config)
  let found: Awaited<ReturnType<typeof modelAt>> | undefined
  if (options.run && options.path === undefined) {
    // A sweep's per-run model at that version, else the version's production model.
    found = await modelAt(ctx, rev, `${CANDIDATES_DIR}/${options.run}_model.bin`).catch(() => undefined)
    if (found) path = `${CANDIDATES_DIR}/${options.run}_model.bin`
  }

  found ??= await modelAt(ctx, rev, path)
  const name = checkCandidateName(options.name ?? (options.run ? `${options.run}_model${extname(path) || '.bin'}` : `${version}-${basename(path)}`))
  const lookup = new ObjectLookup()
  const outs = workspaceOuts(ctx, lookup)
  const dest = `${CANDIDATES_DIR}/${name}`
  if (existsSync(join(ctx.root, dest)) || outs.candidates?.files?.has(name) || [...(outs.candidates?.files?.keys() ?? [])].some((f) => f.startsWith(`${name}/`)))
    throw new RefusedError(`candidate '${name}' already exists; choose another --name or remove it first`)
  await refuseDirty(ctx, [outs.prod, outs.candidates].filter((o): o is TrackedOut => Boolean(o)), lookup)
  const origin: Origin = {version, ...(options.run ? {run: options.run} : {}), source: path, md5: found.md5, size: found.size}
  const message = `model: add candidate ${name} from ${version}:${path}`
  const change: ModelChange = {
    action: 'add-candidate', dest, origin, dryRun: options.dryRun, warnings: [],
    steps: [`copy ${version}:${path} → ${dest} (verified md5, from cache or remote)`, `record origin in models/registry.json`, `dvc add ${CANDIDATES_DIR}`, `git commit -m "${message}"`],
  }
  if (options.dryRun) return change
  return withUndo(async (log) => {
    if (warm) log.trackChild(() => warm.cancel()) // a Ctrl-C stops DVC before the undo runs
    const who = whoAndWhen(ctx.git) // read while the model is copied
    keepForUndo(ctx, log, 'models/registry.json')
    keepForUndo(ctx, log, 'models/.gitignore')
    restoreOnUndo(ctx, log, CANDIDATES_POINTER)
    const copy = await copyModelAt(ctx, rev, path, join(ctx.root, dest))
    undoUnlessCommitted(ctx, log, () => rmSync(join(ctx.root, dest), {recursive: true, force: true}))
    const registry = readRegistry(ctx.root)
    const {at, by} = await who
    registry.candidates[name] = {...origin, md5: copy.md5 ?? origin.md5, addedAt: at, addedBy: by}
    writeRegistry(ctx.root, registry)
    const rec = await recordChange(ctx, warm, [CANDIDATES_DIR], message, copy.md5 ? [{path: dest, md5: copy.md5}] : [])
    Object.assign(change, {commit: rec.commit, bytes: copy.bytes, strategy: copy.strategy})
    if (rec.pushWarning) change.warnings.push(rec.pushWarning)
    return change
  })
}

export interface PromoteOptions {
  /** VERSION or CANDIDATE (exclusive with best). */
  source?: string
  best?: string
  min?: boolean
  path?: string
  tag: boolean
  tagVersion?: string
  message?: string
  push: boolean
  dryRun: boolean
}

interface Source {
  rev: Rev
  path: string
  origin: Origin
  label: string
}

/** A name that is (or could be) a candidate: on disk or in the committed manifest. */
function isCandidateName(ctx: RepoContext, name: string): boolean {
  if (!name || name.includes('/') || name.includes('\\') || name.startsWith('.')) return false
  if (existsSync(join(ctx.root, CANDIDATES_DIR, name))) return true
  const files = readOut(ctx, CANDIDATES_POINTER, new ObjectLookup(), false)?.files
  return Boolean(files && [...files.keys()].some((f) => f === name || f.startsWith(`${name}/`)))
}

async function chooseSource(ctx: RepoContext, options: PromoteOptions): Promise<Source> {
  // The whole listing (metrics of every candidate) only when a candidate is named or ranked.
  const input = options.source ?? ''
  const maybeCandidate = options.best !== undefined || isCandidateName(ctx, input)
  const listing = maybeCandidate ? await listModels(ctx) : undefined
  const head = (): Promise<Rev> => resolveRev(ctx, 'HEAD')
  const fromCandidate = async (c: ModelEntry): Promise<Source> => {
    if (!c.tracked) throw new RefusedError(`candidate '${c.name}' is not versioned yet (not in ${CANDIDATES_POINTER}); version it first ('xv tag' or 'dvc add ${CANDIDATES_DIR}' + commit)`)
    return {rev: await head(), path: c.path, label: `candidate ${c.name}`, origin: {version: c.version, run: c.run, candidate: c.name, md5: c.md5, size: c.size}}
  }

  if (options.best !== undefined && listing) {
    if (listing.candidates.length === 0) throw new NotFoundError('candidate', `there are no candidates in ${CANDIDATES_DIR}/ to rank; add some with 'xv model add-candidate VERSION'`)
    const [top] = rankBy(ctx, listing.candidates, (c) => c.metrics, options.best, options.min)
    if (!top || top.value === undefined) throw new NotFoundError('candidate', `no candidate has the metric '${options.best}'`)
    return fromCandidate(top.item)
  }

  const candidate = listing?.candidates.find((c) => c.name === input)
  if (candidate) return fromCandidate(candidate)
  if (input.includes('/') || input.includes('\\')) checkCandidateName(input)
  let rev: Rev
  try {
    rev = await resolveRev(ctx, input)
  } catch (error) {
    if (!(error instanceof XvError)) throw error
    const names = listing?.candidates.map((c) => c.name) ?? (existsSync(join(ctx.root, CANDIDATES_DIR)) ? readdirSync(join(ctx.root, CANDIDATES_DIR)) : [])
    const near = nearest(input, [...names, ...(await ctx.experimentTags()).map((t) => t.name)])
    throw new NotFoundError('model', `'${input}' is neither a candidate nor a version${near.length > 0 ? `; nearest: ${near.join(', ')}` : ''} (see 'xv model list', 'xv list')`)
  }

  if (rev.kind === 'workspace') throw new RefusedError("promote takes a version or a candidate; 'workspace' is neither")
  const path = options.path ?? productionPath(ctx.config)
  const found = await modelAt(ctx, rev, path)
  return {rev, path, label: `${input}:${path}`, origin: {version: rev.isTag ? input : undefined, source: path, md5: found.md5, size: found.size}}
}

export async function promoteModel(ctx: RepoContext, options: PromoteOptions): Promise<ModelChange> {
  return withEarlyDvc(ctx, options.dryRun, (dvc) => promoteWith(ctx, options, dvc))
}

async function promoteWith(ctx: RepoContext, options: PromoteOptions, warm?: WarmDvc): Promise<ModelChange> {
  if ((options.best === undefined) === (options.source === undefined)) throw new UsageError('name one model to promote: a VERSION, a CANDIDATE, or --best METRIC (not both)')
  const source = await chooseSource(ctx, options)
  const lookup = new ObjectLookup()
  const outs = workspaceOuts(ctx, lookup)
  const dest = productionPath(ctx.config)
  await refuseDirty(ctx, [outs.prod, outs.candidates].filter((o): o is TrackedOut => Boolean(o)), lookup)
  const message = `model: promote ${source.label} to production${options.message ? ` - ${options.message}` : ''}`
  const promoted = source.origin.version ?? source.origin.candidate ?? source.label
  const fields: Record<string, string> = {promoted, ...(source.origin.run ? {run: source.origin.run} : {})}
  const change: ModelChange = {
    action: 'promote', dest, origin: source.origin, dryRun: options.dryRun, warnings: [],
    steps: [
      `check the current production model is in the cache${outs.prod ? ' and the remote' : ''}`,
      `copy ${source.label} → ${dest} (verified md5; replaces the file by rename)`, 'record origin in models/registry.json', `dvc add ${dest}`, `git commit -m "${message}"`,
    ],
  }
  if (outs.prod?.md5 && outs.prod.md5 === source.origin.md5) return {...change, unchanged: true, steps: []}
  if (options.tag) {
    const plan = await tagExperiment(ctx, {version: options.tagVersion, bump: 'minor', description: options.message, dryRun: true, push: options.push, commit: false, noRuns: {fields}})
    change.tag = plan.version
    change.tagMessage = plan.message
    change.steps.push(`git tag -a ${plan.version} (${plan.message})`)
  }

  if (options.dryRun) return change
  // Nothing is replaced before the current production model is safe in the cache and the remote.
  if (outs.prod?.md5) await secureObjects(ctx, [outs.prod.md5], [outs.prodPointer], lookup)
  await withUndo(async (log) => {
    if (warm) log.trackChild(() => warm.cancel()) // a Ctrl-C stops DVC before the undo runs
    const who = whoAndWhen(ctx.git) // read while the model is copied
    keepForUndo(ctx, log, 'models/registry.json')
    keepForUndo(ctx, log, 'models/.gitignore')
    restoreOnUndo(ctx, log, outs.prodPointer)
    const copy = await copyModelAt(ctx, source.rev, source.path, join(ctx.root, dest))
    const registry = readRegistry(ctx.root)
    const {at, by} = await who
    registry.production = {path: dest, origin: {...source.origin, md5: copy.md5 ?? source.origin.md5}, promotedAt: at, promotedBy: by, ...(change.tag ? {tag: change.tag} : {})}
    writeRegistry(ctx.root, registry)
    // A promotion tag freezes its own summary (runs: 0) in this commit, never the previous tag's.
    if (change.tag) writeTagSummary(ctx, noRunsResults(parseVersion(change.tag, ctx.config.prefix), fields), await pointerSources(ctx), log)
    const rec = await recordChange(ctx, warm, [dest], message, copy.md5 ? [{path: dest, md5: copy.md5}] : [], change.tag ? SUMMARY_FILES : [])
    Object.assign(change, {commit: rec.commit, bytes: copy.bytes, strategy: copy.strategy})
    if (rec.pushWarning) change.warnings.push(rec.pushWarning)
  })
  if (change.tag) {
    const report = await tagExperiment(ctx, {version: change.tag, bump: 'minor', description: options.message, dryRun: false, push: options.push, commit: false, noRuns: {fields}})
    change.tagMessage = report.message
    change.warnings.push(...report.warnings.filter((w) => !w.includes('--no-commit')))
  }

  return change
}
