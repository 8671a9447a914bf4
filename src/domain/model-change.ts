/**
 * How the registry commits a change to models/: DVC tracks the changed outs (and pushes them when
 * a remote exists), git commits the pointers and the registry record — and, until the commit is
 * made, every step has its undo (the registry file's old text; pointers back from HEAD and their
 * files back from the cache with `dvc checkout`).
 */
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {defaultRemote} from '../adapters/dvc.js'
import type {RepoContext} from '../context.js'
import type {UndoLog} from '../interrupt.js'

/** Remembers FILE's text (or absence) so the undo puts it back. */
export function keepForUndo(ctx: RepoContext, log: UndoLog, file: string): void {
  const abs = join(ctx.root, file)
  const before = existsSync(abs) ? readFileSync(abs) : undefined
  log.onUndo(() => {
    if (before === undefined) rmSync(abs, {force: true})
    else writeFileSync(abs, before)
  }, file)
}

/** On undo: the pointer as committed at HEAD and its out's files back from the cache. */
export function restoreOnUndo(ctx: RepoContext, log: UndoLog, pointer: string, atHead: boolean): void {
  log.onUndo(async () => {
    if (!atHead) {
      rmSync(join(ctx.root, pointer), {force: true})
      return
    }

    await ctx.git.raw(['checkout', 'HEAD', '--', pointer])
    await ctx.dvc().run(['checkout', '--force', '--quiet', '--', pointer], {what: 'restore models/ from the cache'})
  }, pointer.replace(/\.dvc$/, ''))
}

export interface Recorded {
  commit?: string
  /** Set when the DVC push of the new state failed (the change itself is committed). */
  pushWarning?: string
}

/** `dvc add TARGETS` (+ push with a remote), then `git add models/` and commit MESSAGE. */
export async function recordChange(ctx: RepoContext, targets: string[], message: string): Promise<Recorded> {
  const remote = defaultRemote(ctx.root)
  const pushWarning = targets.length > 0 ? await ctx.dvc().addAndPush({add: targets, commit: [], push: Boolean(remote)}) : undefined
  // Only models/ goes into this commit, whatever else the user has staged.
  await ctx.git.add(['models'])
  const staged = (await ctx.git.raw(['diff', '--cached', '--name-only', '--', 'models'])).trim()
  let commit: string | undefined
  if (staged) {
    await ctx.git.raw(['commit', '-q', '-m', message, '--', 'models'])
    commit = (await ctx.git.raw(['rev-parse', 'HEAD'])).trim()
  }

  return {commit, ...(pushWarning ? {pushWarning: `${pushWarning}; finish with 'dvc push'`} : {})}
}
