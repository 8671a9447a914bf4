/**
 * Cache objects whose bytes do not match their md5 (a file written through a link into the
 * cache, a disk fault). Such an object is never used: it is set aside — moved out of the cache
 * into `.dvc/tmp/xv-corrupt/`, where the user can inspect or delete it — and fetched again.
 */
import {copyFileSync, mkdirSync, renameSync, rmSync} from 'node:fs'
import {join} from 'node:path'

import {md5File} from '../adapters/dvc-objects.js'
import type {RepoContext} from '../context.js'
import {XvError} from '../errors.js'

export class CorruptObjectError extends XvError {
  readonly path: string
  readonly md5: string
  readonly label: string

  constructor(path: string, md5: string, got: string, label: string) {
    super(`corrupt cache object ${path}: its md5 is ${got}, the pointer says ${md5} (${label})`)
    this.name = 'CorruptObjectError'
    this.path = path
    this.md5 = md5
    this.label = label
  }
}

export interface SetAside {
  object: string
  movedTo: string
}

/** Moves a corrupt cache object out of the cache; returns where it went. */
export function setAside(ctx: RepoContext, path: string, md5: string): SetAside {
  const dir = join(ctx.root, '.dvc', 'tmp', 'xv-corrupt')
  mkdirSync(dir, {recursive: true})
  const movedTo = join(dir, `${md5}-${new Date().toISOString().replaceAll(':', '')}-${process.pid}`)
  try {
    renameSync(path, movedTo)
  } catch {
    copyFileSync(path, movedTo) // another filesystem (a shared cache elsewhere)
    rmSync(path, {force: true})
  }

  return {object: path, movedTo}
}

/** Budget for hashing objects only to report on them (`xv show`): 256 MB, about half a second. */
export const REPORT_HASH_BUDGET = 256 * 1024 * 1024

/** True when the file's bytes hash to md5 (a `.dir` manifest hashes to its name without `.dir`). */
export async function intact(path: string, md5: string): Promise<boolean> {
  return (await md5File(path)) === md5.toLowerCase().replace(/\.dir$/, '')
}
