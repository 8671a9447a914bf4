/**
 * Run logs travel with `xv merge` (issue 10): each run's compressed log (`<results>/runs/<run>.log.gz`)
 * lives beside the result database, so merging a worktree or a version into this worktree's
 * database also brings the logs it lacks — from the worktree's folder, or from the tag's tree (one
 * listing, one batched object read, no checkout). A log already here is kept; nothing is deleted.
 */
import {copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {join, posix} from 'node:path'

import {treeFiles} from '../adapters/git-read.js'
import type {RepoContext} from '../context.js'
import {isRunLogName, runLogsDir} from './run-log.js'

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
        copyFileSync(join(from, name), join(into, name))
        copied.add(name)
      }
    } else {
      const entries = (await treeFiles(ctx.git, s.rev, [rel])).filter((e) => e.type === 'blob' && wanted(posix.basename(e.path), copied))
      const blobs = await ctx.git.catFileBatch(entries.map((e) => e.oid))
      for (const e of entries) {
        const blob = blobs.get(e.oid)
        if (!blob) continue
        mkdirSync(into, {recursive: true})
        writeFileSync(join(into, posix.basename(e.path)), blob)
        copied.add(posix.basename(e.path))
      }
    }
  }

  return [...copied].sort().map((n) => posix.join(rel, n))
}
