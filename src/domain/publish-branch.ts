/**
 * Publishing the current branch together with experiment tags (A3), so a teammate's clone has a
 * branch to check out: the branch goes to its upstream, or to a branch of the same name on the
 * remote with the upstream set when none is. Used by `xv tag` (and meant for `xv push`).
 */
import {type Git} from '../adapters/git.js'
import {pushRefspecs, upstreamOf, type PushOutcome} from '../adapters/git-stage.js'

export interface BranchTarget {
  branch: string
  /** `refs/heads/B:refs/heads/…` */
  refspec: string
  /** True when the branch has no upstream yet (`--set-upstream`). */
  setUpstream: boolean
}

/** Where the current branch goes on REMOTE; undefined on a detached HEAD. */
export async function branchTarget(git: Git, remote: string): Promise<BranchTarget | undefined> {
  const branch = await git.currentBranch()
  if (!branch) return undefined
  const upstream = await upstreamOf(git, branch)
  if (upstream && upstream.remote === remote) return {branch, refspec: `refs/heads/${branch}:${upstream.ref}`, setUpstream: false}
  return {branch, refspec: `refs/heads/${branch}:refs/heads/${branch}`, setUpstream: !upstream}
}

export interface PublishOutcome extends PushOutcome {
  /** The branch pushed with the refs, if it was. */
  branchPushed?: string
  /** Why the branch was not pushed (e.g. the remote has commits this branch lacks). */
  branchRejected?: string
}

/** One push of the current branch (when TARGET is given) and REFSPECS (tags, claim deletions). */
export async function publishWithBranch(git: Git, remote: string, target: BranchTarget | undefined, refspecs: string[], timeoutMs?: number): Promise<PublishOutcome> {
  const all = [...(target ? [target.refspec] : []), ...refspecs]
  const outcome: PublishOutcome = await pushRefspecs(git, remote, all, {setUpstream: target?.setUpstream, timeoutMs})
  if (target) {
    const dest = target.refspec.slice(target.refspec.indexOf(':') + 1)
    const rejected = outcome.rejected.find((r) => r.ref === dest)
    if (rejected) outcome.branchRejected = rejected.reason
    else if (outcome.accepted.includes(dest)) outcome.branchPushed = target.branch
  }

  return outcome
}
