/**
 * A revision the user named — an experiment tag, any tag or commit, or the working copy — and
 * paths inside the repository as the user wrote them. The one "unknown version" message lives
 * here, so the same mistake gets the same answer from every command.
 */
import {basename, isAbsolute, relative, resolve, sep} from 'node:path'

import type {ExperimentTag, RepoContext} from '../context.js'
import {NotFoundError, UsageError} from '../errors.js'
import {nearest} from './suggest.js'
import {asVersion, compareVersions} from './version.js'

const WORKSPACE = 'workspace'

/** The working copy, or a commit (reached through a tag or a commit-ish). */
export type Rev = {kind: 'workspace'; name: typeof WORKSPACE} | CommitRev

export interface CommitRev {
  kind: 'commit'
  name: string
  commit: string
  isTag: boolean
}

const WORKSPACE_REV: Rev = {kind: 'workspace', name: WORKSPACE}

/** The commit of a revision, undefined for the working copy. */
export function commitOf(rev: Rev): string | undefined {
  return rev.kind === 'commit' ? rev.commit : undefined
}

/**
 * The experiment tags nearest to INPUT: its semver neighbours first (closest first), then
 * the closest names by edit distance; at most `n`.
 */
export function nearestTags(input: string, tags: ExperimentTag[], prefix: string, n = 3): string[] {
  const wanted = asVersion(input, prefix) ?? asVersion(`${prefix}${input}`, prefix)
  const out: string[] = []
  if (wanted) {
    const sorted = [...tags].sort((a, b) => compareVersions(a.version, b.version))
    let at = sorted.findIndex((t) => compareVersions(t.version, wanted) > 0)
    if (at < 0) at = sorted.length
    // closest first: the version just below, the one just above, the second below
    for (const t of [sorted[at - 1], sorted[at], sorted[at - 2]]) if (t) out.push(t.name)
  }

  for (const name of nearest(input, tags.map((t) => t.name), n)) if (!out.includes(name)) out.push(name)
  return out.slice(0, n)
}

/** The one "unknown version" error: names the nearest existing tags and `xv list`. */
export function unknownVersion(input: string, tags: ExperimentTag[], prefix: string): NotFoundError {
  const near = nearestTags(input, tags, prefix)
  const hint = near.length > 0 ? `nearest tags: ${near.join(', ')}` : 'there are no experiment tags yet'
  return new NotFoundError('version', `unknown version '${input}': no such tag or commit; ${hint} (see 'xv list')`)
}

/** Resolves VERSION: `workspace`, a tag, or a commit-ish; unknown → one line naming the nearest tags. */
export async function resolveRev(ctx: RepoContext, input: string): Promise<Rev> {
  if (input === WORKSPACE) return WORKSPACE_REV
  if (!input || input.startsWith('-') || /\s/.test(input))
    throw new UsageError(`not a version: ${JSON.stringify(input)}; use a tag such as ${ctx.config.prefix}0.1.0 or 'workspace'`)
  // a tag first (one git call in the common case), then any commit-ish
  const tagged = await ctx.git.revParse(`refs/tags/${input}^{commit}`)
  if (tagged) return {kind: 'commit', name: input, commit: tagged, isTag: true}
  const commit = await ctx.git.revParse(`${input}^{commit}`)
  if (commit) return {kind: 'commit', name: input, commit, isTag: false}
  throw unknownVersion(input, await ctx.experimentTags(), ctx.config.prefix)
}

/** True when PATH is ROOT or inside it (both absolute). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

/**
 * A user's PATH as a repository-relative posix path: relative to the root like git's `REV:path`,
 * or to the current directory when it starts with `./` or `../` (like git's `REV:./path`). Refuses absolute paths,
 * paths that leave the repository and paths inside `.git`.
 */
export function repoRelative(root: string, cwd: string, input: string): string {
  if (!input) throw new UsageError('PATH is empty; name a file or directory of the repository, e.g. models/model.bin')
  if (isAbsolute(input)) throw new UsageError(`PATH ${input} is absolute; give it relative to the repository (e.g. ${basename(input)}) so it names the same file at every version`)
  const fromCwd = input === '.' || input === '..' || input.startsWith('./') || input.startsWith('../')
  const rel = relative(root, resolve(fromCwd ? cwd : root, input))
  if (rel === '') throw new UsageError(`PATH ${input} is the repository root; name a file or directory inside it`)
  if (!isInside(root, resolve(root, rel))) throw new UsageError(`PATH ${input} leaves the repository (${root}); only paths inside it can be restored`)
  const parts = rel.split(sep)
  if (parts.includes('.git')) throw new UsageError(`PATH ${input} is inside .git; xv restores project files, not git internals`)
  return parts.join('/')
}
