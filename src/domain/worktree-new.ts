/**
 * `xv worktree new NAME`: `<worktreeDir>/exp-NAME` on a new branch exp/NAME, sharing the DVC cache.
 * Every input is checked before anything is created.
 */
import {lstatSync} from 'node:fs'
import {relative} from 'node:path'

import {branchExists, resolveCommit} from '../adapters/git-worktrees.js'
import type {RepoContext} from '../context.js'
import {RefusedError, UsageError, XvError} from '../errors.js'
import {cleanHalfMadeAt} from './half-made.js'
import {createSharedWorktree, planSharedWorktree, type SharedWorktreeResult} from './shared-worktree.js'
import {EXPERIMENT_PREFIX, checkName, experimentWorktree} from './worktree-names.js'

export interface NewWorktreeReport extends SharedWorktreeResult {
  name: string
  from: string
  nextSteps: string[]
}

export async function newWorktree(
  ctx: RepoContext,
  options: {name: string; from?: string; cache?: string},
  hooks: {step?: (m: string) => void} = {},
): Promise<NewWorktreeReport> {
  const {name} = options
  await checkName(ctx.git, name)
  const {path, branch} = experimentWorktree(ctx, name)
  const cleaned = await cleanHalfMadeAt(ctx, path)
  if (await branchExists(ctx.git, branch))
    throw new RefusedError(
      `branch ${branch} already exists; choose another name, or delete it (git branch -D ${branch}) if its work is tagged or not needed`,
    )
  if (lstatSync(path, {throwIfNoEntry: false}))
    throw new RefusedError(`${path} already exists; choose another name, or remove it ('xv worktree remove ${name}' if it is an xv worktree)`)
  const from = options.from ?? 'HEAD'
  if (options.from !== undefined && (options.from.startsWith('-') || !options.from.trim()))
    throw new UsageError(`--from ${JSON.stringify(options.from)} is not a ref; give a branch, tag or commit`)
  const commit = await resolveCommit(ctx.git, from)
  if (!commit) throw new XvError(`--from ${from}: no such branch, tag or commit; see 'git branch -a' or 'xv list'`)
  const plan = await planSharedWorktree(ctx, path, commit, {branch, cache: options.cache})
  if (cleaned) plan.notes.push(cleaned)
  const result = await createSharedWorktree(ctx, plan, {step: hooks.step})
  const rel = relative(process.cwd(), path) || '.'
  return {
    ...result,
    name,
    from,
    nextSteps: [
      `cd ${rel}`,
      'change the code, run your training',
      `xv tag -m "${name}: what changed"   (commits, tags, pushes DVC objects and the tag)`,
      `xv merge ${EXPERIMENT_PREFIX}${name}   (from the main worktree: bring the results into main's database)`,
      `xv worktree remove ${name}   (checks that everything is tagged, pushed and merged first)`,
    ],
  }
}
