/**
 * Files an experiment writes are never links into the shared DVC cache. In a worktree whose DVC
 * links files from the cache (hardlink or symlink; read-only, which root ignores), rewriting a
 * linked file in place would change the cached object of every version that uses it. So the files
 * of xv.yaml `writes:` (default: the artifacts) and the result database are private files: a
 * copy-on-write clone where the filesystem supports it, else a copy. Everything else (data inputs,
 * large stage outputs) stays linked.
 */
import {chmodSync, constants, copyFileSync, lstatSync, readdirSync, renameSync, rmSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'

import {loadConfig, writesOf, type XvConfig} from '../config.js'
import {rememberCheckout} from './dvc-state.js'

/** True when PATH is a link into a cache: a symlink, or a hard link with other names. */
export function isLinked(path: string): boolean {
  const l = lstatSync(path, {throwIfNoEntry: false})
  if (!l) return false
  return l.isSymbolicLink() || (l.isFile() && l.nlink > 1)
}

/**
 * The one `unprotect` (what `dvc unprotect` does): a file that is a link into the DVC cache becomes
 * a private, writable file in place — a copy-on-write clone where supported, else a copy. Returns
 * whether the file was linked.
 */
export function unprotect(path: string): boolean {
  if (!isLinked(path) || !statSync(path, {throwIfNoEntry: false})?.isFile()) return false
  const tmp = `${path}.xv-unprotect-${process.pid}`
  try {
    copyFileSync(path, tmp, constants.COPYFILE_FICLONE)
    chmodSync(tmp, 0o644)
    renameSync(tmp, path)
  } finally {
    rmSync(tmp, {force: true})
  }

  return true
}

/** The paths (relative to the worktree root) an experiment writes: xv.yaml `writes:` and the result database. */
export function writePaths(config: XvConfig): string[] {
  return [...new Set([config.db, ...writesOf(config)])]
}

/** The xv.yaml of a worktree, or FALLBACK when it has none that loads. */
export function configOf(root: string, fallback: XvConfig): XvConfig {
  try {
    return loadConfig(root)
  } catch {
    return fallback
  }
}

function filesUnder(abs: string, rel: string): string[] {
  const l = lstatSync(abs, {throwIfNoEntry: false})
  if (!l) return []
  if (!l.isDirectory()) return [rel]
  return readdirSync(abs).flatMap((name) => filesUnder(join(abs, name), `${rel}/${name}`))
}

/** Makes the files at PATHS (relative to ROOT; a folder means every file in it) private; returns those that were links. */
export function makePrivate(root: string, paths: string[]): string[] {
  const done: string[] = []
  for (const rel of paths) {
    if (relative(root, join(root, rel)).startsWith('..')) continue // never outside the worktree
    for (const file of filesUnder(join(root, rel), rel.replace(/\/+$/, ''))) if (unprotect(join(root, file))) done.push(file)
  }

  return done
}

/**
 * After `dvc add` (which links the added files back from the cache when the link type is hardlink
 * or symlink), the files an experiment writes become private again, so the next run cannot write
 * through them into the objects just tagged. Returns the files made private.
 */
export async function keepWritesPrivate(root: string, config: XvConfig): Promise<string[]> {
  const done = makePrivate(root, writePaths(config))
  if (done.length > 0) await rememberCheckout(root)
  return done
}
