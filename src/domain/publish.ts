/**
 * `xv push`: finish or repeat the publication of experiment tags — the DVC objects each tag
 * references, then the tags themselves. Idempotent: DVC skips what the remote has, git what the
 * remote has.
 */
import {Dvc, canDriveDvcPython, defaultRemote, requireDvc} from '../adapters/dvc.js'
import type {ExperimentTag, RepoContext} from '../context.js'
import {XvError} from '../errors.js'
import {unknownVersion} from './revision.js'
import {withTemporaryWorktree} from './temp-worktree.js'
import {parseVersion} from './version.js'

export interface PushReport {
  versions: string[]
  dvcRemote?: string
  gitRemote?: string
  /** Tags that were already on the git remote. */
  alreadyOnRemote: string[]
  dvcPushed: string[]
  gitPushed: string[]
}

export async function pushExperiments(
  ctx: RepoContext,
  requested: string[],
  hooks: {step?: (message: string) => void} = {},
): Promise<PushReport> {
  const say = hooks.step ?? (() => {})
  const tags = await ctx.experimentTags()
  const byName = new Map(tags.map((t) => [t.name, t]))
  const chosen: ExperimentTag[] = []
  for (const r of requested) {
    const v = parseVersion(r, ctx.config.prefix)
    const tag = byName.get(v.tag)
    if (!tag) throw unknownVersion(r, tags, ctx.config.prefix)
    chosen.push(tag)
  }

  const remotes = await ctx.git.remotes()
  const gitRemote = remotes.includes('origin') ? 'origin' : remotes[0]
  const dvcRemote = ctx.hasDvc() ? defaultRemote(ctx.root) : undefined
  if (!gitRemote && !dvcRemote)
    throw new XvError("nothing to push to: no git remote and no default DVC remote; add one (git remote add origin URL, or 'xv init --remote PATH')")

  const onRemote = gitRemote ? await ctx.git.remoteTags(gitRemote) : new Map<string, string>()
  if (chosen.length === 0) {
    // Default: local experiment tags the git remote does not have (all of them without a git remote).
    chosen.push(...tags.filter((t) => !onRemote.has(t.name)))
  }

  const report: PushReport = {
    versions: chosen.map((t) => t.name),
    dvcRemote: dvcRemote?.name,
    gitRemote,
    alreadyOnRemote: chosen.filter((t) => onRemote.has(t.name)).map((t) => t.name),
    dvcPushed: [],
    gitPushed: [],
  }
  if (chosen.length === 0) return report

  if (dvcRemote) {
    requireDvc('push the artifacts of the tags')
    const head = ctx.location.head
    // Tags on HEAD share the working tree's pointers: one push for all of them.
    const atHead = chosen.filter((t) => t.commit === head)
    const elsewhere = chosen.filter((t) => t.commit !== head)
    if (atHead.length > 0) {
      say(`dvc push (${atHead.map((t) => t.name).join(', ')})`)
      await ctx.dvc().run(['push', '--quiet'], {progress: true, what: 'push the artifacts'})
      report.dvcPushed.push(...atHead.map((t) => t.name))
    }

    if (elsewhere.length > 0 && canDriveDvcPython()) {
      // DVC pushes the objects those revisions reference straight from the cache: no checkout.
      say(`dvc push of ${elsewhere.map((t) => t.name).join(', ')}`)
      const failure = await ctx.dvc().addAndPush({add: [], commit: [], push: true, revs: elsewhere.map((t) => t.commit)})
      if (failure) throw new XvError(failure)
      report.dvcPushed.push(...elsewhere.map((t) => t.name))
    } else {
      for (const tag of elsewhere) {
        say(`dvc push of ${tag.name} (temporary worktree, shared cache)`)
        await withTemporaryWorktree(ctx, tag.commit, async (root) => {
          await new Dvc(root).run(['push', '--quiet'], {progress: true, what: `push the artifacts of ${tag.name}`})
        })
        report.dvcPushed.push(tag.name)
      }
    }
  }

  if (gitRemote) {
    const missing = chosen.filter((t) => !onRemote.has(t.name)).map((t) => t.name)
    if (missing.length > 0) {
      say(`git push ${gitRemote} ${missing.join(' ')}`)
      await ctx.git.pushTags(gitRemote, missing)
      report.gitPushed.push(...missing)
    }
  }

  return report
}
