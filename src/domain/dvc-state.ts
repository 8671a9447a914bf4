/**
 * The DVC state of a worktree read without running dvc: its outs (from the pointer files and
 * dvc.lock files of its index), whether each file still holds its recorded object, and which
 * objects the cache and a local remote lack.
 */
import {existsSync, lstatSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {
  cacheDirOf,
  declaredOuts,
  defaultRemote,
  fileMatches,
  isDvcRepo,
  isPointerFile,
  localRemoteDir,
  missingObjects,
  objectsOf,
  ObjectLookup,
  type DeclaredOut,
} from '../adapters/dvc.js'
import {indexPaths, lsFilesOf} from '../adapters/git.js'

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
    notInRemote: remote && !localRemote ? null : 0,
    unpushedOutputs: [],
    cacheDir,
  }
  for (const {outPath: path, out} of await worktreeOuts(root)) {
    if (!out.md5) continue
    state.outputs++
    const abs = join(root, path)
    const {objects, manifest} = objectsOf(out, cacheDir, lookup)
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
      if (!statSync(abs).isDirectory() || !manifest) same = false
      else {
        same = countFiles(abs) === manifest.length
        for (const e of manifest) {
          if (same === false) break
          const f = join(abs, e.relpath)
          const one = await fileMatches(f, e.md5, e.size, cacheDir, budget, lookup)
          if (one !== true) same = one
        }
      }
    } else same = statSync(abs).isFile() && (await fileMatches(abs, out.md5, out.size, cacheDir, budget, lookup))
    if (same === false) state.modified.push(path)
    else if (same === 'unverified') state.unverified.push(path)
  }

  return state
}
