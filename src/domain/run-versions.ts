/**
 * Versions known before a run: `xv next` (the next free version, optionally claimed), the version
 * an `xv run` uses, and giving a claimed version back (`xv next --release V`).
 *
 * Default version of `xv run` (no --version/--bump): this worktree's open claim (claimed here, not
 * tagged yet — a sweep's runs share it), else the next free minor version, claimed.
 */
import {withSqliteFile} from '../adapters/result-store-convert.js'
import {labelledRows} from './copy-scopes.js'
import {countLabelled, openRunStore} from '../adapters/run-store.js'
import {describeTables} from '../adapters/sqlite.js'
import type {RepoContext} from '../context.js'
import {claimTimeoutMs} from './tag-version.js'
import {ConflictError, NotFoundError, RefusedError} from '../errors.js'
import {CLAIM_NAMESPACES, claimNext, claimVersion, claimsOf, deleteRemoteClaim, describeClaim, fetchClaims, isOwner, listClaims, nextFreeVersion, pushClaim, releaseClaim, type Claim, type Owner} from './claims.js'
import {chooseResultTable} from './results.js'
import {asVersion, compareVersions, parseVersion, type Bump, type ExperimentVersion} from './version.js'

function ownerOf(ctx: RepoContext): Owner {
  return {worktree: ctx.root}
}

export async function currentBranch(ctx: RepoContext): Promise<string | undefined> {
  return ctx.git.currentBranch()
}

export interface NextReport {
  version: string
  claimed: boolean
  /** Claimed before by this worktree (nothing new was claimed). */
  alreadyOwned?: boolean
}

/** The git remote claims are shared through (origin, else the first), when pushing is on. */
async function claimRemote(ctx: RepoContext): Promise<string | undefined> {
  if (!ctx.config.push) return undefined
  const remotes = await ctx.git.remotes()
  return remotes.includes('origin') ? 'origin' : remotes[0]
}

const timeoutMs = claimTimeoutMs

/**
 * Claims with a remote: its claims are fetched first (so another clone's claim counts), ours is
 * pushed create-only; when the remote already holds a different claim of that version, ours is
 * released and ConflictError says who holds it. An unreachable remote keeps the claim local.
 */
async function publish(ctx: RepoContext, remote: string | undefined, claim: Claim, fresh: boolean): Promise<void> {
  if (!remote || !fresh) return
  const outcome = await pushClaim(ctx.git, remote, claim, timeoutMs(ctx))
  if (outcome !== 'taken') return
  await releaseClaim(ctx.git, claim.version, claim.oid)
  throw new ConflictError(`${claim.version} was just claimed on ${remote} by another clone; use another version (see 'xv next')`)
}

async function claimNextShared(ctx: RepoContext, bump: Bump, request: {branch?: string; by: 'next' | 'run'; runId?: string}): Promise<{version: ExperimentVersion; claim: Claim}> {
  const remote = await claimRemote(ctx)
  if (remote) await fetchClaims(ctx.git, remote, timeoutMs(ctx))
  for (let attempt = 0; ; attempt++) {
    const got = await claimNext(ctx.git, ctx.config.prefix, bump, {owner: ownerOf(ctx), ...request})
    try {
      await publish(ctx, remote, got.claim, true)
      return got
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 5) throw error
      if (remote) await fetchClaims(ctx.git, remote, timeoutMs(ctx))
    }
  }
}

export async function nextVersionFor(ctx: RepoContext, bump: Bump, claim: boolean): Promise<NextReport> {
  if (!claim) return {version: (await nextFreeVersion(ctx.git, ctx.config.prefix, bump)).tag, claimed: false}
  const {version} = await claimNextShared(ctx, bump, {branch: await currentBranch(ctx), by: 'next'})
  return {version: version.tag, claimed: true}
}

/**
 * This worktree's claims that are not tagged yet (oldest version first) and the branch it is on:
 * one for-each-ref (claims, tags, branches) and one cat-file (the claims' records).
 */
async function openClaims(ctx: RepoContext): Promise<{open: Array<{claim: Claim; version: ExperimentVersion}>; branch: string | undefined}> {
  const refs = await ctx.git.refsUnder([...CLAIM_NAMESPACES, 'refs/tags/', 'refs/heads/'])
  const tagged = new Set(refs.filter((r) => r.ref.startsWith('refs/tags/')).map((r) => r.ref.slice('refs/tags/'.length)))
  const branch = refs.find((r) => r.head && r.ref.startsWith('refs/heads/'))?.ref.slice('refs/heads/'.length)
  const owner = ownerOf(ctx)
  const open = (await claimsOf(ctx.git, refs))
    .filter((c) => !c.remote && isOwner(c, owner) && !tagged.has(c.version))
    .flatMap((claim) => {
      const version = asVersion(claim.version, ctx.config.prefix)
      return version ? [{claim, version}] : []
    })
    .sort((a, b) => compareVersions(a.version, b.version))
  return {open, branch}
}

export interface RunVersionRequest {
  version?: string
  bump?: Bump
  runId: string
}

export interface RunVersion {
  version: ExperimentVersion
  /** Claimed now, or already this worktree's. */
  status: 'claimed' | 'owned'
  /** The branch this worktree is on (recorded with the run). */
  branch: string | undefined
}

/**
 * The version a run writes, claimed for this worktree (ConflictError when another owns it). By
 * default this worktree's open claim — read with the branch in one for-each-ref — else the next
 * free minor version.
 */
export async function claimRunVersion(ctx: RepoContext, request: RunVersionRequest): Promise<RunVersion> {
  const owner = ownerOf(ctx)
  if (request.version === undefined && !request.bump) {
    const {open, branch} = await openClaims(ctx)
    if (open[0]) return {version: open[0].version, status: 'owned', branch}
    const {version} = await claimNextShared(ctx, 'minor', {...(branch ? {branch} : {}), by: 'run', runId: request.runId})
    return {version, status: 'claimed', branch}
  }

  const branch = await currentBranch(ctx)
  if (request.version !== undefined) {
    const version = parseVersion(request.version, ctx.config.prefix)
    const outcome = await claimVersion(ctx.git, {version, owner, branch, by: 'run', runId: request.runId})
    await publish(ctx, await claimRemote(ctx), outcome.claim, outcome.status === 'claimed')
    return {version, status: outcome.status, branch}
  }

  const {version} = await claimNextShared(ctx, request.bump ?? 'minor', {...(branch ? {branch} : {}), by: 'run', runId: request.runId})
  return {version, status: 'claimed', branch}
}

/** Rows labelled VERSION in the experiment table of the result database (0 without one). */
function rowsLabelled(ctx: RepoContext, version: ExperimentVersion): Promise<number> {
  return withSqliteFile(ctx.dbPath, ctx.config.db, labelledRows(ctx, [version.tag, version.semver]), (file) => rowsLabelledIn(ctx, file, version))
}

function rowsLabelledIn(ctx: RepoContext, file: string, version: ExperimentVersion): number {
  const db = openRunStore(file, ctx.config.db, false)
  if (!db) return 0
  try {
    const choice = chooseResultTable(describeTables(db), {table: ctx.config.table, versionColumn: ctx.config.versionColumn}, ctx.config.db)
    return choice ? countLabelled(db, choice.table, choice.versionColumn, [version.tag, version.semver]) : 0
  } finally {
    db.close()
  }
}

/** Gives a claimed version back; refused while rows labelled with it exist or when another owns it. */
export async function releaseVersion(ctx: RepoContext, input: string): Promise<{version: string; released: true}> {
  const version = parseVersion(input, ctx.config.prefix)
  const claim = (await listClaims(ctx.git)).find((c) => c.version === version.tag)
  if (!claim) throw new NotFoundError('claim', `${version.tag} is not claimed; nothing to release (claims: 'xv next')`)
  if (claim.remote || !isOwner(claim, ownerOf(ctx))) throw new RefusedError(`${describeClaim(claim)}; only its owner can release it`)
  const rows = await rowsLabelled(ctx, version)
  if (rows > 0)
    throw new RefusedError(`${rows} row(s) of ${ctx.config.db} are labelled ${version.tag}; tag them ('xv tag ${version.tag}') or delete them before releasing the version`)
  await releaseClaim(ctx.git, version.tag, claim.oid)
  const remote = await claimRemote(ctx)
  if (remote) await deleteRemoteClaim(ctx.git, remote, version.tag, timeoutMs(ctx))
  return {version: version.tag, released: true}
}

