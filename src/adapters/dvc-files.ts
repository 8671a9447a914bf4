/** DVC's own files read directly: pointer files, dvc.lock, `.dir` manifests and where a cache object lives. */
import {existsSync} from 'node:fs'
import {join, posix} from 'node:path'
import {parseYaml} from '../yaml.js'

import {XvError} from '../errors.js'

export interface DvcOut {
  path: string
  md5?: string
  size?: number
  nfiles?: number
  /** True when md5 names a `.dir` manifest. */
  isDir: boolean
}

export interface DirEntry {
  md5: string
  relpath: string
  size?: number
}

/** Where a cache object lives, DVC 3 layout first then DVC 2. */
export function cacheObjectCandidates(cacheDir: string, md5: string): string[] {
  const h = md5.toLowerCase()
  return [join(cacheDir, 'files', 'md5', h.slice(0, 2), h.slice(2)), join(cacheDir, h.slice(0, 2), h.slice(2))]
}

export function findCacheObject(cacheDir: string, md5: string): string | undefined {
  return cacheObjectCandidates(cacheDir, md5).find((p) => existsSync(p))
}

function toOut(o: Record<string, unknown> | null | undefined): DvcOut | undefined {
  if (!o || typeof o.path !== 'string') return undefined
  const md5 = typeof o.md5 === 'string' ? o.md5 : undefined
  return {
    path: o.path,
    md5,
    size: typeof o.size === 'number' ? o.size : undefined,
    nfiles: typeof o.nfiles === 'number' ? o.nfiles : undefined,
    isDir: Boolean(md5?.endsWith('.dir')),
  }
}

/** The outs of a `.dvc` pointer file (paths relative to the pointer's directory). */
export function parsePointer(text: string): DvcOut[] {
  const doc = parseYaml(text) as {outs?: Array<Record<string, unknown>>} | null
  return (doc?.outs ?? []).map(toOut).filter((o): o is DvcOut => Boolean(o))
}

export interface LockOut extends DvcOut {
  stage: string
}

/** The outs of every stage of a `dvc.lock` (paths relative to the lock file's directory). */
export function parseLock(text: string): LockOut[] {
  const doc = parseYaml(text) as {stages?: Record<string, {outs?: Array<Record<string, unknown>>} | null>} | null
  const outs: LockOut[] = []
  for (const [stage, body] of Object.entries(doc?.stages ?? {})) {
    for (const o of body?.outs ?? []) {
      const out = toOut(o)
      if (out) outs.push({...out, stage})
    }
  }

  return outs
}

/** True for the files that declare DVC outs: `*.dvc` pointers and `dvc.lock`. */
export function isPointerFile(path: string): boolean {
  return path.endsWith('.dvc') || posix.basename(path) === 'dvc.lock'
}

/** An out declared by a pointer or lock file, with its repository-relative path. */
export interface DeclaredOut {
  /** The pointer or dvc.lock file (repository-relative, '/'-separated). */
  pointer: string
  out: DvcOut
  /** The out's path relative to the repository root ('/'-separated, normalised, no trailing '/'). */
  outPath: string
}

/**
 * The DVC outs declared by pointer files and dvc.lock files (paths relative to the repository
 * root, '/'-separated). Every caller uses this one path rule; only where the files come from (a git
 * tree, the index, the working copy) differs. A file that does not parse declares nothing.
 */
export function declaredOuts(files: Array<{path: string; text: string}>): DeclaredOut[] {
  const found: DeclaredOut[] = []
  for (const file of files) {
    const pointer = file.path.replaceAll('\\', '/')
    let outs: DvcOut[]
    try {
      outs = posix.basename(pointer) === 'dvc.lock' ? parseLock(file.text) : parsePointer(file.text)
    } catch {
      continue
    }

    const dir = posix.dirname(pointer)
    for (const out of outs) {
      const outPath = posix.normalize(dir === '.' ? out.path : `${dir}/${out.path}`).replace(/\/+$/, '').replace(/^\.\//, '')
      found.push({pointer, out, outPath})
    }
  }

  return found
}

/** A `.dir` manifest object. */
export function parseDirManifest(text: string): DirEntry[] {
  const doc = JSON.parse(text) as DirEntry[]
  if (!Array.isArray(doc)) throw new XvError('corrupt DVC directory manifest (not a list)')
  return doc
}
