/**
 * Copies that verify every byte: the content is hashed while it is written (md5 for DVC objects,
 * git's blob id for git objects) into a temporary name next to OUT, which is renamed into place
 * only when it verified. The temporary name is removed on error, SIGINT and SIGTERM (withUndo).
 * Long verifications report to the ProgressReporter the caller passes (ctx.progress).
 */
import {createHash, randomBytes} from 'node:crypto'
import {constants, createReadStream, existsSync, lstatSync, renameSync, rmSync} from 'node:fs'
import {chmod, copyFile} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {findCacheObject} from '../adapters/dvc-files.js'
import type {RepoContext} from '../context.js'
import {XvError} from '../errors.js'
import {withUndo} from '../interrupt.js'
import type {FileObject} from './cache-plan.js'
import {CorruptObjectError} from './corrupt-objects.js'
import {silentProgress, type ProgressReporter} from './progress.js'

/**
 * Copies src to dest — or along a chain src → dest[0] → dest[1] … — with the kernel's copy
 * (copy_file_range: no bytes through JavaScript), then hashes the LAST file written by reading it
 * back: what is verified is what landed on disk, and as the last file is a copy of a copy it
 * vouches for every link of the chain. Returns md5 hex and bytes. Each dest is created (never
 * overwritten) with mode 0644.
 */
export async function copyHashing(src: string, dest: string | string[], progress: ProgressReporter = silentProgress): Promise<{md5: string; bytes: number}> {
  let from = src
  for (const d of typeof dest === 'string' ? [dest] : dest) {
    await copyFile(from, d, constants.COPYFILE_EXCL)
    await chmod(d, 0o644)
    from = d
  }

  const hash = createHash('md5')
  let bytes = 0
  const input = createReadStream(from, {highWaterMark: 4 * 1024 * 1024})
  const name = basename(from).replace(/^\.(.*)\.xv-tmp-.*$/, '$1')
  const bar = await progress({label: `verifying ${name}`, total: lstatSync(from).size, unit: 'bytes'})
  try {
    for await (const chunk of input) {
      hash.update(chunk as Buffer)
      bytes += (chunk as Buffer).length
      bar.tick((chunk as Buffer).length)
    }
  } finally {
    bar.stop()
  }

  return {md5: hash.digest('hex'), bytes}
}

/** Writes a git blob to dest and checks its object id (sha1 of `blob SIZE\0` + content). */
export async function writeGitBlob(ctx: RepoContext, oid: string, size: number, dest: string, label: string): Promise<number> {
  const hash = createHash('sha1').update(`blob ${size}\0`)
  const bytes = await ctx.git.writeBlob(oid, dest, (chunk) => hash.update(chunk))
  const got = hash.digest('hex')
  if (got !== oid) throw new XvError(`git object ${oid} (${label}) did not verify (got ${got}); run 'git fsck' to check the repository`)
  return bytes
}

/** Copies a cache object to dest; a CorruptObjectError when its bytes do not match its md5. */
export async function copyCacheObject(cacheDir: string, obj: FileObject, dest: string, label: string, progress: ProgressReporter = silentProgress): Promise<number> {
  const src = findCacheObject(cacheDir, obj.md5)
  if (!src) throw new XvError(`cache object ${obj.md5} (${label}) disappeared from ${cacheDir} during the copy`)
  const {md5, bytes} = await copyHashing(src, dest, progress)
  if (md5 !== obj.md5.toLowerCase()) throw new CorruptObjectError(src, obj.md5, md5, label)
  return bytes
}

/** The temporary name next to OUT: `.OUT.xv-tmp-<pid>-<random>` (the pid tells whether its writer is alive). */
export function stagingName(out: string): string {
  return join(dirname(out), `.${basename(out)}.xv-tmp-${process.pid}-${randomBytes(4).toString('hex')}`)
}

/** Runs fn with a temporary name next to OUT, removed on error, SIGINT and SIGTERM. */
export async function withStaging<T>(out: string, fn: (tmp: string) => Promise<T>): Promise<T> {
  return withUndo(async (log) => {
    const tmp = stagingName(out)
    log.onUndo(() => rmSync(tmp, {recursive: true, force: true}))
    return fn(tmp)
  }, {quietRollback: true})
}

/** Moves a verified staging file or directory to OUT (replacing OUT when forced). */
export function commitStaging(tmp: string, out: string): void {
  if (existsSync(out) && lstatSync(out).isDirectory()) {
    const old = `${tmp}.old`
    renameSync(out, old)
    renameSync(tmp, out)
    rmSync(old, {recursive: true, force: true})
  } else renameSync(tmp, out)
}
