/**
 * Version claims: before anything changes, `xv tag`, `xv next --claim` and `xv run` claim the
 * version they will write, so two worktrees (or two clones) never label different work alike.
 *
 * A claim is a git ref `refs/xv/claims/<VERSION>` that points at a small blob (JSON: who, where,
 * when). It is created only if absent (`git update-ref REF OID ''`), which git does atomically, so
 * every worktree of the repository sees it at once. With a git remote it is pushed create-only
 * (`--force-with-lease=REF:` — a plain push of a non-tag ref would fast-forward over another's
 * claim) and xv fetches the remote's claims itself into `refs/xv/remote-claims/<remote>/*` (a plain
 * `git fetch` does not). A tag consumes its claim: once the tag exists the claim is deleted.
 *
 * The owner of a claim is the worktree that made it (its path on its host); the owner may tag or
 * run the version, anyone else takes the next free one (automatic) or fails (explicit).
 */
import {hostname, userInfo} from 'node:os'

import {ConflictError} from '../errors.js'
import type {Git} from '../adapters/git.js'
import {asVersion, nextVersion, type Bump, type ExperimentVersion} from './version.js'

const CLAIMS_NS = 'refs/xv/claims/'
export const REMOTE_CLAIMS_NS = 'refs/xv/remote-claims/'
/** Where claims live: this repository's own, and those fetched from remotes. */
export const CLAIM_NAMESPACES = [CLAIMS_NS, REMOTE_CLAIMS_NS]

export interface ClaimRecord {
  version: string
  /** Absolute path of the worktree that claimed it. */
  worktree: string
  branch?: string
  user: string
  host: string
  /** ISO time of the claim. */
  time: string
  /** The run that claimed it (xv run), if any. */
  runId?: string
  /** What claimed it: 'tag', 'next', 'run'. */
  by: string
}

export interface Claim extends ClaimRecord {
  ref: string
  oid: string
  /** Seen only on a remote (fetched), not created in this repository. */
  remote?: string
}

export interface Owner {
  worktree: string
  host?: string
}

function claimRef(version: string): string {
  return `${CLAIMS_NS}${version}`
}

function parseRecord(text: string, fallbackVersion: string): ClaimRecord {
  try {
    const doc = JSON.parse(text) as Partial<ClaimRecord>
    return {
      version: doc.version ?? fallbackVersion,
      worktree: doc.worktree ?? '',
      branch: doc.branch,
      user: doc.user ?? '',
      host: doc.host ?? '',
      time: doc.time ?? '',
      runId: doc.runId,
      by: doc.by ?? 'tag',
    }
  } catch {
    return {version: fallbackVersion, worktree: '', user: '', host: '', time: '', by: 'unknown'}
  }
}

/** Every claim this repository knows: its own and those fetched from remotes (one for-each-ref + one cat-file). */
export async function listClaims(git: Git): Promise<Claim[]> {
  return claimsOf(git, await git.refsUnder(CLAIM_NAMESPACES))
}

/** The claims among REFS (refs of other namespaces ignored), their records read in one cat-file. */
export async function claimsOf(git: Git, allRefs: Array<{ref: string; oid: string}>): Promise<Claim[]> {
  const refs = allRefs.filter((r) => CLAIM_NAMESPACES.some((ns) => r.ref.startsWith(ns)))
  if (refs.length === 0) return []
  const blobs = await git.catFileBatch(refs.map((r) => r.oid))
  const claims: Claim[] = []
  const own = new Set<string>()
  for (const {ref, oid} of refs) {
    let version: string
    let remote: string | undefined
    if (ref.startsWith(CLAIMS_NS)) version = ref.slice(CLAIMS_NS.length)
    else {
      const rest = ref.slice(REMOTE_CLAIMS_NS.length)
      const slash = rest.indexOf('/')
      remote = rest.slice(0, slash)
      version = rest.slice(slash + 1)
    }

    if (!remote) own.add(version)
    else if (own.has(version)) continue
    const record = parseRecord(blobs.get(oid)?.toString('utf8') ?? '', version)
    claims.push({...record, version, ref, oid, ...(remote ? {remote} : {})})
  }

  // A remote claim whose version is also claimed here is the same claim seen twice: keep ours.
  return claims.filter((c) => !c.remote || !own.has(c.version))
}

export function isOwner(claim: ClaimRecord, owner: Owner): boolean {
  return claim.worktree === owner.worktree && (owner.host ?? hostname()) === claim.host
}

export function describeClaim(claim: ClaimRecord): string {
  const where = claim.branch ? `branch ${claim.branch}` : claim.worktree
  return `${claim.version} is claimed by ${claim.user || 'someone'} (${where}${claim.host && claim.host !== hostname() ? ` on ${claim.host}` : ''}, ${claim.by}${claim.time ? ` at ${claim.time.slice(0, 16).replace('T', ' ')}` : ''})`
}

export interface ClaimRequest {
  version: ExperimentVersion
  owner: Owner
  branch?: string
  by: 'tag' | 'next' | 'run'
  runId?: string
}

export type ClaimOutcome =
  /** Created now. */
  | {status: 'claimed'; claim: Claim}
  /** Already ours (a re-run, a tag after `xv next --claim`). */
  | {status: 'owned'; claim: Claim}

/**
 * Claims VERSION for OWNER, atomically. Fails with ConflictError when another owner holds it, or
 * when the tag already exists.
 */
export async function claimVersion(git: Git, request: ClaimRequest): Promise<ClaimOutcome> {
  const version = request.version.tag
  if (await git.tagExists(version)) throw new ConflictError(`version ${version} is already tagged; pick another (see 'xv next')`)
  const existing = (await listClaims(git)).find((c) => c.version === version)
  if (existing) {
    if (isOwner(existing, request.owner)) return {status: 'owned', claim: existing}
    throw new ConflictError(`${describeClaim(existing)}; use another version (see 'xv next')`)
  }

  const record: ClaimRecord = {
    version,
    worktree: request.owner.worktree,
    ...(request.branch ? {branch: request.branch} : {}),
    user: safeUser(),
    host: request.owner.host ?? hostname(),
    time: new Date().toISOString(),
    ...(request.runId ? {runId: request.runId} : {}),
    by: request.by,
  }
  const oid = await git.hashObject(`${JSON.stringify(record)}\n`)
  const ref = claimRef(version)
  const created = await git.createRefIfAbsent(ref, oid)
  if (!created) {
    // Lost a race with another worktree: report its claim.
    const winner = (await listClaims(git)).find((c) => c.version === version)
    if (winner && isOwner(winner, request.owner)) return {status: 'owned', claim: winner}
    throw new ConflictError(`${winner ? describeClaim(winner) : `${version} was claimed by another process just now`}; use another version (see 'xv next')`)
  }

  return {status: 'claimed', claim: {...record, ref, oid}}
}

/**
 * Claims the next free version after every tag and claim (local and fetched) and EXTRA_TAKEN
 * (e.g. tags only the remote has), retrying on a race. Returns the version claimed.
 */
export async function claimNext(
  git: Git,
  prefix: string,
  bump: Bump,
  request: Omit<ClaimRequest, 'version'>,
  extraTaken: ExperimentVersion[] = [],
): Promise<{version: ExperimentVersion; claim: Claim; status: ClaimOutcome['status']}> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const version = await nextFreeVersion(git, prefix, bump, extraTaken)
    try {
      const outcome = await claimVersion(git, {...request, version})
      return {version, claim: outcome.claim, status: outcome.status}
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error
    }
  }

  throw new ConflictError('could not claim a free version after 20 attempts (many concurrent claims?); try again')
}

/** The next version after every experiment tag and every claim (tags and claims in two git reads). */
export async function nextFreeVersion(git: Git, prefix: string, bump: Bump, extraTaken: ExperimentVersion[] = []): Promise<ExperimentVersion> {
  const taken: ExperimentVersion[] = [...extraTaken]
  for (const tag of await git.listTagNames()) {
    const v = asVersion(tag, prefix)
    if (v) taken.push(v)
  }

  for (const claim of await listClaims(git)) {
    const v = asVersion(claim.version, prefix)
    if (v) taken.push(v)
  }

  return nextVersion(taken, bump, prefix)
}

/** Deletes this repository's claim of VERSION (only if it still points at OID, when given). */
export async function releaseClaim(git: Git, version: string, oid?: string): Promise<boolean> {
  return git.deleteRefIfMatches(claimRef(version), oid)
}

/**
 * Publishes a claim to REMOTE create-only. Returns 'pushed', 'taken' (the remote already has a
 * different claim of that version: someone else won) or 'unreachable' (the claim stays local).
 */
export async function pushClaim(git: Git, remote: string, claim: Claim, timeoutMs = 15_000): Promise<'pushed' | 'taken' | 'unreachable'> {
  const res = await git.pushRefCreateOnly(remote, claim.ref, claim.oid, timeoutMs)
  return res
}

/** Deletes a claim on the remote (after its tag was pushed); failures are ignored. */
export async function deleteRemoteClaim(git: Git, remote: string, version: string, timeoutMs = 15_000): Promise<void> {
  await git.deleteRemoteRef(remote, claimRef(version), timeoutMs).catch(() => {})
}

/** The ls-remote pattern of a remote's claims (with `Git.remoteRefs`). */
export const REMOTE_CLAIMS_PATTERN = `${CLAIMS_NS}*`

/**
 * The claims of VERSIONS among a remote's REFS (full names, from `Git.remoteRefs`): left there when
 * a tag's own push was refused or interrupted (that push takes its claim away); `xv push` deletes
 * them with the tags it publishes.
 */
export function claimsLeftFor(versions: string[], refs: ReadonlyMap<string, string>): string[] {
  return versions.map(claimRef).filter((ref) => refs.has(ref))
}

/** Fetches the remote's claims into refs/xv/remote-claims/<remote>/ (replacing the previous copy). */
export async function fetchClaims(git: Git, remote: string, timeoutMs = 15_000): Promise<boolean> {
  return git.fetchRefs(remote, [`+${CLAIMS_NS}*:${REMOTE_CLAIMS_NS}${remote}/*`], timeoutMs, true)
}

function safeUser(): string {
  try {
    return process.env.GIT_AUTHOR_NAME || userInfo().username
  } catch {
    return process.env.USER ?? 'unknown'
  }
}
