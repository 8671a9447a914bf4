/**
 * Run logs travel with `xv merge` (issue 10): each run's compressed log (`<results>/runs/<run>.log.gz`)
 * lives beside the result database, so merging a worktree or a version into this worktree's
 * database also brings the logs it lacks — from the worktree's folder, or from the tag's tree (one
 * listing, one batched object read, no checkout). A log already here is kept; nothing is deleted.
 * Each log is written under a temporary name and renamed, so an interrupted merge never leaves a
 * half log that would then count as "already here".
 */
import {copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {join, posix} from 'node:path'

import {treeFiles} from '../adapters/git-read.js'
import type {RepoContext} from '../context.js'
import {isRunLogName, runLogsDir} from './run-log.js'
import {stagingName} from './verified-copy.js'

export type LogSource = {kind: 'worktree'; root: string; db: string} | {kind: 'version'; rev: string}

/** Copies the run logs of SOURCES this worktree lacks; returns their paths (relative to the root). */
export async function bringRunLogs(ctx: RepoContext, sources: LogSource[]): Promise<string[]> {
  const rel = runLogsDir(ctx.config.db)
  const into = join(ctx.root, rel)
  const wanted = (name: string, taken: Set<string>) => isRunLogName(name) && !taken.has(name) && !existsSync(join(into, name))
  const copied = new Set<string>()
  for (const s of sources) {
    if (s.kind === 'worktree') {
      const from = join(s.root, runLogsDir(s.db))
      const names = existsSync(from) ? readdirSync(from).filter((n) => wanted(n, copied)) : []
      if (names.length > 0) mkdirSync(into, {recursive: true})
      for (const name of names) {
        place(join(into, name), (tmp) => copyFileSync(join(from, name), tmp))
        copied.add(name)
      }
    } else {
      const entries = (await treeFiles(ctx.git, s.rev, [rel])).filter((e) => e.type === 'blob' && wanted(posix.basename(e.path), copied))
      const blobs = await ctx.git.catFileBatch(entries.map((e) => e.oid))
      for (const e of entries) {
        const blob = blobs.get(e.oid)
        if (!blob) continue
        mkdirSync(into, {recursive: true})
        place(join(into, posix.basename(e.path)), (tmp) => writeFileSync(tmp, blob))
        copied.add(posix.basename(e.path))
      }
    }
  }

  return [...copied].sort().map((n) => posix.join(rel, n))
}

/** Writes TARGET through WRITE into a temporary name next to it, then renames it into place. */
function place(target: string, write: (tmp: string) => void): void {
  const tmp = stagingName(target)
  try {
    write(tmp)
    renameSync(tmp, target)
  } catch (error) {
    rmSync(tmp, {force: true})
    throw error
  }
}
