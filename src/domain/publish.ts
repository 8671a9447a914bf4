/**
 * `xv push`: finish or repeat the publication of experiment tags — the DVC objects each tag
 * references (verified in the remote afterwards: DVC exits 0 when an object is in neither the
 * cache nor the remote), then the current branch and the tags in one git push, so that a
 * teammate's clone has both. Idempotent: DVC skips what the remote has, git what the remote has.
 */
import {Dvc, canDriveDvcPython, remoteTimeout, requireDvc} from '../adapters/dvc.js'
import type {TagRef} from '../adapters/git.js'
import type {ExperimentTag, RepoContext} from '../context.js'
import {XvError} from '../errors.js'
import {REMOTE_CLAIMS_PATTERN, claimsLeftFor} from './claims.js'
import {gtoTagsOn} from './model-assign.js'
import {checkRemoteObjects, describeObjects, objectsAt} from './remote-objects.js'
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
  /** The branch pushed with the tags (`local → remote/branch`), when HEAD is on one. */
  branch?: string
  /** DVC objects found in the remote after the push. */
  verifiedObjects: number
  /** GTO registration/stage tags pushed with the versions (`churn@v0.3.0`, `churn#prod#1`). */
  stageTags: string[]
}

type Say = (message: string) => void

export async function pushExperiments(ctx: RepoContext, requested: string[], hooks: {step?: Say} = {}): Promise<PushReport> {
  const say = hooks.step ?? (() => {})
  const all = await ctx.git.listTags()
  const tags = ctx.experimentTagsOf(all)
  const byName = new Map(tags.map((t) => [t.name, t]))
  const chosen: ExperimentTag[] = []
  for (const r of requested) {
    const v = parseVersion(r, ctx.config.prefix)
    const tag = byName.get(v.tag)
    if (!tag) throw unknownVersion(r, tags, ctx.config.prefix)
    chosen.push(tag)
  }

  const remotes = await ctx.git.remotes()
  const branch = await ctx.git.currentBranch()
  const upstream = branch ? await ctx.git.upstreamOf(branch) : undefined
  const gitRemote = upstream?.remote ?? (remotes.includes('origin') ? 'origin' : remotes[0])
  const dvcRemote = ctx.hasDvc() ? ctx.remote() : undefined
  if (!gitRemote && !dvcRemote)
    throw new XvError("nothing to push to: no git remote and no default DVC remote; add one (git remote add origin URL, or 'xv init --remote PATH')")

  // One ls-remote: the remote's tags, and the claims a refused or interrupted tag push left there.
  const remoteRefs = gitRemote ? await ctx.git.remoteRefs(gitRemote, ['refs/tags/*', REMOTE_CLAIMS_PATTERN], remoteTimeout() * 1000) : new Map<string, string>()
  const onRemote = new Map([...remoteRefs].filter(([ref]) => ref.startsWith('refs/tags/')).map(([ref, sha]) => [ref.slice('refs/tags/'.length), sha]))
  // Default: local experiment tags the git remote does not have (all of them without a git remote).
  if (chosen.length === 0) chosen.push(...tags.filter((t) => !onRemote.has(t.name)))

  const report: PushReport = {
    versions: chosen.map((t) => t.name),
    dvcRemote: dvcRemote?.name,
    gitRemote,
    alreadyOnRemote: chosen.filter((t) => onRemote.has(t.name)).map((t) => t.name),
    dvcPushed: [],
    gitPushed: [],
    verifiedObjects: 0,
    stageTags: [],
  }
  if (dvcRemote && chosen.length > 0) {
    await pushObjects(ctx, chosen, say)
    report.dvcPushed.push(...chosen.map((t) => t.name))
    report.verifiedObjects = await verifyObjects(ctx, chosen, say)
  }

  if (gitRemote) {
    const missing = chosen.filter((t) => !onRemote.has(t.name)).map((t) => t.name)
    const stageTags = stageTagsToPush(ctx, all, requested.length > 0 ? chosen : [...chosen, ...tags.filter((t) => onRemote.has(t.name))], onRemote)
    const target = branch ? {local: branch, remote: upstream?.branch ?? branch, setUpstream: !upstream} : undefined
    say(`git push ${gitRemote} ${[target ? target.local : '', ...missing, ...stageTags].filter(Boolean).join(' ')}`)
    await ctx.git.pushBranchAndTags(gitRemote, target, [...missing, ...stageTags], claimsLeftFor(missing, remoteRefs))
    report.gitPushed.push(...missing)
    report.stageTags.push(...stageTags)
    if (target) report.branch = `${target.local} → ${gitRemote}/${target.remote}`
  }

  return report
}

/**
 * The model's GTO tags (stages, registrations) on the commits of VERSIONS that the git remote
 * lacks. They point at those commits, whose objects the experiment tags' push covers.
 */
function stageTagsToPush(ctx: RepoContext, all: TagRef[], versions: ExperimentTag[], onRemote: Map<string, string>): string[] {
  return gtoTagsOn(ctx, all, new Set(versions.map((t) => t.commit))).filter((name) => !onRemote.has(name))
}

/** `dvc push` of the objects the tags reference: HEAD's through the workspace, older ones by revision. */
async function pushObjects(ctx: RepoContext, chosen: ExperimentTag[], say: Say): Promise<void> {
  requireDvc('push the artifacts of the tags')
  const head = ctx.location.head
  // Tags on HEAD share the working tree's pointers: one push for all of them.
  const atHead = chosen.filter((t) => t.commit === head)
  const elsewhere = chosen.filter((t) => t.commit !== head)
  if (atHead.length > 0) {
    say(`dvc push (${atHead.map((t) => t.name).join(', ')})`)
    await ctx.dvc().push({progress: true})
  }

  if (elsewhere.length > 0 && canDriveDvcPython()) {
    // DVC pushes the objects those revisions reference straight from the cache: no checkout.
    say(`dvc push of ${elsewhere.map((t) => t.name).join(', ')}`)
    const failure = await ctx.dvc().addAndPush({add: [], commit: [], push: true, revs: elsewhere.map((t) => t.commit)})
    if (failure) throw new XvError(failure)
  } else {
    for (const tag of elsewhere) {
      say(`dvc push of ${tag.name} (temporary worktree, shared cache)`)
      await withTemporaryWorktree(ctx, tag.commit, async (root) => {
        await new Dvc(root).push({progress: true, what: `push the artifacts of ${tag.name}`})
      })
    }
  }
}

/** Every object the tags reference must now be in the remote; names what is not. */
async function verifyObjects(ctx: RepoContext, chosen: ExperimentTag[], say: Say): Promise<number> {
  const remote = ctx.remote()
  if (!remote) return 0
  say(`checking the objects in remote '${remote.name}'`)
  const objects = await objectsAt(ctx, chosen.map((t) => [t.name, t.commit]))
  const check = await checkRemoteObjects(ctx, remote, objects)
  if (check.lost.length > 0)
    throw new XvError(
      `${check.lost.length} object(s) are in neither the local cache nor DVC remote '${remote.name}': ${describeObjects(check.lost)}; push them from a machine that has them (xv push ${chosen.map((t) => t.name).join(' ')}); tags not pushed`,
    )
  if (check.notPushed.length > 0)
    throw new XvError(
      `dvc push reported success but DVC remote '${remote.name}' lacks ${check.notPushed.length} object(s): ${describeObjects(check.notPushed)}; run 'xv push ${chosen.map((t) => t.name).join(' ')}' again; tags not pushed`,
    )
  return check.checked
}
