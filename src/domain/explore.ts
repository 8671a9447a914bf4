/**
 * `xv explore`: a disposable, detached worktree `<worktreeDir>/explore-VERSION` with that
 * version's code and DVC artifacts (shared cache, links, no copies). Linked files stay read-only,
 * which suits looking around an old version.
 */
import {existsSync} from 'node:fs'
import {resolve} from 'node:path'

import {Git} from '../adapters/git.js'
import {pruneWorktrees, removeWorktree} from '../adapters/git-worktrees.js'
import type {ExperimentTag, RepoContext} from '../context.js'
import {XvError} from '../errors.js'
import {unknownVersion} from './revision.js'
import {parseVersion} from './version.js'
import {cleanHalfMadeAt} from './half-made.js'
import {createSharedWorktree, planSharedWorktree, type SharedWorktreeResult} from './shared-worktree.js'
import {listWorktrees, type WorktreeInfo} from './worktree-list.js'
import {exploreWorktreePath} from './worktree-names.js'

export interface ExploreReport extends SharedWorktreeResult {
  version: string
}

async function findExperimentTag(ctx: RepoContext, input: string): Promise<ExperimentTag> {
  const version = parseVersion(input, ctx.config.prefix)
  const tags = await ctx.experimentTags()
  const tag = tags.find((t) => t.name === version.tag)
  if (tag) return tag
  throw unknownVersion(input, tags, ctx.config.prefix)
}

export async function explore(ctx: RepoContext, input: string, hooks: {step?: (m: string) => void} = {}): Promise<ExploreReport> {
  const tag = await findExperimentTag(ctx, input)
  const path = exploreWorktreePath(ctx, tag.name)
  const cleaned = await cleanHalfMadeAt(ctx, path)
  if (existsSync(path))
    throw new XvError(`${path} already exists; cd there, or start afresh with 'xv explore --clean ${tag.name}'`)
  const plan = await planSharedWorktree(ctx, path, tag.commit, {})
  if (cleaned) plan.notes.push(cleaned)
  const result = await createSharedWorktree(ctx, plan, {step: hooks.step})
  return {...result, version: tag.name}
}

export async function exploreList(ctx: RepoContext): Promise<WorktreeInfo[]> {
  return (await listWorktrees(ctx)).filter((w) => w.kind === 'explore')
}

export interface CleanReport {
  removed: string[]
  /** Explore worktrees kept because they hold changes (use --force). */
  kept: Array<{name: string; path: string; changes: number}>
  dryRun: boolean
}

export async function exploreClean(
  ctx: RepoContext,
  options: {version?: string; force: boolean; dryRun: boolean},
): Promise<CleanReport> {
  let targets = await exploreList(ctx)
  if (options.version !== undefined) {
    const version = parseVersion(options.version, ctx.config.prefix)
    targets = targets.filter((w) => w.name === version.tag)
    if (targets.length === 0) throw new XvError(`no explore worktree for ${version.tag}; see 'xv explore --list'`)
  }

  if (targets.some((w) => resolve(w.path) === resolve(ctx.root)))
    throw new XvError(`you are inside ${ctx.root}; cd to the main worktree (${ctx.mainRoot}) and run it again`)
  const report: CleanReport = {removed: [], kept: [], dryRun: options.dryRun}
  const git = new Git(ctx.mainRoot)
  for (const w of targets) {
    if ((w.changes ?? 0) > 0 && !options.force) {
      report.kept.push({name: w.name, path: w.path, changes: w.changes ?? 0})
      continue
    }

    if (!options.dryRun && existsSync(w.path)) await removeWorktree(git, w.path, true)
    report.removed.push(w.name)
  }

  if (!options.dryRun) await pruneWorktrees(git)
  return report
}
