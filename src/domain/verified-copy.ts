/**
 * Copies that verify every byte: the content is hashed while it is written (md5 for DVC objects,
 * git's blob id for git objects) into a temporary name next to OUT, which is renamed into place
 * only when it verified. The temporary name is removed on error, SIGINT and SIGTERM (withUndo).
 */
import {createHash, randomBytes} from 'node:crypto'
import {existsSync, lstatSync, renameSync, rmSync} from 'node:fs'
import {open as openAsync, type FileHandle} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {findCacheObject} from '../adapters/dvc.js'
import type {RepoContext} from '../context.js'
import {XvError} from '../errors.js'
import {withUndo} from '../interrupt.js'
import type {FileObject} from './cache-plan.js'
import {CorruptObjectError} from './corrupt-objects.js'

const CHUNK = 8 * 1024 * 1024

/**
 * Copies src to dest (or to several destinations at once) hashing what is written in the same
 * pass (reads of the next chunk overlap the hash and the writes of this one). Returns md5 hex and bytes.
 */
export async function copyHashing(src: string, dest: string | string[]): Promise<{md5: string; bytes: number}> {
  const input = await openAsync(src, 'r')
  const outputs: FileHandle[] = []
  const hash = createHash('md5')
  let bytes = 0
  try {
    for (const d of typeof dest === 'string' ? [dest] : dest) outputs.push(await openAsync(d, 'wx', 0o644))
    let [next, spare] = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)]
    let pending = input.read(next, 0, CHUNK, null)
    let write: Promise<unknown> = Promise.resolve()
    for (;;) {
      const {bytesRead} = await pending
      if (bytesRead === 0) break
      const cur = next
      await write
      ;[next, spare] = [spare, cur]
      pending = input.read(next, 0, CHUNK, null)
      const chunk = cur.subarray(0, bytesRead)
      write = Promise.all(outputs.map((o) => o.write(chunk, 0, bytesRead)))
      hash.update(chunk)
      bytes += bytesRead
    }

    await write
  } finally {
    await input.close()
    for (const o of outputs) await o.close()
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
export async function copyCacheObject(cacheDir: string, obj: FileObject, dest: string, label: string): Promise<number> {
  const src = findCacheObject(cacheDir, obj.md5)
  if (!src) throw new XvError(`cache object ${obj.md5} (${label}) disappeared from ${cacheDir} during the copy`)
  const {md5, bytes} = await copyHashing(src, dest)
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
