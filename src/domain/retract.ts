/**
 * Retracted versions: `xv tag --retract V -m REASON` writes an annotated marker tag
 * `xv-retracted/V` (pushed like tags) on V's commit. The version and its data stay; `list` and
 * `best` hide it unless `--all`.
 */
import type {Git, TagRef} from '../adapters/git.js'
import type {RepoContext} from '../context.js'
import {ConflictError, NotFoundError, UsageError} from '../errors.js'
import {parseVersion} from './version.js'

const RETRACT_PREFIX = 'xv-retracted/'

/** Retracted version → reason, from all tags already read (`git.listTags`). */
export function retractedAmong(tags: readonly TagRef[]): Map<string, {reason: string}> {
  const map = new Map<string, {reason: string}>()
  for (const {name, subject} of tags) if (name.startsWith(RETRACT_PREFIX)) map.set(name.slice(RETRACT_PREFIX.length), {reason: subject})
  return map
}

/** Retracted version → reason (one for-each-ref). */
export async function retractedVersions(git: Git): Promise<Map<string, {reason: string}>> {
  const map = new Map<string, {reason: string}>()
  for (const {name, subject} of await git.tagSubjects(RETRACT_PREFIX)) map.set(name, {reason: subject})
  return map
}

export interface RetractReport {
  version: string
  marker: string
  reason: string
  pushed?: string
}

export async function retractVersion(ctx: RepoContext, input: string, reason: string | undefined, push: boolean): Promise<RetractReport> {
  const version = parseVersion(input, ctx.config.prefix)
  if (!reason?.trim()) throw new UsageError(`say why ${version.tag} is retracted: xv tag --retract ${version.tag} -m REASON`)
  if (!(await ctx.git.tagExists(version.tag))) throw new NotFoundError('version', `no experiment tag ${version.tag}; see 'xv list --all'`)
  const marker = `${RETRACT_PREFIX}${version.tag}`
  if (await ctx.git.tagExists(marker)) throw new ConflictError(`${version.tag} is already retracted`)
  await ctx.git.createAnnotatedTag(marker, reason.trim(), `${version.tag}^{commit}`)
  const report: RetractReport = {version: version.tag, marker, reason: reason.trim()}
  if (push && ctx.config.push) {
    const remotes = await ctx.git.remotes()
    const remote = remotes.includes('origin') ? 'origin' : remotes[0]
    if (remote) {
      await ctx.git.pushTags(remote, [marker])
      report.pushed = remote
    }
  }

  return report
}
