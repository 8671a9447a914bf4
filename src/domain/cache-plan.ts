/**
 * Which DVC cache objects an artifact needs, which of them the local cache lacks, and fetching
 * exactly those from the DVC remote.
 */
import {join, posix} from 'node:path'

import {type DirEntry} from '../adapters/dvc-files.js'
import {ObjectLookup} from '../adapters/dvc-objects.js'
import type {RepoContext} from '../context.js'
import {NotFoundError, XvError} from '../errors.js'
import type {Artifact} from './locate.js'
import {describeNeeded, fetchObjects} from './object-fetch.js'
import type {Rev} from './revision.js'
import {nearest} from './suggest.js'

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

/** How ensureInCache may use the remote: never, for what the cache lacks, or for every object (a re-read). */
export type FetchMode = 'never' | 'missing' | 'all'

/**
 * Cache plan with every object in the cache, fetching from the remote as MODE allows. With
 * TEE_INTO (the artifact's staging path), objects fetched from a local remote are also written
 * there in the same verified pass; `teed` lists their paths relative to the artifact.
 */
export async function ensureInCache(
  ctx: RepoContext, rev: Rev, art: Artifact, mode: FetchMode, teeInto?: string,
): Promise<{plan: CachePlan; fetched: number; teed: Set<string>}> {
  const cacheDir = ctx.cacheDir
  let plan = planFromCache(cacheDir, art)
  const teed = new Set<string>()
  if (mode === 'never' || (mode === 'missing' && plan.missing.length === 0)) {
    if (plan.missing.length > 0)
      throw new XvError(`${art.path} at ${rev.name} is not in the local cache (${cacheDir}); missing: ${describeNeeded(plan.missing)}; use --strategy remote (or auto) to fetch it`)
    return {plan, fetched: 0, teed}
  }

  let fetched = 0
  const done = new Set<string>()
  // A directory's manifest arrives first; its entries are known only then: at most two rounds.
  for (let round = 0; round < 2; round++) {
    const manifest = art.md5?.endsWith('.dir') ? [{md5: art.md5, what: `${art.out ?? art.path}/ (directory manifest)`}] : []
    const all = [...manifest, ...plan.objects.map((o) => ({md5: o.md5, what: posix.join(art.path, o.rel)}))]
    const want = (mode === 'all' ? all : plan.missing).filter((n) => !done.has(n.md5))
    if (want.length === 0) break
    const tee = new Map<string, string>()
    const rels = new Map<string, string>()
    for (const o of teeInto && plan.objects.length > 0 ? plan.objects : []) {
      if (tee.has(o.md5) || !want.some((n) => n.md5 === o.md5)) continue
      tee.set(o.md5, plan.type === 'file' ? teeInto ?? '' : join(teeInto ?? '', o.rel))
      rels.set(o.md5, o.rel)
    }

    fetched += await fetchObjects(ctx, rev, art.path, want, {reread: mode === 'all', tee})
    for (const md5 of tee.keys()) teed.add(rels.get(md5) ?? '')
    for (const n of want) done.add(n.md5)
    plan = planFromCache(cacheDir, art)
  }

  if (plan.missing.length > 0) throw new XvError(`${plan.missing.length} object(s) of ${art.path} at ${rev.name} are still missing from the cache after fetching: ${describeNeeded(plan.missing)}`)
  return {plan, fetched, teed}
}
