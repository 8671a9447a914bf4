/**
 * Git objects and refs read and written directly (stdin input for cat-file and hash-object,
 * streamed blobs, timeouts on the remote verbs) — what version claims and time travel stand on.
 */
import {spawn} from 'node:child_process'
import {createWriteStream} from 'node:fs'
import {pipeline} from 'node:stream/promises'

import {XvError} from '../errors.js'
import {firstGitLine} from './git-failure.js'
import {GitRunner} from './git-runner.js'

export class GitObjects extends GitRunner {
  /** Content of PATH at REV as a buffer, or undefined when absent. */
  async showFile(rev: string, path: string): Promise<Buffer | undefined> {
    try {
      const {execa} = await import('execa')
      const out = await execa('git', ['cat-file', 'blob', `${rev}:${path}`], {
        cwd: this.cwd,
        encoding: 'buffer',
        stripFinalNewline: false,
      })
      return Buffer.from(out.stdout)
    } catch {
      return undefined
    }
  }

  /** Object id and type of REV:PATH, or undefined when PATH does not exist at REV. */
  async objectAt(rev: string, path: string): Promise<{oid: string; type: string; size: number} | undefined> {
    try {
      const {execa} = await import('execa')
      const res = await execa('git', ['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], {
        cwd: this.cwd,
        input: `${rev}:${path}\n`,
      })
      const [oid = '', type, size] = res.stdout.trim().split(' ')
      if (!type || type === 'missing' || !size) return undefined
      return {oid, type, size: Number(size)}
    } catch {
      return undefined
    }
  }

  /** Streams a blob into a file; returns the bytes written. */
  async writeBlob(oid: string, dest: string, onChunk?: (chunk: Buffer) => void): Promise<number> {
    const {execa} = await import('execa')
    const child = execa('git', ['cat-file', 'blob', oid], {cwd: this.cwd, buffer: false, encoding: 'buffer'})
    let bytes = 0
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      onChunk?.(chunk)
    })
    await Promise.all([pipeline(child.stdout, createWriteStream(dest)), child])
    return bytes
  }

  /** Tag names only (one for-each-ref). */
  async listTagNames(): Promise<string[]> {
    const res = await this.exec(['for-each-ref', '--format=%(refname:strip=2)', 'refs/tags'])
    if (res.exitCode !== 0) throw new XvError(`git for-each-ref failed: ${firstGitLine(res.stderr)}`)
    return res.stdout.split('\n').filter(Boolean)
  }

  /** Writes TEXT as a blob object; returns its id. */
  async hashObject(text: string): Promise<string> {
    const res = await this.exec(['hash-object', '-w', '--stdin'], {input: text})
    if (res.exitCode !== 0) throw new XvError(`git hash-object failed: ${firstGitLine(res.stderr)}`)
    return res.stdout.trim()
  }

  /** Contents of several objects in one `cat-file --batch`; missing ones are absent from the map. */
  async catFileBatch(oids: string[]): Promise<Map<string, Buffer>> {
    const result = new Map<string, Buffer>()
    if (oids.length === 0) return result
    const buf = await batchRead(this.cwd, `${oids.join('\n')}\n`)
    let off = 0
    for (const oid of oids) {
      const nl = buf.indexOf(10, off)
      if (nl < 0) break
      const header = buf.toString('utf8', off, nl).split(' ')
      off = nl + 1
      if (header[1] === 'missing' || header.length < 3) continue
      const size = Number(header[2])
      result.set(oid, buf.subarray(off, off + size))
      off += size + 1
    }

    return result
  }

  /** Creates REF at OID only if REF does not exist (atomic); false when it already exists. */
  async createRefIfAbsent(ref: string, oid: string): Promise<boolean> {
    const res = await this.exec(['update-ref', '--no-deref', ref, oid, ''])
    if (res.exitCode === 0) return true
    if (/exists|reference already|unable to lock|cannot lock/i.test(res.stderr)) return false
    throw new XvError(`git update-ref failed: ${firstGitLine(res.stderr)}`)
  }

  /** Deletes REF (only if it still points at OID, when given); false when it did not exist or moved. */
  async deleteRefIfMatches(ref: string, oid?: string): Promise<boolean> {
    const res = await this.exec(['update-ref', '-d', ref, ...(oid ? [oid] : [])])
    return res.exitCode === 0
  }

  /**
   * Pushes OID to REF on REMOTE only if the remote does not have REF yet
   * (`--force-with-lease=REF:`): 'taken' when it has one, 'unreachable' when the remote cannot be reached.
   */
  async pushRefCreateOnly(remote: string, ref: string, oid: string, timeoutMs: number): Promise<'pushed' | 'taken' | 'unreachable'> {
    const res = await this.exec(['push', '--porcelain', `--force-with-lease=${ref}:`, remote, `${oid}:${ref}`], {timeoutMs})
    if (res.exitCode === 0) return 'pushed'
    if (res.timedOut) return 'unreachable'
    if (/stale info|\[rejected\]|already exists|fetch first|non-fast-forward/i.test(res.stdout + res.stderr)) return 'taken'
    return 'unreachable'
  }

  /** Deletes REF on REMOTE. */
  async deleteRemoteRef(remote: string, ref: string, timeoutMs: number): Promise<void> {
    const res = await this.exec(['push', '--porcelain', remote, `:${ref}`], {timeoutMs})
    if (res.exitCode !== 0) throw new XvError(`git push --delete ${ref} failed: ${firstGitLine(res.stderr)}`)
  }

  /** Fetches REFSPECS from REMOTE (with --prune when asked); false when the remote could not be reached. */
  async fetchRefs(remote: string, refspecs: string[], timeoutMs: number, prune = false): Promise<boolean> {
    const res = await this.exec(['fetch', '--quiet', '--no-tags', ...(prune ? ['--prune'] : []), remote, ...refspecs], {timeoutMs})
    return res.exitCode === 0
  }
}

/**
 * The stdout of `git cat-file --batch` fed INPUT (plain child_process: this read is on the start-up
 * path of list/lineage/run, and execa's module graph costs more CPU than the read). Empty on failure.
 */
function batchRead(cwd: string, input: string): Promise<Buffer> {
  return new Promise((done) => {
    const chunks: Buffer[] = []
    const child = spawn('git', ['cat-file', '--batch'], {cwd, stdio: ['pipe', 'pipe', 'ignore']})
    child.stdout.on('data', (c: Buffer) => chunks.push(c))
    child.on('error', () => done(Buffer.alloc(0)))
    child.on('close', () => done(Buffer.concat(chunks)))
    child.stdin.on('error', () => {}) // git gone early: its exit ends the read
    child.stdin.end(input)
  })
}
