/**
 * Which DVC cache objects an artifact needs, which of them the local cache lacks, and fetching
 * exactly those from the DVC remote.
 */
import {closeSync, existsSync, openSync, readFileSync, writeSync} from 'node:fs'
import {join, posix} from 'node:path'

import {cacheDirOf, defaultRemote, Dvc, dvcFetch, localRemoteDir, ObjectLookup, readDvcConfig, type DirEntry} from '../adapters/dvc.js'
import type {RepoContext} from '../context.js'
import {NotFoundError, XvError} from '../errors.js'
import type {Artifact} from './locate.js'
import type {Rev} from './revision.js'
import {nearest} from './suggest.js'
import {withTemporaryWorktree} from './temp-worktree.js'

export interface FileObject {
  /** Path relative to the artifact ('' for a single file). */
  rel: string
  md5: string
  size?: number
}

export interface CachePlan {
  type: 'file' | 'dir'
  objects: FileObject[]
  /** md5s (with what they are) that the local cache lacks. */
  missing: Array<{md5: string; what: string}>
}

/** A `.dir` manifest from a cache or local remote; a corrupt one is named in one line. */
export function readManifest(store: string, md5: string, lookup = new ObjectLookup()): DirEntry[] | undefined {
  try {
    return lookup.manifest(store, md5)
  } catch {
    throw new XvError(`cache object ${lookup.find(store, md5)?.path ?? md5} (directory manifest ${md5}) is corrupt; remove it and run the command again to fetch it from the remote`)
  }
}

/** The objects a DVC artifact needs and which of them the cache lacks. */
export function planFromCache(cacheDir: string, art: Artifact): CachePlan {
  if (!art.md5) throw new XvError(`${art.pointer} declares ${art.out} without an md5 (not yet committed with 'dvc commit'?); nothing to restore from the cache`)
  const lookup = new ObjectLookup()
  if (!art.md5.endsWith('.dir')) {
    const objects = [{rel: '', md5: art.md5, size: art.size}]
    return {type: 'file', objects, missing: lookup.find(cacheDir, art.md5) ? [] : [{md5: art.md5, what: art.path}]}
  }

  const manifest = readManifest(cacheDir, art.md5, lookup)
  if (!manifest) return {type: art.type, objects: [], missing: [{md5: art.md5, what: `${art.out}/ (directory manifest)`}]}
  const prefix = art.inside ?? ''
  let type: 'file' | 'dir' = prefix ? 'file' : 'dir'
  let objects: FileObject[]
  const exact = prefix ? manifest.find((e) => e.relpath === prefix) : undefined
  if (exact) objects = [{rel: '', md5: exact.md5, size: exact.size}]
  else {
    type = 'dir'
    const p = prefix ? `${prefix}/` : ''
    objects = manifest.filter((e) => e.relpath.startsWith(p)).map((e) => ({rel: e.relpath.slice(p.length), md5: e.md5, size: e.size}))
    if (prefix && objects.length === 0) {
      const near = nearest(prefix, manifest.map((e) => e.relpath)).map((r) => `${art.out}/${r}`)
      throw new NotFoundError('path', `${art.path} does not exist at ${art.rev}: ${art.out} is DVC-tracked but has no ${prefix}; similar paths there: ${near.join(', ')}`)
    }
  }

  const missing = objects.filter((o) => !lookup.find(cacheDir, o.md5)).map((o) => ({md5: o.md5, what: posix.join(art.path, o.rel)}))
  return {type, objects, missing}
}

/** Gives a temporary worktree the current remote when the tag's config lacks one. */
export function shareRemote(ctx: RepoContext, root: string): void {
  const remote = ctx.remote()
  if (!remote || readDvcConfig(root).core?.remote) return
  const file = join(root, '.dvc', 'config.local')
  const text = existsSync(file) ? readFileSync(file, 'utf8') : ''
  const extra = `\n[core]\n    remote = ${remote.name}\n['remote "${remote.name}"']\n    url = ${remote.url}\n`
  const fd = openSync(file, 'a')
  try {
    writeSync(fd, text.endsWith('\n') || !text ? extra.slice(1) : extra)
  } finally {
    closeSync(fd)
  }
}

export function describeMissing(missing: CachePlan['missing']): string {
  const shown = missing.slice(0, 3).map((m) => `${m.md5} (${m.what})`)
  return shown.join(', ') + (missing.length > 3 ? ` and ${missing.length - 3} more` : '')
}

/** `dvc fetch` of exactly PATH at REV (run in a temporary worktree sharing the cache). */
export async function fetchArtifact(ctx: RepoContext, rev: Rev, art: Artifact, missing: CachePlan['missing']): Promise<void> {
  const remote = ctx.remote()
  if (!remote)
    throw new XvError(`${missing.length} object(s) of ${art.path} at ${rev.name} are not in the local cache and no DVC remote is configured (missing: ${describeMissing(missing)}); add one with 'dvc remote add -d'`)
  const localDir = localRemoteDir(remote.url)
  if (localDir && !existsSync(localDir))
    throw new XvError(`DVC remote '${remote.name}' (${remote.url}) is unreachable: the directory does not exist; missing objects: ${describeMissing(missing)}`)
  const run = async (root: string) => {
    shareRemote(ctx, root)
    try {
      await dvcFetch(new Dvc(root), [art.path])
    } catch (error) {
      throw new XvError(`cannot fetch ${art.path} at ${rev.name} from DVC remote '${remote.name}' (${remote.url}): ${(error as Error).message}; missing objects: ${describeMissing(missing)}`)
    }
  }

  if (rev.kind === 'workspace') await run(ctx.root)
  else await withTemporaryWorktree(ctx, rev.commit, run)
}

/** Cache plan, fetching what the cache lacks when allowed. */
export async function ensureInCache(ctx: RepoContext, rev: Rev, art: Artifact, allowFetch: boolean, forceFetch = false): Promise<{plan: CachePlan; fetched: number}> {
  const cacheDir = cacheDirOf(ctx.root)
  let plan = planFromCache(cacheDir, art)
  if (plan.missing.length === 0 && !forceFetch) return {plan, fetched: 0}
  if (!allowFetch)
    throw new XvError(`${art.path} at ${rev.name} is not in the local cache (${cacheDir}); missing: ${describeMissing(plan.missing)}; use --strategy remote (or auto) to fetch it`)
  const before = plan.missing
  await fetchArtifact(ctx, rev, art, before.length > 0 ? before : [{md5: art.md5 ?? '', what: art.path}])
  plan = planFromCache(cacheDir, art)
  // A directory's manifest arrives first; its entries may still be missing.
  if (plan.missing.length > 0 && before.some((m) => m.what.endsWith('(directory manifest)'))) {
    await fetchArtifact(ctx, rev, art, plan.missing)
    plan = planFromCache(cacheDir, art)
  }

  if (plan.missing.length > 0) {
    const remote = ctx.remote()
    throw new XvError(`DVC remote '${remote?.name}' (${remote?.url}) is unreachable or lacks ${plan.missing.length} object(s) of ${art.path} at ${rev.name}: ${describeMissing(plan.missing)}; push them from a machine that has them ('xv push ${rev.name}')`)
  }

  return {plan, fetched: before.length}
}
