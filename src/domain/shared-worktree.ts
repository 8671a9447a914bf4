/**
 * A git worktree whose DVC shares the main worktree's cache: what `xv worktree new` and `xv explore`
 * create. Everything is checked before `git worktree add` (plan); the creation runs under
 * `withUndo`, so an error, Ctrl-C or SIGTERM at any step removes the half-made worktree and branch.
 *
 * Link type: DVC's cache is shared by pointing `.dvc/config.local` at the main worktree's cache,
 * and `cache.type` is the cheapest link that really works between the cache and the new worktree
 * (probed: reflink, else hardlink, else symlink). With hardlink/symlink DVC makes the linked files
 * read-only, but root ignores that: a script that rewrites such a file in place would change the
 * cached object. So the files an experiment writes are made private (private-files.ts).
 */
import {existsSync, lstatSync, mkdirSync, rmdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'

import {cacheDirOf, defaultRemote, isDvcRepo, localRemoteDir, requireDvc, Dvc} from '../adapters/dvc.js'
import {probeLinkType, type LinkType} from '../adapters/dvc-objects.js'
import {Git} from '../adapters/git.js'
import {addWorktree, branchExists, deleteBranch, pruneWorktrees, removeWorktree} from '../adapters/git-worktrees.js'
import type {RepoContext} from '../context.js'
import {RefusedError, UsageError, XvError, errorMessage} from '../errors.js'
import {isWritable} from '../fs-access.js'
import {withUndo, type UndoLog} from '../interrupt.js'
import {rememberCheckout, worktreeOuts} from './dvc-state.js'
import {markCreating} from './half-made.js'
import {configOf, makePrivate, writePaths} from './private-files.js'
import {shareDvcSettings} from './temp-worktree.js'

export interface SharedWorktreePlan {
  path: string
  /** New branch to create, or undefined for a detached worktree. */
  branch?: string
  commit: string
  /** undefined: plain git worktree (no DVC at the source). */
  dvc?: {cacheDir: string; linkType: LinkType}
  notes: string[]
}

export interface SharedWorktreeResult extends SharedWorktreePlan {
  /** Files made private (writable copies, not links into the cache) after the checkout. */
  unprotected: string[]
}

function lstatExists(path: string): boolean {
  return lstatSync(path, {throwIfNoEntry: false}) !== undefined
}

/** The cache the new worktree will use: --cache, else xv.yaml `cache`, else the main worktree's. */
export function sharedCacheDir(ctx: RepoContext, override?: string): string {
  if (override !== undefined) return resolve(process.cwd(), localRemoteDir(override) ?? override)
  const configured = ctx.config.cache ? localRemoteDir(ctx.config.cache) : undefined
  if (configured) return resolve(ctx.mainRoot, configured)
  return cacheDirOf(ctx.mainRoot)
}

function nearestExisting(path: string): string {
  let p = path
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p)
  return p
}

/**
 * Proves that DIR can be a DVC cache by doing what DVC will do — create the missing folders one by
 * one and write a file — then removes what it made. One line when it cannot (never a retry loop:
 * `mkdir -p` under /proc spins forever).
 */
function checkCacheDir(dir: string, flag: string): void {
  const made: string[] = []
  const fail = (why: string): never => {
    throw new UsageError(`the DVC cache ${dir} is not writable (${why}); fix its permissions or pass ${flag} DIR (a writable folder)`)
  }

  try {
    const missing: string[] = []
    for (let p = dir; !lstatExists(p); p = dirname(p)) {
      missing.unshift(p)
      if (dirname(p) === p) break
    }

    for (const d of missing) {
      mkdirSync(d)
      made.push(d)
    }

    if (!statSync(dir).isDirectory()) fail('not a directory')
    const probe = join(dir, `.xv-write-probe-${process.pid}`)
    writeFileSync(probe, '')
    rmSync(probe, {force: true})
  } catch (error) {
    if (error instanceof XvError) throw error
    fail((error as NodeJS.ErrnoException).code ?? errorMessage(error))
  } finally {
    for (const d of made.reverse()) {
      try {
        rmdirSync(d)
      } catch {
        // not empty any more: someone else uses it
      }
    }
  }
}

/**
 * Checks everything a shared worktree needs, changing nothing: the path is free, the source has
 * DVC (else a plain worktree), dvc is installed, the cache can be created and written.
 */
export async function planSharedWorktree(
  ctx: RepoContext,
  path: string,
  commit: string,
  options: {branch?: string; cache?: string},
): Promise<SharedWorktreePlan> {
  if (lstatExists(path)) throw new RefusedError(`${path} already exists; choose another name, or move that folder away first`)
  const parentProbe = nearestExisting(dirname(path))
  if (!isWritable(parentProbe)) throw new XvError(`cannot create ${path}: ${parentProbe} is not writable; set worktreeDir in xv.yaml to a writable folder`)
  const notes: string[] = []
  const sourceHasDvc = Boolean(await ctx.git.objectAt(commit, '.dvc/config'))
  if (!isDvcRepo(ctx.mainRoot) || !sourceHasDvc) {
    notes.push('no DVC in this repository at that commit: created a plain git worktree (no shared cache, nothing to check out)')
    return {path, branch: options.branch, commit, notes}
  }

  requireDvc('check out the artifacts in the new worktree')
  const cacheDir = sharedCacheDir(ctx, options.cache)
  checkCacheDir(cacheDir, '--cache')
  // The link type is probed once the worktree folder exists (createSharedWorktree).
  return {path, branch: options.branch, commit, dvc: {cacheDir, linkType: 'hardlink'}, notes}
}

/** Registers the undos of a new worktree: stop a running git/dvc, remove the folder and record, delete the branch. */
function registerUndo(log: UndoLog, git: Git, plan: SharedWorktreePlan, running: {child?: Promise<unknown>; stop: AbortController}, forget: () => void): void {
  log.onUndo(forget)
  const {cacheDir} = plan.dvc ?? {}
  if (cacheDir && !existsSync(cacheDir)) {
    const created = topMissing(cacheDir)
    log.onUndo(() => rmSync(created, {recursive: true, force: true}))
  }

  const {branch} = plan
  if (branch)
    log.onUndo(async () => {
      if (await branchExists(git, branch)) await deleteBranch(git, branch)
    }, `branch ${branch}`)
  log.onUndo(async () => {
    await removeWorktree(git, plan.path, true).catch(() => {})
    rmSync(plan.path, {recursive: true, force: true})
    await pruneWorktrees(git)
  }, `worktree ${plan.path}`)
  // Runs first: git or dvc still running in the folder is stopped before it is removed.
  log.onUndo(async () => {
    running.stop.abort()
    await running.child?.catch(() => {})
  })
}

/** The outermost missing folder of PATH (what `mkdir -p PATH` creates first). */
function topMissing(path: string): string {
  let p = path
  while (!existsSync(dirname(p)) && dirname(p) !== p) p = dirname(p)
  return p
}

/**
 * `git worktree add` + DVC pointed at the shared cache (local config) with a non-copying link
 * type + `dvc checkout`; then the files an experiment writes (xv.yaml `writes:` and the result
 * database, as the checked-out xv.yaml says) are made private. Any failure or interruption undoes
 * it all; a SIGKILL leaves a marker that the next run (and doctor) find (half-made.ts).
 */
export async function createSharedWorktree(ctx: RepoContext, plan: SharedWorktreePlan, options: {step?: (m: string) => void} = {}): Promise<SharedWorktreeResult> {
  const say = options.step ?? (() => {})
  const git = new Git(ctx.mainRoot)
  const running: {child?: Promise<unknown>; stop: AbortController} = {stop: new AbortController()}
  const step = async <T>(p: Promise<T>): Promise<T> => {
    running.child = p
    return p
  }

  const forget = markCreating(ctx, plan.path, plan.branch)
  const result = await withUndo(async (log) => {
    registerUndo(log, git, plan, running, forget)
    say(`git worktree add ${plan.path}`)
    await step(addWorktree(git, plan.path, plan.commit, plan.branch, running.stop.signal))
    const unprotected: string[] = []
    if (plan.dvc) {
      const {cacheDir} = plan.dvc
      mkdirSync(cacheDir, {recursive: true}) // proven creatable by the plan; DVC would create it anyway
      plan.dvc.linkType = probeLinkType(cacheDir, plan.path)
      shareDvcSettings(ctx.mainRoot, plan.path, cacheDir, plan.dvc.linkType)
      say(`dvc checkout (cache ${cacheDir}, ${plan.dvc.linkType})`)
      const dvc = new Dvc(plan.path)
      const signal = running.stop.signal
      // Exactly the outs that have a recorded hash: a dvc.yaml stage never run (e.g. its out is not
      // the configured db) has nothing to check out and must not fail the checkout.
      const targets = [...new Set((await worktreeOuts(plan.path)).filter((o) => o.out.md5).map((o) => o.outPath))]
      if (targets.length > 0) {
        try {
          await step(dvc.checkout({progress: true, what: 'check out the artifacts in the new worktree', signal}, targets))
        } catch (error) {
          // Objects the shared cache lacks (e.g. an old version after a gc): fetch them, if there is a remote.
          if (signal.aborted || !defaultRemote(plan.path)) throw error
          say('dvc pull (objects missing from the cache)')
          await step(dvc.pull({progress: true, what: 'fetch the artifacts the cache lacks', signal}, targets))
        }
      }

      if (plan.dvc.linkType !== 'reflink') unprotected.push(...makePrivate(plan.path, writePaths(configOf(plan.path, ctx.config))))
      await rememberCheckout(plan.path)
    }

    return {...plan, unprotected}
  })
  forget()
  return result
}
