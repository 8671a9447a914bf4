/**
 * Checks `xv tag` makes before it changes anything: every artifact and the result database
 * resolve inside the repository (A11), a SQLite database is whole in its main file — its
 * write-ahead log checkpointed, no other process writing it (A2) — and the disk has room for the
 * bytes the tag adds (B4).
 */
import {existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, statfsSync} from 'node:fs'
import {basename, dirname, join, resolve, sep} from 'node:path'

import {cacheDirOf} from '../adapters/dvc.js'
import {findCacheObject, parsePointer} from '../adapters/dvc-files.js'
import {writersOf} from '../adapters/processes.js'
import {isSqliteFile} from '../adapters/sqlite.js'
import {checkpointWal} from '../adapters/sqlite-side-files.js'
import type {RepoContext} from '../context.js'
import {ConflictError, RefusedError, XvError} from '../errors.js'

function inside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep)
}

/** Where PATH really is: through every symlink, also a dangling one or a link in a missing path's parents. */
function resolvedPath(abs: string): string | undefined {
  try {
    return realpathSync(abs)
  } catch {
    const st = lstatSync(abs, {throwIfNoEntry: false})
    if (st?.isSymbolicLink()) return resolve(resolvedPath(dirname(abs)) ?? dirname(abs), readlinkSync(abs))
    const parent = dirname(abs)
    if (parent === abs) return undefined
    const real = resolvedPath(parent)
    return real === undefined ? undefined : join(real, basename(abs))
  }
}

/**
 * Refuses (one line) an artifact or the result database that resolves outside the repository —
 * lexically or through a symlink. A link into the DVC cache (DVC's symlink mode) is fine.
 */
export function checkInsideRepo(ctx: RepoContext, artifacts: string[]): void {
  const root = realpathSync(ctx.root)
  const cache = resolvedPath(cacheDirOf(ctx.root)) ?? cacheDirOf(ctx.root)
  const named = [...artifacts.map((a) => ({path: a, what: 'artifact'})), {path: ctx.config.db, what: 'db'}]
  for (const {path, what} of named) {
    const abs = resolve(ctx.root, path)
    const fix = what === 'db' ? "set 'db' in xv.yaml to a path inside it" : "list paths inside it under 'artifacts' in xv.yaml"
    if (!inside(abs, ctx.root)) throw new RefusedError(`${what} '${path}' in xv.yaml is outside the repository; ${fix}`)
    const real = resolvedPath(abs)
    if (real && !inside(real, root) && !inside(real, cache))
      throw new RefusedError(`${what} '${path}' resolves outside the repository (${real}); copy the file into the repository instead of linking to it`)
  }
}

/**
 * Makes the SQLite files among PATHS whole in their main file before DVC hashes them: a leftover
 * write-ahead log (a writer that exited without a checkpoint) is checkpointed; a process still
 * writing the database is named and xv refuses.
 */
export function settleSqliteFiles(ctx: RepoContext, paths: string[], options: {checkpoint: boolean}): void {
  for (const path of new Set(paths)) {
    const abs = join(ctx.root, path)
    const sides = ['-wal', '-journal'].map((s) => abs + s).filter((f) => existsSync(f))
    if (sides.length === 0 || !statSync(abs, {throwIfNoEntry: false})?.isFile() || !isSqliteFile(abs)) continue
    const writers = writersOf([realpathSync(abs), ...sides.map((f) => realpathSync(f))])
    const first = writers[0]
    if (first) {
      throw new ConflictError(
        `${path} is still open for writing by process ${first.pid} (${first.command}); let it finish (or close the database), then run xv tag again`,
      )
    }

    if (options.checkpoint && !checkpointWal(abs, path))
      throw new ConflictError(`${path} is in use: another connection kept its write-ahead log from being checkpointed; close it, then run xv tag again`)
  }
}

/** Bytes of regular files under ABS not already in the DVC cache (hard links to it are free). */
function bytesToCache(abs: string): number {
  const st = lstatSync(abs, {throwIfNoEntry: false})
  if (!st || st.isSymbolicLink()) return 0
  if (st.isFile()) return st.nlink > 1 ? 0 : st.size
  if (!st.isDirectory()) return 0
  let total = 0
  for (const entry of readdirSync(abs)) total += bytesToCache(join(abs, entry))
  return total
}

/** Bytes `dvc add` of PATH will copy into the cache: none when its pointer already names it, same size, cached. */
export function newArtifactBytes(root: string, path: string): number {
  const abs = join(root, path)
  const pointer = `${abs}.dvc`
  if (existsSync(pointer)) {
    try {
      const [out] = parsePointer(readFileSync(pointer, 'utf8'))
      const st = statSync(abs)
      if (out?.md5 && !out.isDir && out.size === st.size && findCacheObject(cacheDirOf(root), out.md5)) return 0
    } catch {
      // an unreadable pointer: count the bytes
    }
  }

  return bytesToCache(abs)
}

export interface SpaceNeed {
  /** A directory (or a file) on the filesystem that receives the bytes. */
  dir: string
  bytes: number
  what: string
}

function existingAncestor(path: string): string {
  let p = path
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p)
  return p
}

const MARGIN = 1024 * 1024

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** Fails in one line when a filesystem has less room than the bytes xv is about to put there. */
export function checkFreeSpace(needs: SpaceNeed[]): void {
  const byDevice = new Map<number, {dir: string; bytes: number; what: string[]}>()
  for (const need of needs) {
    if (need.bytes <= 0) continue
    const dir = existingAncestor(need.dir)
    const dev = statSync(dir).dev
    const entry = byDevice.get(dev) ?? {dir, bytes: 0, what: []}
    entry.bytes += need.bytes
    if (!entry.what.includes(need.what)) entry.what.push(need.what)
    byDevice.set(dev, entry)
  }

  for (const {dir, bytes, what} of byDevice.values()) {
    const fs = statfsSync(dir)
    const free = fs.bavail * fs.bsize
    if (free < bytes + MARGIN)
      throw new XvError(
        `not enough free disk space for xv tag on ${dir}: ${mb(bytes)} needed (${what.join(' + ')}), ${mb(free)} free; free some space (or move the DVC cache with 'dvc cache dir') and run it again`,
      )
  }
}
