/**
 * Half-made worktrees: `xv worktree new` / `xv explore` killed with SIGKILL (no undo can run) leave
 * a folder, a worktree record and a branch. Creation writes a marker first
 * (`<git common dir>/xv/creating/<folder>.json`, with the creating process id) and removes it when
 * done or rolled back; a marker whose process is gone names a half-made worktree. The next run for
 * the same folder cleans it; `xv doctor` reports them through `findHalfMadeWorktrees`.
 */
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {basename, join, resolve} from 'node:path'

import {Git} from '../adapters/git.js'
import {branchExists, deleteBranch, pruneWorktrees, removeWorktree} from '../adapters/git-worktrees.js'
import type {RepoContext} from '../context.js'

export interface HalfMadeWorktree {
  path: string
  /** The branch the killed run was creating (deleted when cleaned), if any. */
  branch?: string
  pid: number
  started: string
  /** The command that cleans it. */
  fix: string
}

function markerDir(ctx: RepoContext): string {
  return join(ctx.location.commonDir, 'xv', 'creating')
}

function markerFile(ctx: RepoContext, path: string): string {
  return join(markerDir(ctx), `${basename(path)}.json`)
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Records that this process starts creating the worktree at PATH; returns the function that forgets it. */
export function markCreating(ctx: RepoContext, path: string, branch?: string): () => void {
  const file = markerFile(ctx, path)
  mkdirSync(markerDir(ctx), {recursive: true})
  writeFileSync(file, JSON.stringify({path, branch, pid: process.pid, started: new Date().toISOString()}))
  return () => rmSync(file, {force: true})
}

/** Worktrees whose creation was killed (its process is gone), with the command that cleans each. */
export function findHalfMadeWorktrees(ctx: RepoContext): HalfMadeWorktree[] {
  let names: string[]
  try {
    names = readdirSync(markerDir(ctx)).filter((n) => n.endsWith('.json'))
  } catch {
    return []
  }

  const found: HalfMadeWorktree[] = []
  for (const name of names) {
    try {
      const m = JSON.parse(readFileSync(join(markerDir(ctx), name), 'utf8')) as Omit<HalfMadeWorktree, 'fix'>
      if (typeof m.pid !== 'number' || typeof m.path !== 'string' || alive(m.pid)) continue
      const fix = m.branch ? `xv worktree new ${basename(m.path).replace(/^exp-/, '')}` : `xv explore ${basename(m.path).replace(/^explore-/, '')}`
      found.push({...m, fix})
    } catch {
      // a marker being written right now, or garbage: not a half-made worktree
    }
  }

  return found
}

/** Cleans a half-made worktree at PATH left by a killed run, if there is one; returns the note that says so. */
export async function cleanHalfMadeAt(ctx: RepoContext, path: string): Promise<string | undefined> {
  const half = findHalfMadeWorktrees(ctx).find((h) => resolve(h.path) === resolve(path))
  if (!half) return undefined
  await cleanHalfMade(ctx, half)
  return `cleaned up ${half.path}${half.branch ? ` and branch ${half.branch}` : ''}, left half-made by a killed run (process ${half.pid})`
}

/** Removes what a killed creation left: the worktree (folder and record), its branch, the marker. */
export async function cleanHalfMade(ctx: RepoContext, half: HalfMadeWorktree): Promise<void> {
  const git = new Git(ctx.mainRoot)
  await removeWorktree(git, half.path, true).catch(() => {})
  rmSync(half.path, {recursive: true, force: true})
  await pruneWorktrees(git)
  if (half.branch && (await branchExists(git, half.branch))) await deleteBranch(git, half.branch)
  rmSync(markerFile(ctx, half.path), {force: true})
}
