/**
 * DVC outputs checked without running dvc: the link type a cache can use, a file against its
 * pointer, and which objects a cache or a local remote holds.
 */
import {createHash} from 'node:crypto'
import {constants, copyFileSync, createReadStream, linkSync, readFileSync, rmSync, statSync, writeFileSync, type Stats} from 'node:fs'
import {join} from 'node:path'
import {pipeline} from 'node:stream/promises'

import {cacheObjectCandidates, parseDirManifest, type DirEntry, type DvcOut} from './dvc-files.js'

export type LinkType = 'reflink' | 'hardlink' | 'symlink'

/**
 * The cheapest link DVC can use between CACHE and files under TARGET_DIR, tried for real:
 * a copy-on-write clone (reflink), else a hard link (same filesystem), else a symlink.
 */
export function probeLinkType(cacheDir: string, targetDir: string): LinkType {
  const tag = `.xv-link-probe-${process.pid}-${Date.now()}`
  const source = join(cacheDir, tag)
  const dest = join(targetDir, tag)
  writeFileSync(source, 'probe')
  try {
    for (const [type, attempt] of [
      ['reflink', () => copyFileSync(source, dest, constants.COPYFILE_FICLONE_FORCE)],
      ['hardlink', () => linkSync(source, dest)],
    ] as const) {
      try {
        attempt()
        return type
      } catch {
        // not supported here: try the next one
      } finally {
        rmSync(dest, {force: true})
      }
    }

    return 'symlink'
  } finally {
    rmSync(source, {force: true})
  }
}

export async function md5File(path: string): Promise<string> {
  const hash = createHash('md5')
  await pipeline(createReadStream(path), hash)
  return hash.digest('hex')
}

/**
 * Lookups of objects in cache and local-remote folders, remembered for one command so that
 * worktrees sharing a cache do not stat the same objects again.
 */
export class ObjectLookup {
  private readonly found = new Map<string, {path: string; ino: number; dev: number} | null>()
  private readonly manifests = new Map<string, DirEntry[] | null>()

  /** The object's file in STORE (DVC 3 layout, then DVC 2) with its inode, or undefined. */
  find(store: string, md5: string): {path: string; ino: number; dev: number} | undefined {
    const key = `${store}\0${md5}`
    let hit = this.found.get(key)
    if (hit === undefined) {
      hit = null
      for (const path of cacheObjectCandidates(store, md5)) {
        const st = statSync(path, {throwIfNoEntry: false})
        if (st) {
          hit = {path, ino: st.ino, dev: st.dev}
          break
        }
      }

      this.found.set(key, hit)
    }

    return hit ?? undefined
  }

  /** A `.dir` manifest read from the cache, or undefined when the cache lacks it. */
  manifest(cacheDir: string, md5: string): DirEntry[] | undefined {
    const key = `${cacheDir}\0${md5}`
    let m = this.manifests.get(key)
    if (m === undefined) {
      const obj = this.find(cacheDir, md5)
      m = obj ? parseDirManifest(readFileSync(obj.path, 'utf8')) : null
      this.manifests.set(key, m)
    }

    return m ?? undefined
  }
}

/** Content hashes known for files as they are now (by device, inode, size and mtime), as DVC's state keeps them. */
export interface HashState {
  known(st: Stats, md5: string): boolean
  remember(st: Stats, md5: string): void
}

/**
 * Whether the file at PATH (false when absent) holds the object MD5 — its CONTENT, as `dvc status`
 * compares it: a link into the cache proves nothing (root can write through it, changing the
 * cache too). A different size is a change; a hash STATE recorded for the file as it is now (same
 * inode, size and mtime) is trusted; otherwise the md5 is computed, within BUDGET bytes when given
 * (beyond it: 'unverified').
 */
export async function fileMatches(path: string, md5: string, size: number | undefined, budget?: {bytes: number}, state?: HashState): Promise<boolean | 'unverified'> {
  const st = statSync(path, {throwIfNoEntry: false})
  if (!st?.isFile()) return false
  if (size !== undefined && st.size !== size) return false
  const want = md5.toLowerCase()
  if (state?.known(st, want)) return true
  // Reading is bounded by the budget when one is given (a caller that must be sure gives none).
  if (budget) {
    if (st.size > budget.bytes) return 'unverified'
    budget.bytes -= st.size
  }

  const same = (await md5File(path)) === want
  if (same) state?.remember(st, want)
  return same
}

/** The object ids an out references: the file md5, or a `.dir` manifest and its entries. */
export function objectsOf(out: DvcOut, cacheDir: string, lookup: ObjectLookup = new ObjectLookup()): {objects: string[]; manifest?: DirEntry[]} {
  if (!out.md5) return {objects: []}
  if (!out.isDir) return {objects: [out.md5]}
  const manifest = lookup.manifest(cacheDir, out.md5)
  if (!manifest) return {objects: [out.md5]}
  return {objects: [out.md5, ...manifest.map((e) => e.md5)], manifest}
}

/** Objects (of IDS) that a local directory store (cache or local remote) lacks. */
export function missingObjects(storeDir: string, ids: string[], lookup: ObjectLookup = new ObjectLookup()): string[] {
  return ids.filter((id) => !lookup.find(storeDir, id))
}
