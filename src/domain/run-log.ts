/**
 * The log of a run: stdout and stderr as they arrive, kept in memory up to a cap (the tail is
 * kept, the head dropped and counted) and written gzip-compressed under the results folder
 * (`results/runs/<run>.log.gz`), which `xv tag` commits with the results.
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join, posix} from 'node:path'
import {gzipSync} from 'node:zlib'

/** Uncompressed tail kept: its gzip stays below xv.yaml's default maxGitFileSize (1 MiB), so git takes it. */
const LOG_CAP_BYTES = 768 * 1024
const STDERR_TAIL_LINES = 20

export class TailBuffer {
  private chunks: Buffer[] = []
  private size = 0
  dropped = 0

  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size > this.cap) {
      const first = this.chunks[0]
      if (!first) break
      const excess = this.size - this.cap
      if (first.length <= excess) {
        this.chunks.shift()
        this.size -= first.length
        this.dropped += first.length
      } else {
        this.chunks[0] = first.subarray(excess)
        this.size -= excess
        this.dropped += excess
      }
    }
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks)
  }

  /** The last N lines as text. */
  lastLines(n: number): string {
    const lines = this.toBuffer().toString('utf8').replace(/\n+$/, '').split('\n')
    return lines.slice(-n).join('\n')
  }
}

export class RunLog {
  readonly all = new TailBuffer(LOG_CAP_BYTES)
  readonly stderr = new TailBuffer(64 * 1024)

  out(chunk: Buffer): void {
    this.all.push(chunk)
  }

  err(chunk: Buffer): void {
    this.all.push(chunk)
    this.stderr.push(chunk)
  }

  stderrTail(): string {
    return this.stderr.lastLines(STDERR_TAIL_LINES)
  }

  /** Writes the compressed log; returns its path relative to ROOT. */
  write(root: string, resultsDir: string, runId: string): string {
    const rel = join(resultsDir, 'runs', `${runId}.log.gz`)
    const abs = join(root, rel)
    mkdirSync(dirname(abs), {recursive: true})
    const head = this.all.dropped > 0 ? Buffer.from(`[xv: ${this.all.dropped} earlier bytes dropped; the last ${LOG_CAP_BYTES} kept]\n`) : Buffer.alloc(0)
    writeFileSync(abs, gzipSync(Buffer.concat([head, this.all.toBuffer()])))
    return rel
  }
}

/** The folder of the run logs for the result database DB (relative to the root): `<results>/runs`. */
export function runLogsDir(db: string): string {
  const dir = posix.dirname(db)
  return `${dir === '.' ? 'results' : dir}/runs`
}

/** True for the file name of a run log xv wrote (`<run>.log.gz`). */
export function isRunLogName(name: string): boolean {
  return /^r[\w-]+\.log\.gz$/.test(name)
}

/** True for a run log xv wrote (`<results>/runs/<run>.log.gz`): committed with the results, not a data file. */
export function isRunLog(path: string, db: string): boolean {
  return posix.dirname(path) === runLogsDir(db) && isRunLogName(posix.basename(path))
}
