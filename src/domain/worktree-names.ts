/**
 * What worktree names mean: `<worktreeDir>/exp-NAME` on branch `exp/NAME` for an experiment,
 * `<worktreeDir>/explore-VERSION` for `xv explore`. The one rule for "which worktree does NAME
 * mean", used by `xv worktree remove`, `xv merge NAME` and `xv explore`.
 */
import {basename, isAbsolute, resolve} from 'node:path'

import {type Git, type WorktreeRecord} from '../adapters/git.js'
import {isValidBranchName} from '../adapters/git-worktrees.js'
import type {RepoContext} from '../context.js'
import {NotFoundError, UsageError, XvError} from '../errors.js'

export const EXPERIMENT_PREFIX = 'exp-'
export const EXPLORE_PREFIX = 'explore-'
export const BRANCH_PREFIX = 'exp/'

export type WorktreeKind = 'main' | 'experiment' | 'explore' | 'other'

export interface NamedWorktree extends WorktreeRecord {
  name: string
  kind: WorktreeKind
}

/** The folder that holds worktrees: `worktreeDir` of xv.yaml, relative to the main worktree. */
export function worktreeParent(ctx: RepoContext): string {
  return resolve(ctx.mainRoot, ctx.config.worktreeDir)
}

/** Folder and branch of the experiment worktree NAME. */
export function experimentWorktree(ctx: RepoContext, name: string): {path: string; branch: string} {
  return {path: resolve(worktreeParent(ctx), `${EXPERIMENT_PREFIX}${name}`), branch: `${BRANCH_PREFIX}${name}`}
}

/** Folder of the explore worktree of VERSION (a tag name). */
export function exploreWorktreePath(ctx: RepoContext, version: string): string {
  return resolve(worktreeParent(ctx), `${EXPLORE_PREFIX}${version}`)
}

export function kindOf(rec: {path: string}, mainRoot: string): {kind: WorktreeKind; name: string} {
  const base = basename(rec.path)
  if (resolve(rec.path) === resolve(mainRoot)) return {kind: 'main', name: 'main'}
  if (base.startsWith(EXPERIMENT_PREFIX)) return {kind: 'experiment', name: base.slice(EXPERIMENT_PREFIX.length)}
  if (base.startsWith(EXPLORE_PREFIX)) return {kind: 'explore', name: base.slice(EXPLORE_PREFIX.length)}
  return {kind: 'other', name: base}
}

/**
 * The worktree record NAME refers to: an experiment's name (NAME of exp-NAME), a folder name, a
 * branch (exp/NAME) or an absolute path; only records of KINDS when given. Undefined when none does.
 */
export function matchWorktree(records: WorktreeRecord[], mainRoot: string, name: string, kinds?: WorktreeKind[]): NamedWorktree | undefined {
  const wanted = name.replace(/\/+$/, '')
  if (!wanted) return undefined
  for (const rec of records) {
    const k = kindOf(rec, mainRoot)
    if (kinds && !kinds.includes(k.kind)) continue
    const matches =
      ((k.kind === 'experiment' || k.kind === 'main') && k.name === wanted) ||
      basename(rec.path) === wanted ||
      rec.branch === `${BRANCH_PREFIX}${wanted}` ||
      (isAbsolute(wanted) && resolve(wanted) === resolve(rec.path))
    if (matches) return {...rec, ...k}
  }

  return undefined
}

/** The worktree NAME refers to, of one of KINDS; one-line errors for the rest. */
export async function findWorktree(ctx: RepoContext, name: string, kinds: WorktreeKind[]): Promise<NamedWorktree> {
  const records = await ctx.git.worktrees()
  const found = matchWorktree(records, ctx.mainRoot, name)
  if (found) {
    if (found.kind === 'main') throw new XvError(`'${name}' is the main worktree (${found.path}); xv only removes experiment worktrees`)
    if (!kinds.includes(found.kind))
      throw new XvError(`${found.path} is not an xv experiment worktree (${EXPERIMENT_PREFIX}NAME); remove it with 'git worktree remove' or 'xv explore --clean'`)
    return found
  }

  const known = records.map((r) => kindOf(r, ctx.mainRoot)).filter((k) => kinds.includes(k.kind)).map((k) => k.name)
  throw new NotFoundError('worktree', `no worktree named '${name}'; ${known.length > 0 ? `existing: ${known.join(', ')}` : 'there are none'} (see 'xv worktree list')`)
}

/** NAME must be one safe folder-and-branch component. */
export async function checkName(git: Git, name: string): Promise<void> {
  const shown = JSON.stringify(name)
  const why =
    !name ? 'is empty'
    : /\s/.test(name) ? 'contains spaces'
    : name.includes('/') || name.includes('\\') ? "contains '/'"
    : name.includes('..') ? "contains '..'"
    : name.startsWith('-') ? "starts with '-'"
    : name.startsWith('.') ? "starts with '.'"
    : !/^[A-Za-z0-9._-]+$/.test(name) ? 'has characters other than letters, digits, ".", "_" and "-"'
    : undefined
  if (why) throw new UsageError(`bad worktree name ${shown}: it ${why}; use letters, digits, '-', '_' or '.', e.g. transformer`)
  if (!(await isValidBranchName(git, `${BRANCH_PREFIX}${name}`)))
    throw new UsageError(`bad worktree name ${shown}: ${BRANCH_PREFIX}${name} is not a valid git branch name; use letters, digits, '-', '_'`)
}
