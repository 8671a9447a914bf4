/**
 * Fetching exactly the DVC objects xv needs into the local cache, without a checkout: from a
 * local-directory remote by a verified copy (hashed while copied, renamed into the cache only when
 * it matched), from any other remote through DVC's own API, under the inactivity timeout.
 * Failures say in one line whether the remote could not be reached or lacks the objects.
 */
import {chmodSync, existsSync, mkdirSync, renameSync, rmSync} from 'node:fs'
import {dirname} from 'node:path'

import {dvcPython, type RemoteInfo} from '../adapters/dvc.js'
import {cacheObjectCandidates, findCacheObject} from '../adapters/dvc-files.js'
import {fetchObjectsWithDvc, RemoteStalledError, RemoteUnreachableError, runDvcWatched} from '../adapters/dvc-fetch.js'
import type {RepoContext} from '../context.js'
import {XvError} from '../errors.js'
import {setAside} from './corrupt-objects.js'
import type {Rev} from './revision.js'
import {withTemporaryWorktree} from './temp-worktree.js'
import type {ProgressReporter} from './progress.js'
import {copyHashing, withStaging} from './verified-copy.js'

/** The objects cannot be had: no remote, the remote unreachable or stalled, or lacking them. */
export class ObjectUnavailableError extends XvError {
  override readonly name = 'ObjectUnavailableError'
}

export interface Needed {
  md5: string
  /** What it is, for messages (a path at the version). */
  what: string
}

export function describeNeeded(needed: Needed[]): string {
  const shown = needed.slice(0, 3).map((m) => `${m.md5} (${m.what})`)
  return shown.join(', ') + (needed.length > 3 ? ` and ${needed.length - 3} more` : '')
}

/**
 * Copies one object from a local remote into the cache, verified; false when the remote lacks it.
 * With TEE the same bytes are also written there, in the same verified pass (xv get's output).
 */
async function copyFromLocalRemote(remoteDir: string, cacheDir: string, md5: string, progress: ProgressReporter, tee?: string): Promise<boolean> {
  const src = findCacheObject(remoteDir, md5)
  if (!src) return false
  const dest = cacheObjectCandidates(cacheDir, md5)[0] ?? ''
  mkdirSync(dirname(dest), {recursive: true})
  if (tee) mkdirSync(dirname(tee), {recursive: true})
  await withStaging(dest, async (tmp) => {
    const {md5: got} = await copyHashing(src, tee ? [tmp, tee] : tmp, progress)
    if (got !== md5.toLowerCase().replace(/\.dir$/, ''))
      throw new XvError(`the remote's copy ${src} is corrupt: its md5 is ${got}, expected ${md5}; push it again from a machine that has a good copy`)
    chmodSync(tmp, 0o444) // as DVC keeps cache objects
    renameSync(tmp, dest)
  })
  return true
}

function unreachable(remote: RemoteInfo, cause: string | Error, needed: Needed[], cached: Needed[]): ObjectUnavailableError {
  const held = cached.length > 0 ? `; the local cache holds ${cached.length === needed.length ? 'them' : `${cached.length} of them`} (--strategy cache uses it)` : ''
  const need = needed.length > cached.length ? `; needed from it: ${describeNeeded(needed.filter((n) => !cached.includes(n)))}` : ''
  const what = cause instanceof RemoteStalledError ? cause.message : `cannot connect to DVC remote '${remote.name}' (${remote.url}): ${cause instanceof Error ? cause.message : cause} (unreachable)`
  return new ObjectUnavailableError(`${what}${need}${held}`)
}

/** `dvc fetch PATH` in a temporary worktree at REV: for a dvc that is not a pip install (no Python API). */
async function fetchByPath(ctx: RepoContext, rev: Rev, path: string, remote: RemoteInfo): Promise<void> {
  const watch = {timeoutSec: ctx.config.remoteTimeout, remote: `'${remote.name}' (${remote.url})`}
  const run = (root: string) => runDvcWatched(root, ['fetch', '--', path], watch)
  if (rev.kind === 'workspace') await run(ctx.root)
  else await withTemporaryWorktree(ctx, rev.commit, run)
}

/**
 * Brings NEEDED into the cache from the default DVC remote. `reread`: also objects the cache
 * already holds (the remote's copy replaces the cached one). `tee` (md5 → file): from a local
 * remote, also write these objects there in the same verified pass; entries not written are
 * deleted from the map. Returns how many objects were fetched.
 */
export async function fetchObjects(
  ctx: RepoContext, rev: Rev, path: string, needed: Needed[], options: {reread?: boolean; tee?: Map<string, string>} = {},
): Promise<number> {
  const cacheDir = ctx.cacheDir
  const cached = needed.filter((n) => findCacheObject(cacheDir, n.md5))
  const remote = ctx.remote()
  if (!remote)
    throw new ObjectUnavailableError(`${needed.length} object(s) of ${path} at ${rev.name} are not in the local cache and no DVC remote is configured (missing: ${describeNeeded(needed)}); add one with 'dvc remote add -d'`)
  const localDir = remote.dir
  const lacking: Needed[] = []
  if (localDir) {
    if (!existsSync(localDir)) throw unreachable(remote, 'the directory does not exist', needed, cached)
    for (const n of needed) if (!(await copyFromLocalRemote(localDir, cacheDir, n.md5, ctx.progress, options.tee?.get(n.md5)))) lacking.push(n)
    for (const n of lacking) options.tee?.delete(n.md5)
  } else if (dvcPython()) {
    options.tee?.clear()
    // DVC skips objects the cache holds: a re-read moves the cached copies aside first (put back if the fetch fails).
    const aside = options.reread ? cached.map((n) => ({n, ...setAside(ctx, findCacheObject(cacheDir, n.md5) ?? '', n.md5)})) : []
    try {
      const watch = {timeoutSec: ctx.config.remoteTimeout, remote: `'${remote.name}' (${remote.url})`}
      const res = await fetchObjectsWithDvc(ctx.root, needed.map((n) => n.md5), watch)
      lacking.push(...needed.filter((n) => res.missing.includes(n.md5)))
    } catch (error) {
      for (const a of aside) if (!findCacheObject(cacheDir, a.n.md5)) renameSync(a.movedTo, a.object)
      if (error instanceof RemoteUnreachableError) throw unreachable(remote, error, needed, cached)
      throw new XvError(`cannot fetch ${path} at ${rev.name} from DVC remote '${remote.name}' (${remote.url}): ${error instanceof Error ? error.message : String(error)}`)
    }

    for (const a of aside) {
      if (findCacheObject(cacheDir, a.n.md5)) rmSync(a.movedTo, {force: true})
      else renameSync(a.movedTo, a.object)
    }
  } else {
    options.tee?.clear()
    try {
      await fetchByPath(ctx, rev, path, remote)
    } catch (error) {
      if (error instanceof RemoteUnreachableError) throw unreachable(remote, error, needed, cached)
      throw error
    }

    lacking.push(...needed.filter((n) => !findCacheObject(cacheDir, n.md5)))
  }

  if (lacking.length > 0)
    throw new ObjectUnavailableError(`DVC remote '${remote.name}' (${remote.url}) lacks ${lacking.length} object(s) of ${path} at ${rev.name}: ${describeNeeded(lacking)}; push them from a machine that has them ('xv push ${rev.name}')`)
  return needed.length
}
