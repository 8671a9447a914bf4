/**
 * The one place the model registry copies a model out of history: xv's verified get (git object
 * store → DVC cache → `dvc fetch` of exactly those objects; every byte md5-checked), never a
 * checkout over the user's tree. The copy lands on a temporary name next to DEST and replaces DEST
 * by rename, so a linked (read-only, hard- or sym-linked into the cache) file is never written in
 * place.
 */
import {randomBytes} from 'node:crypto'
import {existsSync, lstatSync, mkdirSync, renameSync, rmSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'

import type {RepoContext} from '../context.js'
import {materialiseArtifact} from './get.js'
import {locateArtifact} from './locate.js'
import type {Rev} from './revision.js'

export interface ModelCopy {
  version: string
  path: string
  dest: string
  md5?: string
  bytes: number
  /** How it was obtained: cache, remote, git, … */
  strategy: string
}

/** Where PATH lives at REV (hash and size) without copying; unknown paths are NotFoundError. */
export async function modelAt(ctx: RepoContext, rev: Rev, path: string): Promise<{md5?: string; size?: number; type: 'file' | 'dir'}> {
  const art = await locateArtifact(ctx, rev, path)
  return {md5: art.md5, size: art.size, type: art.type}
}

/** Copies PATH as it was at REV to DEST (verified), replacing DEST by rename. */
export async function copyModelAt(ctx: RepoContext, rev: Rev, path: string, dest: string): Promise<ModelCopy> {
  mkdirSync(dirname(dest), {recursive: true})
  const tmp = join(dirname(dest), `.${basename(dest)}.xv-model-${process.pid}-${randomBytes(3).toString('hex')}`)
  try {
    const got = await materialiseArtifact(ctx, rev, path, tmp)
    if (existsSync(dest) && lstatSync(dest).isDirectory() && got.type !== 'dir') rmSync(dest, {recursive: true, force: true})
    if (got.type === 'dir' && existsSync(dest)) {
      const old = `${tmp}.old`
      renameSync(dest, old)
      renameSync(tmp, dest)
      rmSync(old, {recursive: true, force: true})
    } else renameSync(tmp, dest)
    return {version: rev.name, path: got.path, dest, md5: got.md5, bytes: got.bytes, strategy: got.strategy}
  } catch (error) {
    rmSync(tmp, {recursive: true, force: true})
    throw error
  }
}
