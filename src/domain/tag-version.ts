/**
 * The version `xv tag` writes, claimed before anything changes (A5). With a git remote, the
 * remote's claims and tags are fetched first (bounded wait) and the claim is pushed create-only;
 * an unreachable remote leaves the claim local, with a warning. An explicit version claimed by
 * someone else fails with nothing changed; an automatic one becomes the next free version; a
 * version this worktree claimed earlier (`xv next --claim`) is the one tagged. The tag consumes
 * its claim.
 */
import type {RepoContext} from '../context.js'
import {ConflictError, XvError} from '../errors.js'
import type {UndoLog} from '../interrupt.js'
import {REMOTE_CLAIMS_NS, claimNext, claimVersion, deleteRemoteClaim, fetchClaims, isOwner, listClaims, pushClaim, releaseClaim, type Claim, type ClaimOutcome} from './claims.js'
import {asVersion, compareVersions, freeAlternatives, type Bump, type ExperimentVersion} from './version.js'

export interface ClaimedVersion {
  version: ExperimentVersion
  claim: Claim
  /** The claim is on the git remote too (it is deleted there by the push of the tag). */
  onRemote: boolean
  warnings: string[]
}

/** Milliseconds xv waits for the git remote while claiming. */
export function claimTimeoutMs(ctx: RepoContext): number {
  return Math.min(ctx.config.remoteTimeout, 15) * 1000
}

/**
 * Fetches the remote's claims and lists its tags (a fetch and an ls-remote, side by side);
 * undefined when the remote did not answer.
 */
async function remoteTagVersions(ctx: RepoContext, remote: string): Promise<ExperimentVersion[] | undefined> {
  const timeoutMs = claimTimeoutMs(ctx)
  const [fetched, listed] = await Promise.all([
    fetchClaims(ctx.git, remote, timeoutMs),
    ctx.git.remoteTags(remote, timeoutMs).catch(() => undefined),
  ])
  if (!fetched || !listed) return undefined
  return [...listed.keys()]
    .map((name) => asVersion(name, ctx.config.prefix))
    .filter((v): v is ExperimentVersion => Boolean(v))
}

async function claimOnce(ctx: RepoContext, requested: ExperimentVersion | undefined, bump: Bump, remoteTags: ExperimentVersion[], branch?: string): Promise<ClaimOutcome & {version: ExperimentVersion}> {
  const owner = {worktree: ctx.root}
  const request = {owner, by: 'tag' as const, ...(branch ? {branch} : {})}
  if (requested) {
    const tags = (await ctx.git.listTagNames()).map((t) => asVersion(t, ctx.config.prefix)).filter((v): v is ExperimentVersion => Boolean(v))
    if (tags.some((t) => t.tag === requested.tag)) {
      const free = freeAlternatives(requested, [...tags, ...remoteTags], ctx.config.prefix)
      throw new XvError(`tag ${requested.tag} already exists; the next free version is ${free.join(' or ')} (or run 'xv tag' to pick it)`)
    }

    if (remoteTags.some((t) => t.tag === requested.tag))
      throw new ConflictError(`tag ${requested.tag} already exists on the git remote; pick another version (see 'xv next'), or fetch it with 'git fetch --tags'`)
    return {...(await claimVersion(ctx.git, {...request, version: requested})), version: requested}
  }

  // A version this worktree claimed before (xv next --claim) and has not tagged yet comes first.
  const tagged = new Set(await ctx.git.listTagNames())
  const mine = (await listClaims(ctx.git))
    .filter((c) => !c.remote && isOwner(c, owner) && !tagged.has(c.version))
    .map((c) => ({claim: c, version: asVersion(c.version, ctx.config.prefix)}))
    .filter((c): c is {claim: Claim; version: ExperimentVersion} => Boolean(c.version))
    .sort((a, b) => compareVersions(a.version, b.version))
  if (mine[0]) return {status: 'owned', claim: mine[0].claim, version: mine[0].version}
  return claimNext(ctx.git, ctx.config.prefix, bump, request, remoteTags)
}

/** Claims the tag's version (see the module comment); its undos release what this run claimed. */
export async function claimTagVersion(ctx: RepoContext, requested: ExperimentVersion | undefined, bump: Bump, remote: string | undefined, log: UndoLog): Promise<ClaimedVersion> {
  const warnings: string[] = []
  const branch = await ctx.git.currentBranch()
  const remoteTags = remote ? await remoteTagVersions(ctx, remote) : undefined
  for (let attempt = 0; attempt < 5; attempt++) {
    const outcome = await claimOnce(ctx, requested, bump, remoteTags ?? [], branch)
    const {claim, version} = outcome
    if (outcome.status === 'claimed') log.onUndo(async () => {
      await releaseClaim(ctx.git, version.tag, claim.oid)
    }, `claim ${version.tag}`)
    if (!remote || !remoteTags) {
      if (remote) warnings.push(`git remote '${remote}' did not answer; the claim of ${version.tag} is local only`)
      return {version, claim, onRemote: false, warnings}
    }

    if ((await ctx.git.revParse(`${REMOTE_CLAIMS_NS}${remote}/${version.tag}`)) === claim.oid) return {version, claim, onRemote: true, warnings}
    const pushed = await pushClaim(ctx.git, remote, claim, claimTimeoutMs(ctx))
    if (pushed === 'pushed') {
      log.onUndo(() => deleteRemoteClaim(ctx.git, remote, version.tag, claimTimeoutMs(ctx)), `claim ${version.tag} on ${remote}`)
      return {version, claim, onRemote: true, warnings}
    }

    if (pushed === 'unreachable') {
      warnings.push(`git remote '${remote}' did not take the claim of ${version.tag}; it is local only`)
      return {version, claim, onRemote: false, warnings}
    }

    // Another clone claimed it on the remote first.
    if (outcome.status === 'claimed') await releaseClaim(ctx.git, version.tag, claim.oid)
    if (requested || outcome.status === 'owned') throw new ConflictError(`${version.tag} is claimed on ${remote} by another clone; use another version (see 'xv next')`)
    await fetchClaims(ctx.git, remote, claimTimeoutMs(ctx))
  }

  throw new ConflictError(`could not claim a version on ${remote ?? 'the remote'} after 5 attempts; try again`)
}

/** The tag exists: its local claim is spent (the remote one goes with the tag's push). */
export async function consumeClaim(ctx: RepoContext, claimed: ClaimedVersion): Promise<void> {
  await releaseClaim(ctx.git, claimed.version.tag, claimed.claim.oid)
}
