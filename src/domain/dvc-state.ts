/**
 * The DVC state of a worktree read without running dvc: its outs (from the pointer files and
 * dvc.lock files of its index), whether each file still holds its recorded object, and which
 * objects the cache and a local remote lack.
 */
import {existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync, type Stats} from 'node:fs'
import {dirname, join} from 'node:path'

import {cacheDirOf, defaultRemote, isDvcRepo, localRemoteDir} from '../adapters/dvc.js'
import {declaredOuts, isPointerFile, type DeclaredOut} from '../adapters/dvc-files.js'
import {fileMatches, missingObjects, objectsOf, ObjectLookup, type HashState} from '../adapters/dvc-objects.js'
import {indexPaths} from '../adapters/git-index.js'
import {lsFilesOf} from '../adapters/git-worktrees.js'

export interface DvcState {
  outputs: number
  /** Outputs whose file differs from the pointer (not committed with `dvc add`/`xv tag`). */
  modified: string[]
  /** Outputs that are same-size copies too large to hash in a listing (`remove` hashes them). */
  unverified: string[]
  /** Outputs absent from the working tree (not checked out). */
  missing: string[]
  /** Objects referenced by the pointers that the cache lacks. */
  notInCache: number
  remote?: string
  /** The remote's folder when it is a local one. */
  remoteDir?: string
  /** Objects not in the (local) remote; null when the remote is not a local folder (unknown without dvc). */
  notInRemote: number | null
  /** Outputs whose objects are not all in the remote. */
  unpushedOutputs: string[]
  cacheDir: string
}

/** The outs declared by the pointer files of ROOT's index, read from the working tree. */
export async function worktreeOuts(root: string): Promise<DeclaredOut[]> {
  // Pointer files of the index, read directly (git ls-files only when the index format needs it).
  const indexed = indexPaths(root)
  const files = indexed ? indexed.filter(isPointerFile) : await lsFilesOf(root, ['*.dvc', 'dvc.lock', '*/dvc.lock'])
  const texts: Array<{path: string; text: string}> = []
  for (const file of files) {
    const abs = join(root, file)
    if (existsSync(abs)) texts.push({path: file, text: readFileSync(abs, 'utf8')})
  }

  return declaredOuts(texts)
}

/**
 * The hashes of a worktree's tracked files as they were when DVC checked them out or xv last hashed
 * them, keyed by device, inode, size and mtime — what DVC's own state does. A file written since
 * (through a link too: the cache object's mtime changes with it) has another key and is hashed
 * again. Kept in `<worktree>/.dvc/tmp/xv-hashes.json` (ignored by git; gone with the worktree).
 */
const MAX_KEPT = 2000

export class HashMemo implements HashState {
  private readonly entries: Map<string, string>
  private readonly seen = new Map<string, string>()
  private dirty = false

  private constructor(
    private readonly file: string | undefined,
    entries: Map<string, string>,
    private readonly keepAll: boolean,
  ) {
    this.entries = entries
  }

  /** The memo of ROOT's tracked files (`xv-hashes.json`): a save keeps the keys used in this run. */
  static load(root: string): HashMemo {
    return HashMemo.read(join(root, '.dvc', 'tmp', 'xv-hashes.json'), false)
  }

  /** The memo of cache objects verified before they are read (`xv-object-hashes.json`): keeps up to MAX_KEPT keys. */
  static forCacheObjects(root: string): HashMemo {
    return HashMemo.read(join(root, '.dvc', 'tmp', 'xv-object-hashes.json'), true)
  }

  private static read(file: string, keepAll: boolean): HashMemo {
    let entries = new Map<string, string>()
    try {
      entries = new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>))
    } catch {
      // none yet, or unreadable: every file is hashed (and remembered) again
    }

    return new HashMemo(file, entries, keepAll)
  }

  private static key(st: Stats): string {
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`
  }

  known(st: Stats, md5: string): boolean {
    const key = HashMemo.key(st)
    if (this.entries.get(key) !== md5) return false
    this.seen.set(key, md5)
    return true
  }

  remember(st: Stats, md5: string): void {
    const key = HashMemo.key(st)
    this.entries.delete(key) // newest last (what MAX_KEPT keeps)
    this.entries.set(key, md5)
    this.seen.set(key, md5)
    this.dirty = true
  }

  /** Writes what was used or learnt in this run (older keys are dropped); best effort. */
  save(): void {
    if (!this.dirty || !this.file) return
    try {
      mkdirSync(dirname(this.file), {recursive: true})
      const tmp = `${this.file}.${process.pid}`
      const kept = this.keepAll ? [...this.entries].slice(-MAX_KEPT) : [...this.seen]
      writeFileSync(tmp, JSON.stringify(Object.fromEntries(kept)))
      renameSync(tmp, this.file)
    } catch {
      // a read-only worktree: hashed again next time
    }
  }
}

/**
 * Records the files of ROOT's outs as DVC has just checked them out (their content is the cache's),
 * so that listing the worktree costs no hashing until a file is written.
 */
export async function rememberCheckout(root: string, lookup = new ObjectLookup()): Promise<void> {
  const memo = HashMemo.load(root)
  const cacheDir = cacheDirOf(root)
  const note = (path: string, md5: string) => {
    const st = statSync(path, {throwIfNoEntry: false})
    if (st?.isFile()) memo.remember(st, md5.toLowerCase())
  }

  for (const {outPath, out} of await worktreeOuts(root)) {
    if (!out.md5) continue
    if (!out.isDir) note(join(root, outPath), out.md5)
    else for (const e of objectsOf(out, cacheDir, lookup).manifest ?? []) note(join(root, outPath, e.relpath), e.md5)
  }

  memo.save()
}

function countFiles(dir: string): number {
  let n = 0
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    if (entry.isDirectory()) n += countFiles(join(dir, entry.name))
    else n++
  }

  return n
}

/**
 * DVC state of a worktree without running dvc. Links to the cache are recognised without reading;
 * same-size copies are hashed, within BUDGET bytes when given (beyond it: 'unverified').
 */
export async function dvcState(root: string, budget?: {bytes: number}, lookup = new ObjectLookup()): Promise<DvcState | undefined> {
  if (!isDvcRepo(root)) return undefined
  const memo = HashMemo.load(root)
  const cacheDir = cacheDirOf(root)
  const remote = defaultRemote(root)
  const localRemote = remote ? localRemoteDir(remote.url) : undefined
  const state: DvcState = {
    outputs: 0,
    modified: [],
    unverified: [],
    missing: [],
    notInCache: 0,
    remote: remote?.name,
    remoteDir: localRemote,
    notInRemote: remote && !localRemote ? null : 0,
    unpushedOutputs: [],
    cacheDir,
  }
  for (const {outPath: path, out} of await worktreeOuts(root)) {
    if (!out.md5) continue
    state.outputs++
    const abs = join(root, path)
    let {objects, manifest} = objectsOf(out, cacheDir, lookup)
    // A directory's manifest gone from the cache (after a gc) may still be in a local remote.
    if (out.isDir && !manifest && localRemote) ({objects, manifest} = objectsOf(out, localRemote, lookup))
    state.notInCache += missingObjects(cacheDir, objects, lookup).length
    if (localRemote) {
      const lacking = missingObjects(localRemote, objects, lookup).length
      state.notInRemote = (state.notInRemote ?? 0) + lacking
      if (lacking > 0) state.unpushedOutputs.push(path)
    } else if (!remote) state.unpushedOutputs.push(path)

    if (!lstatSync(abs, {throwIfNoEntry: false})) {
      state.missing.push(path)
      continue
    }

    let same: boolean | 'unverified'
    if (out.isDir) {
      if (!statSync(abs).isDirectory()) same = false
      else if (!manifest) same = 'unverified' // its file list is unknown here: 'dvc fetch' brings it back
      else {
        same = countFiles(abs) === manifest.length
        for (const e of manifest) {
          if (same === false) break
          const f = join(abs, e.relpath)
          const one = await fileMatches(f, e.md5, e.size, budget, memo)
          if (one !== true) same = one
        }
      }
    } else same = await fileMatches(abs, out.md5, out.size, budget, memo)
    if (same === false) state.modified.push(path)
    else if (same === 'unverified') state.unverified.push(path)
  }

  memo.save()
  return state
}
