/**
 * The models/ folder as it is now, and the safety checks that come before any change to it:
 * nothing uncommitted (git or DVC) under models/, and every object a change would drop from the
 * working copy in the cache and — with a remote — in the remote.
 */
import {existsSync, lstatSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative, sep} from 'node:path'

import {cacheDirOf, defaultRemote, localRemoteDir} from '../adapters/dvc.js'
import {parsePointer, type DirEntry} from '../adapters/dvc-files.js'
import {md5File, missingObjects, ObjectLookup} from '../adapters/dvc-objects.js'
import {statusOfPaths} from '../adapters/git-paths.js'
import type {RepoContext} from '../context.js'
import {RefusedError, XvError} from '../errors.js'
import {CANDIDATES_DIR} from './model-registry.js'

export interface TrackedOut {
  /** Repo-relative path of the out (`models/candidates`). */
  path: string
  pointer: string
  md5?: string
  size?: number
  isDir: boolean
  /** For a directory: its files (relpath → md5/size), read from the cache's manifest. */
  files?: Map<string, DirEntry>
}

export const CANDIDATES_POINTER = `${CANDIDATES_DIR}.dvc`

/** The out a workspace pointer file declares (undefined when the pointer is absent). */
export function readOut(ctx: RepoContext, pointer: string, lookup = new ObjectLookup(), needManifest = true): TrackedOut | undefined {
  const abs = join(ctx.root, pointer)
  if (!existsSync(abs)) return undefined
  const [out] = parsePointer(readFileSync(abs, 'utf8'))
  if (!out) return undefined
  const dir = pointer.includes('/') ? pointer.slice(0, pointer.lastIndexOf('/')) : ''
  const path = dir ? `${dir}/${out.path}` : out.path
  const tracked: TrackedOut = {path, pointer, md5: out.md5, size: out.size, isDir: out.isDir}
  if (out.isDir && out.md5) {
    const remote = defaultRemote(ctx.root)
    const remoteDir = remote ? localRemoteDir(remote.url) : undefined
    const manifest = lookup.manifest(cacheDirOf(ctx.root), out.md5) ?? (remoteDir ? lookup.manifest(remoteDir, out.md5) : undefined)
    if (!manifest && !needManifest) return tracked
    if (!manifest) throw new RefusedError(`the manifest of ${path} (${out.md5}) is not in the DVC cache; run 'dvc pull ${pointer}' first`)
    tracked.files = new Map(manifest.map((e) => [e.relpath, e]))
  }

  return tracked
}

/** Files under DIR (recursive), relative to it with '/' separators. */
export function filesUnder(dir: string): string[] {
  const out: string[] = []
  if (!existsSync(dir)) return out
  const walk = (d: string) => {
    for (const e of readdirSync(d, {withFileTypes: true})) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else out.push(relative(dir, p).split(sep).join('/'))
    }
  }

  walk(dir)
  return out
}

/**
 * Whether a workspace file still holds OBJECT: same size and either not modified since the pointer
 * was written (DVC's own shortcut: mtime), a link to the cache object, or the same md5.
 */
async function unchanged(file: string, md5: string, size: number | undefined, pointerMtime: number, cacheDir: string, lookup: ObjectLookup): Promise<boolean> {
  const l = lstatSync(file, {throwIfNoEntry: false})
  if (!l) return false
  const st = l.isSymbolicLink() ? statSync(file, {throwIfNoEntry: false}) : l
  if (!st || (size !== undefined && st.size !== size)) return false
  if (st.mtimeMs <= pointerMtime) return true
  const cached = lookup.find(cacheDir, md5)
  if (cached && cached.ino === st.ino && cached.dev === st.dev) return true
  return (await md5File(file)) === md5
}

/** What is uncommitted under models/: git changes and DVC outs that differ from their pointers. */
export async function dirtyModels(ctx: RepoContext, outs: TrackedOut[], lookup: ObjectLookup): Promise<string[]> {
  const dirty = (await statusOfPaths(ctx.git, ['models'])).map((e) => e.path).filter((p) => p.startsWith('models/'))
  const cacheDir = cacheDirOf(ctx.root)
  for (const out of outs) {
    const abs = join(ctx.root, out.path)
    const pointerMtime = statSync(join(ctx.root, out.pointer)).mtimeMs
    if (!out.md5) {
      dirty.push(`${out.path} (not committed to DVC)`)
    } else if (out.files) {
      const files = out.files
      const present = filesUnder(abs)
      const presentSet = new Set(present)
      const extra = present.filter((f) => !files.has(f))
      const missing = [...files.keys()].filter((f) => !presentSet.has(f))
      dirty.push(...extra.map((f) => `${out.path}/${f} (new)`), ...missing.map((f) => `${out.path}/${f} (deleted)`))
      for (const f of present) {
        const e = files.get(f)
        if (!e) continue
        if (!(await unchanged(join(abs, f), e.md5, e.size, pointerMtime, cacheDir, lookup))) dirty.push(`${out.path}/${f} (modified)`)
      }
    } else if (!(await unchanged(abs, out.md5, out.size, pointerMtime, cacheDir, lookup))) dirty.push(`${out.path} (modified)`)
  }

  return dirty
}

export async function refuseDirty(ctx: RepoContext, outs: TrackedOut[], lookup: ObjectLookup): Promise<void> {
  const dirty = await dirtyModels(ctx, outs, lookup)
  if (dirty.length > 0 && dirty.every((d) => d.endsWith('(deleted)') || d.endsWith('(modified)')) && outs.every((o) => !existsSync(join(ctx.root, o.path))))
    throw new RefusedError(`models/ is not checked out here (${outs.map((o) => o.path).join(', ')} missing); run 'dvc pull' first`)
  if (dirty.length > 0)
    throw new RefusedError(
      `models/ has uncommitted changes (${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ` and ${dirty.length - 3} more` : ''}); version them first ('xv tag', or 'dvc add' + 'git commit') so nothing is lost`,
    )
}

/**
 * Makes sure OBJECTS (md5s of what the change drops from the working copy) are in the cache and,
 * when a DVC remote is configured, in the remote (pushing POINTERS' objects when they are not).
 * Returns whether a push was needed.
 */
export async function secureObjects(ctx: RepoContext, objects: string[], pointers: string[], lookup: ObjectLookup): Promise<{pushed: boolean; remote?: string}> {
  const cacheDir = cacheDirOf(ctx.root)
  const notCached = missingObjects(cacheDir, objects, lookup)
  if (notCached.length > 0)
    throw new RefusedError(`${notCached.length} object(s) of models/ are not in the DVC cache (${notCached.slice(0, 2).join(', ')}); run 'dvc pull' first so nothing is lost`)
  const remote = defaultRemote(ctx.root)
  if (!remote || objects.length === 0) return {pushed: false, remote: remote?.name}
  const dir = localRemoteDir(remote.url)
  if (dir && missingObjects(dir, objects, new ObjectLookup()).length === 0) return {pushed: false, remote: remote.name}
  try {
    await ctx.dvc().push({progress: true, what: 'push the models before changing them'}, pointers)
  } catch (error) {
    throw new RefusedError(`cannot push models/ to DVC remote '${remote.name}' before changing them (${(error as Error).message}); nothing was changed`)
  }

  if (dir && missingObjects(dir, objects, new ObjectLookup()).length > 0)
    throw new XvError(`DVC remote '${remote.name}' still lacks objects of models/ after 'dvc push'; nothing was changed`)
  return {pushed: true, remote: remote.name}
}
