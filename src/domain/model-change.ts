/**
 * How the registry commits a change to models/: DVC tracks the changed outs (and pushes them when
 * a remote exists), git commits the pointers and the registry record — and, until the commit is
 * made, every step has its undo (the registry file's old text; pointers back from HEAD and their
 * files back from the cache with `dvc checkout`).
 */
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {defaultRemote} from '../adapters/dvc.js'
import {WarmDvc, type WarmAddStep} from '../adapters/dvc-warm.js'
import {commitPaths} from '../adapters/git-paths.js'
import type {RepoContext} from '../context.js'
import {errorMessage} from '../errors.js'
import type {UndoLog} from '../interrupt.js'

/** HEAD now (undefined in a repository without commits). */
async function headOf(ctx: RepoContext): Promise<string | undefined> {
  return ctx.git.revParse('HEAD')
}

/** HEAD when the change began: the command's start (nothing commits before the change). */
function startHead(ctx: RepoContext): string | undefined {
  return ctx.location.head
}

/** Registers RUN as an undo step that does nothing once the change has been committed. */
export function undoUnlessCommitted(ctx: RepoContext, log: UndoLog, run: () => void | Promise<void>, what?: string): void {
  const head = startHead(ctx)
  log.onUndo(async () => {
    if ((await headOf(ctx)) === head) await run()
  }, what)
}

/**
 * Remembers FILE's text (or absence) so the undo puts it back — unless the change was committed
 * meanwhile (a Ctrl-C that lands after the commit undoes nothing).
 */
export function keepForUndo(ctx: RepoContext, log: UndoLog, file: string): void {
  const abs = join(ctx.root, file)
  const before = existsSync(abs) ? readFileSync(abs) : undefined
  const head = startHead(ctx)
  log.onUndo(async () => {
    if ((await headOf(ctx)) !== head) return
    if (before === undefined) rmSync(abs, {force: true})
    else writeFileSync(abs, before)
    await ctx.git.unstage([file])
  }, file)
}

/**
 * On undo: the pointer as committed at HEAD and its out's files back from the cache (unless
 * committed meanwhile). PUT_BACK first restores files itself (set aside by rename); when it says
 * every file is back, the cache is not needed.
 */
export function restoreOnUndo(ctx: RepoContext, log: UndoLog, pointer: string, putBack?: () => Promise<boolean>): void {
  const head = startHead(ctx)
  log.onUndo(async () => {
    if ((await headOf(ctx)) !== head) return
    const complete = putBack ? await putBack() : false
    if (head === undefined || !(await ctx.git.objectAt(head, pointer))) {
      rmSync(join(ctx.root, pointer), {force: true})
      await ctx.git.unstage([pointer])
      return
    }

    await ctx.git.restoreFromHead(pointer)
    if (!complete) await ctx.dvc().checkout({force: true, what: 'restore models/ from the cache'}, [pointer])
  }, pointer.replace(/\.dvc$/, ''))
}

export interface Recorded {
  commit?: string
  /** Set when the DVC push of the new state failed (the change itself is committed). */
  pushWarning?: string
}

/** DVC started by the command before the registry's modules load (startDvcEarly), taken by the change. */
let early: WarmDvc | undefined

/** Starts DVC in CWD for the registry change the command is about to make (see WarmDvc). */
export function startDvcEarly(cwd: string): void {
  early ??= WarmDvc.start(cwd)
}

/** Runs FN with DVC started at once (see WarmDvc; none for a dry run), stopped when FN ends, whatever happens. */
export async function withEarlyDvc<T>(ctx: RepoContext, dryRun: boolean, fn: (dvc?: WarmDvc) => Promise<T>): Promise<T> {
  const started = early
  early = undefined
  if (dryRun) started?.cancel()
  const dvc = dryRun ? undefined : (started ?? WarmDvc.start(ctx.root))
  try {
    return await fn(dvc)
  } finally {
    dvc?.cancel()
  }
}

/**
 * `dvc add TARGETS` (+ push with a remote; KNOWN hashes are not computed again), then
 * `git add models/` and a commit of models/ only, whatever else the user has staged.
 */
export async function recordChange(ctx: RepoContext, warm: WarmDvc | undefined, targets: string[], message: string, known: WarmAddStep['known'] = [], alsoCommit: string[] = []): Promise<Recorded> {
  const dvc = warm ?? WarmDvc.start(ctx.root)
  // The working copy already holds verified private copies: no re-linking from the cache.
  const abs = (path: string) => join(ctx.root, path)
  await dvc.add({add: targets.map(abs), known: known.map((k) => ({...k, path: abs(k.path)})), relink: false})
  let pushWarning: string | undefined
  if (defaultRemote(ctx.root)) {
    const pointers = targets.map((t) => `${t}.dvc`)
    pushWarning = await ctx.dvc().push({what: 'push the models'}, pointers).then(() => undefined, (error: unknown) => errorMessage(error))
  }

  const commit = await commitPaths(ctx.git, message, ['models', ...alsoCommit])
  return {commit, ...(pushWarning ? {pushWarning: `${pushWarning}; finish with 'dvc push'`} : {})}
}
