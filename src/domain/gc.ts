/**
 * `xv gc`: frees DVC cache (and, with --remote, local-remote) space by removing the objects that
 * nothing keeps: not any tag (experiment, stage or other), branch, claim, worktree HEAD, nor the
 * pointers in any worktree's working copy. Unlike `dvc gc -w` it never drops an object a tag
 * needs. Objects younger than --min-age are kept (a `dvc add` in another worktree may be about to
 * commit them). Referenced pointers are read in one `git rev-list --objects` and one
 * `git cat-file --batch`, never by checking out.
 */
import {existsSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {cacheDirOf, defaultRemote, localRemoteDir} from '../adapters/dvc.js'
import {parseLock, parsePointer, type DvcOut} from '../adapters/dvc-files.js'
import {ObjectLookup} from '../adapters/dvc-objects.js'
import {Git} from '../adapters/git.js'
import {commitsOfRefs, treeObjectsOf, workingFiles} from '../adapters/git-reachable.js'
import type {RepoContext} from '../context.js'
import {RefusedError} from '../errors.js'

export interface GcOptions {
  remote: boolean
  dryRun: boolean
  /** Objects modified less than this many seconds ago are kept. */
  minAgeSeconds: number
}

export interface StoreReport {
  store: 'cache' | 'remote'
  dir: string
  kept: number
  removed: number
  bytesFreed: number
  /** Unreferenced but younger than --min-age. */
  tooRecent: number
}

export interface GcReport {
  dryRun: boolean
  revisions: number
  referenced: number
  stores: StoreReport[]
}

const isPointer = (path: string) => path.endsWith('.dvc') || path === 'dvc.lock' || path.endsWith('/dvc.lock')

function outsOf(path: string, text: string): DvcOut[] {
  try {
    return path === 'dvc.lock' || path.endsWith('/dvc.lock') ? parseLock(text) : parsePointer(text)
  } catch {
    return []
  }
}

/** Every commit something keeps: tags, branches, claims, remote branches, worktree HEADs. */
async function keptCommits(ctx: RepoContext): Promise<string[]> {
  const commits = new Set(await commitsOfRefs(ctx.git, ['refs/tags', 'refs/heads', 'refs/xv/claims', 'refs/remotes']))
  for (const w of await ctx.git.worktrees()) if (w.head && !w.prunable) commits.add(w.head)
  return [...commits]
}

/** The md5s every kept revision and every worktree's working copy reference (directory entries included). */
async function referencedObjects(ctx: RepoContext, cacheDir: string, remoteDir: string | undefined): Promise<{ids: Set<string>; revisions: number}> {
  const commits = await keptCommits(ctx)
  const ids = new Set<string>()
  const outs: DvcOut[] = []
  // Trees of the kept commits only (--no-walk): each pointer blob once, with a path.
  const blobs = new Map((await treeObjectsOf(ctx.git, commits)).filter((o) => isPointer(o.path)).map((o) => [o.oid, o.path]))
  const texts = await ctx.git.catFileBatch([...blobs.keys()])
  for (const [oid, path] of blobs) outs.push(...outsOf(path, texts.get(oid)?.toString('utf8') ?? ''))

  for (const w of await ctx.git.worktrees()) {
    if (w.prunable || w.bare || !existsSync(w.path)) continue
    for (const f of (await workingFiles(new Git(w.path))).filter(isPointer)) {
      const abs = join(w.path, f)
      if (existsSync(abs)) outs.push(...outsOf(f, readFileSync(abs, 'utf8')))
    }
  }

  const lookup = new ObjectLookup()
  for (const out of outs) {
    if (!out.md5 || ids.has(out.md5)) continue
    ids.add(out.md5)
    if (!out.isDir) continue
    const manifest = lookup.manifest(cacheDir, out.md5) ?? (remoteDir ? lookup.manifest(remoteDir, out.md5) : undefined)
    if (!manifest)
      throw new RefusedError(`the directory manifest ${out.md5} (${out.path}) is in neither the cache nor the remote, so gc cannot tell which objects it needs; nothing was removed (fetch it with 'dvc fetch', or remove the reference)`)
    for (const e of manifest) ids.add(e.md5)
  }

  return {ids, revisions: commits.length}
}

/** Object files of a DVC store (DVC 3 `files/md5/xx/…` and DVC 2 `xx/…` layouts) with their md5. */
function storeObjects(dir: string): Array<{md5: string; file: string}> {
  const out: Array<{md5: string; file: string}> = []
  const scan = (base: string) => {
    if (!existsSync(base)) return
    for (const prefix of readdirSync(base)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue
      for (const name of readdirSync(join(base, prefix))) {
        if (/^[0-9a-f]{30}(\.dir)?$/.test(name)) out.push({md5: prefix + name, file: join(base, prefix, name)})
      }
    }
  }

  scan(join(dir, 'files', 'md5'))
  scan(dir)
  return out
}

function sweep(store: StoreReport['store'], dir: string, ids: Set<string>, options: GcOptions): StoreReport {
  const report: StoreReport = {store, dir, kept: 0, removed: 0, bytesFreed: 0, tooRecent: 0}
  const cutoff = Date.now() - options.minAgeSeconds * 1000
  for (const obj of storeObjects(dir)) {
    if (ids.has(obj.md5)) {
      report.kept++
      continue
    }

    const st = statSync(obj.file, {throwIfNoEntry: false})
    if (!st) continue
    if (st.mtimeMs > cutoff) {
      report.tooRecent++
      continue
    }

    report.removed++
    report.bytesFreed += st.size
    if (!options.dryRun) rmSync(obj.file, {force: true})
  }

  return report
}

export async function collectGarbage(ctx: RepoContext, options: GcOptions): Promise<GcReport> {
  if (!Number.isFinite(options.minAgeSeconds) || options.minAgeSeconds < 0) throw new RefusedError(`--min-age must be a number of seconds ≥ 0`)
  if (!ctx.hasDvc()) throw new RefusedError("DVC is not initialised here; there is no cache to collect ('xv init')")
  const cacheDir = cacheDirOf(ctx.root)
  const remote = defaultRemote(ctx.root)
  const remoteDir = remote ? localRemoteDir(remote.url) : undefined
  if (options.remote) {
    if (!remote) throw new RefusedError('--remote: no default DVC remote is configured')
    if (!remoteDir) throw new RefusedError(`--remote: '${remote.name}' (${remote.url}) is not a local directory; xv gc cleans local remotes only (for cloud remotes: 'dvc gc --cloud --all-tags --all-branches --workspace')`)
    if (!existsSync(remoteDir)) throw new RefusedError(`--remote: the remote directory ${remoteDir} does not exist`)
  }

  const {ids, revisions} = await referencedObjects(ctx, cacheDir, remoteDir)
  const stores = [sweep('cache', cacheDir, ids, options)]
  if (options.remote && remoteDir) stores.push(sweep('remote', remoteDir, ids, options))
  return {dryRun: options.dryRun, revisions, referenced: ids.size, stores}
}
