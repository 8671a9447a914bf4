/**
 * `xv status`: where the project stands on one screen — the version at HEAD, artifacts changed or
 * not tracked, what is not pushed, worktrees whose results are not merged, an interrupted tag or
 * run (a version claim without its tag), and the one command to type next.
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {DEFAULT_ID_COLUMN} from '../adapters/sqlite.js'
import type {RepoContext} from '../context.js'
import {listClaims} from './claims.js'
import {unmergedResults} from './unmerged.js'
import {compareVersions} from './version.js'
import {listWorktrees} from './worktree-list.js'

export interface ArtifactStatus {
  path: string
  /** modified: differs from its DVC pointer · untracked: exists, tracked by neither DVC nor git · missing: not in the working tree. */
  state: 'modified' | 'untracked' | 'missing'
}

export interface WorktreeStatus {
  name: string
  path: string
  branch?: string
  /** Uncommitted git changes (lines of git status). */
  changes: number
  /** Runs (distinct ids) of its result rows that main's database lacks. */
  unmergedRuns: number
  /** Run records of `xv run` (xv_runs) main's database lacks or holds at another stage (e.g. still `running`). */
  unmergedRunRecords: number
  /** Experiment tags on its branch and not on main. */
  tags: string[]
}

export interface StatusReport {
  root: string
  branch: string | null
  head: string | null
  /** Experiment tags pointing at HEAD. */
  headTags: string[]
  /** The newest experiment version in the repository. */
  latest: string | null
  artifacts: ArtifactStatus[]
  notPushed: {
    remote: string | null
    /** Experiment tags the git remote lacks (empty when there is no remote). */
    tags: string[]
    /** Commits of the branch its upstream lacks; null when the branch has no upstream. */
    commits: number | null
    /** DVC objects the (local) DVC remote lacks; null when unknown (no remote, or not a local folder). */
    objects: number | null
  }
  worktrees: WorktreeStatus[]
  /** Versions claimed (refs/xv/claims) by a tag or run that never finished. */
  interrupted: Array<{version: string; by: string; worktree: string; time: string}>
  /** The one command to type next, and why. */
  next: {command: string; why: string}
}

async function branchInfo(ctx: RepoContext): Promise<{branch: string | null; ahead: number | null}> {
  const branch = (await ctx.git.currentBranch()) ?? null
  if (!branch || !ctx.location.head) return {branch, ahead: null}
  return {branch, ahead: (await ctx.git.aheadOfUpstream()) ?? null}
}

async function untrackedArtifacts(ctx: RepoContext, candidates: string[]): Promise<string[]> {
  if (candidates.length === 0) return []
  const inGit = new Set(await ctx.git.lsFiles(candidates))
  const pipeline = ['dvc.yaml', 'dvc.lock'].map((f) => join(ctx.root, f)).filter(existsSync)
  const {readFileSync} = await import('node:fs')
  const pipelineText = pipeline.map((f) => readFileSync(f, 'utf8')).join('\n')
  return candidates.filter((a) => !inGit.has(a) && !existsSync(join(ctx.root, `${a}.dvc`)) && !pipelineText.includes(a))
}

/** "2 run(s) and 1 run record(s)": what of a worktree main's results lack. */
export function unmergedText(w: Pick<WorktreeStatus, 'unmergedRuns' | 'unmergedRunRecords'>): string {
  return [...(w.unmergedRuns > 0 ? [`${w.unmergedRuns} run(s)`] : []), ...(w.unmergedRunRecords > 0 ? [`${w.unmergedRunRecords} run record(s)`] : [])].join(' and ')
}

function nextStep(r: Omit<StatusReport, 'next'>): {command: string; why: string} {
  const claim = r.interrupted.at(0)
  if (claim !== undefined) {
    // Only the claiming worktree may tag the version: say where.
    const here = claim.worktree === '' || claim.worktree === r.root
    return {
      command: here ? `xv tag ${claim.version}` : `cd ${claim.worktree} && xv tag ${claim.version}`,
      why: `${claim.version} was claimed by '${claim.by}'${here ? '' : ` in ${claim.worktree}`} and never tagged: finish it there (or give it back: xv next --release ${claim.version})`,
    }
  }
  const changed = r.artifacts.filter((a) => a.state !== 'missing')
  if (changed.length > 0) return {command: 'xv tag -m "…"', why: `${changed.map((a) => a.path).join(', ')} changed since the last tag`}
  const unmerged = r.worktrees.find((w) => w.unmergedRuns + w.unmergedRunRecords > 0)
  if (unmerged) return {command: `xv merge ${unmerged.name}`, why: `${unmergedText(unmerged)} of worktree ${unmerged.name} ${unmerged.unmergedRuns + unmerged.unmergedRunRecords === 1 ? 'is' : 'are'} not in main's results`}
  if (r.notPushed.tags.length > 0 || (r.notPushed.objects ?? 0) > 0)
    return {command: 'xv push', why: `${r.notPushed.tags.length} tag(s) and their DVC objects are not on the remote`}
  if ((r.notPushed.commits ?? 0) > 0) return {command: 'git push', why: `${r.notPushed.commits} commit(s) of ${r.branch} are not on its upstream`}
  if (r.latest === null) return {command: 'xv tag e0.1.0 -m "baseline"', why: 'no experiment is versioned yet: run your training, then tag it'}
  return {command: 'xv worktree new NAME', why: 'everything is tagged, merged and pushed: start the next experiment'}
}

export async function projectStatus(ctx: RepoContext): Promise<StatusReport> {
  const [tags, {branch, ahead}, worktrees, claims, remotes] = await Promise.all([
    ctx.experimentTags(),
    branchInfo(ctx),
    listWorktrees(ctx),
    listClaims(ctx.git),
    ctx.git.remotes(),
  ])
  const head = ctx.location.head ?? null
  const sorted = [...tags].sort((a, b) => compareVersions(b.version, a.version))
  const remote = remotes.includes('origin') ? 'origin' : (remotes[0] ?? null)
  const onRemote = remote ? await ctx.git.remoteTags(remote).catch(() => undefined) : undefined
  const me = worktrees.find((w) => w.path === ctx.root)
  const modified = new Set(me?.dvc?.modified ?? [])
  const artifacts: ArtifactStatus[] = []
  const present = ctx.config.artifacts.filter((a) => existsSync(join(ctx.root, a)))
  for (const a of ctx.config.artifacts) if (modified.has(a)) artifacts.push({path: a, state: 'modified'})
  for (const a of await untrackedArtifacts(ctx, present.filter((a) => !modified.has(a)))) artifacts.push({path: a, state: 'untracked'})
  for (const a of me?.dvc?.missing ?? []) artifacts.push({path: a, state: 'missing'})
  const worktreeStatus: WorktreeStatus[] = []
  for (const w of worktrees) {
    if (w.kind !== 'experiment' || w.changes === null) continue
    const unmerged = await unmergedResults(ctx, w.path, DEFAULT_ID_COLUMN)
    worktreeStatus.push({name: w.name, path: w.path, branch: w.branch, changes: w.changes, unmergedRuns: unmerged?.rows ?? 0, unmergedRunRecords: unmerged?.records ?? 0, tags: w.tags})
  }

  const tagged = new Set(tags.map((t) => t.name))
  const base: Omit<StatusReport, 'next'> = {
    root: ctx.root,
    branch,
    head,
    headTags: tags.filter((t) => t.commit === head).map((t) => t.name),
    latest: sorted[0]?.name ?? null,
    artifacts,
    notPushed: {
      remote,
      tags: onRemote ? sorted.filter((t) => !onRemote.has(t.name)).map((t) => t.name) : [],
      commits: ahead,
      objects: me?.dvc?.remote ? me.dvc.notInRemote : null,
    },
    worktrees: worktreeStatus,
    interrupted: claims
      .filter((c) => !c.remote && !tagged.has(c.version))
      .map((c) => ({version: c.version, by: c.by, worktree: c.worktree, time: c.time})),
  }
  return {...base, next: nextStep(base)}
}
