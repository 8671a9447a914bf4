/**
 * `xv worktree remove`: the safety checklist, checked, not recited — then the worktree and its
 * branch go. Every failing item is listed; any blocking one refuses unless --force.
 */
import {existsSync} from 'node:fs'
import {basename, resolve} from 'node:path'

import {ObjectLookup} from '../adapters/dvc-objects.js'
import {unpushedByRevision} from '../adapters/dvc-cloud-status.js'
import {Git, type WorktreeRecord} from '../adapters/git.js'
import {branchExists, deleteBranch, pruneWorktrees, removeWorktree, statusLinesOf, tagsReachable} from '../adapters/git-worktrees.js'
import {RUNS_TABLE} from '../adapters/run-store.js'
import {DEFAULT_ID_COLUMN} from '../adapters/sqlite.js'
import type {RepoContext} from '../context.js'
import {XvError, errorMessage} from '../errors.js'
import {dvcState, type DvcState} from './dvc-state.js'
import {missingInRemote, outsOfTags} from './tag-objects.js'
import {unmergedResults} from './unmerged.js'
import {BRANCH_PREFIX, findWorktree} from './worktree-names.js'

export interface CheckItem {
  check: string
  ok: boolean
  /** A failing item that does not block the removal (shown as a warning). */
  warning?: boolean
  detail: string
}

export interface RemoveReport {
  name: string
  path: string
  branch?: string
  checks: CheckItem[]
  removed: boolean
  forced: boolean
  dryRun: boolean
}

export interface RemoveOptions {
  name: string
  force: boolean
  dryRun: boolean
  /** The run id column of the result database (as `xv merge --id-column`; default track_id). */
  idColumn?: string
}

async function tagCheck(ctx: RepoContext, rec: WorktreeRecord): Promise<CheckItem> {
  const tags = (await ctx.experimentTags()).filter((t) => t.commit === rec.head).map((t) => t.name)
  const head = rec.head?.slice(0, 7)
  return {
    check: 'last commit is tagged',
    ok: tags.length > 0,
    detail: tags.length > 0 ? `${head ?? ''} is ${tags.join(', ')}` : `${head ?? 'HEAD'} has no experiment tag; run 'xv tag' in ${rec.path}`,
  }
}

async function gitCheck(rec: WorktreeRecord): Promise<CheckItem> {
  const status = await statusLinesOf(rec.path)
  return {
    check: 'no uncommitted git changes',
    ok: status.length === 0,
    detail: status.length === 0 ? 'clean' : `${status.length} changed file(s), e.g. ${(status[0] ?? '').slice(3)}; commit them (xv tag) or discard them`,
  }
}

/**
 * The worktree's runs are in main's database: its rows (by ID_COLUMN, per table) and its run
 * records (`xv_runs`, by run id and lifecycle end). A warning, not a refusal: every tag keeps its
 * database, and `xv merge VERSION` brings a tagged one home after the worktree is gone.
 */
async function mergedCheck(ctx: RepoContext, rec: WorktreeRecord, idColumn: string): Promise<CheckItem | undefined> {
  const unmerged = await unmergedResults(ctx, rec.path, idColumn)
  if (!unmerged) return undefined
  const {rows, rowTables, records} = unmerged
  const missing = [
    ...(rows > 0 ? [`${rows} run(s) of ${ctx.config.db} (${rowTables.join(', ')})`] : []),
    ...(records > 0 ? [`${records} run record(s) of xv run (${RUNS_TABLE})`] : []),
  ]
  return {
    check: "results merged into main's database",
    ok: missing.length === 0,
    warning: true,
    detail:
      missing.length === 0
        ? `every run of ${ctx.config.db} is in main's`
        : `${missing.join(' and ')} ${rows + records === 1 ? 'is' : 'are'} not in main's; run 'xv merge ${basename(rec.path)}' from the main worktree`,
  }
}

/**
 * Every DVC object of the branch is in the remote: those of each experiment tag only this branch
 * reaches (not only the current files) and, when HEAD is untagged, the current outputs. Objects in
 * the remote count as pushed whether or not the local cache still has them. An unreachable remote
 * is one failing item, never an abort (so --force works and the other items are listed).
 */
async function remoteCheck(ctx: RepoContext, rec: WorktreeRecord, dvc: DvcState): Promise<CheckItem> {
  const check = `DVC objects in remote '${dvc.remote ?? ''}'`
  const all = await ctx.experimentTags()
  const mainHead = await new Git(ctx.mainRoot).revParse('HEAD^{commit}')
  const mine = rec.head ? new Set(await tagsReachable(ctx.git, rec.head, mainHead)) : new Set<string>()
  const tags = all.filter((t) => mine.has(t.name))
  const headTagged = tags.some((t) => t.commit === rec.head)
  const gaps: Array<{what: string; objects: number; paths: string[]}> = []
  const remoteDir = dvc.notInRemote === null ? undefined : dvc.remoteDir
  if (remoteDir) {
    const lookup = new ObjectLookup()
    for (const {tag, outs} of await outsOfTags(ctx.git, rec.head ?? 'HEAD', mainHead, tags)) {
      const gap = missingInRemote(outs, dvc.cacheDir, remoteDir, lookup)
      if (gap.objects > 0) gaps.push({what: tag, ...gap})
    }

    if (!headTagged && (dvc.notInRemote ?? 0) > 0) gaps.push({what: 'HEAD', objects: dvc.notInRemote ?? 0, paths: dvc.unpushedOutputs})
  } else {
    try {
      const byRev = await unpushedByRevision(rec.path, tags.map((t) => t.name))
      for (const t of tags) {
        const unsafe = byRev.get(t.name) ?? []
        if (unsafe.length > 0) gaps.push({what: t.name, objects: unsafe.length, paths: unsafe.map((u) => u.path)})
      }

      const current = byRev.get('') ?? []
      if (!headTagged && current.length > 0) gaps.push({what: 'HEAD', objects: current.length, paths: current.map((u) => u.path)})
    } catch (error) {
      return {check, ok: false, detail: `cannot compare with the remote (${errorMessage(error)}); check the remote, or use --force to remove anyway`}
    }
  }

  if (gaps.length === 0) return {check, ok: true, detail: tags.length > 0 ? `all pushed (${tags.length > 3 ? `${tags.length} tags` : tags.map((t) => t.name).join(', ')} and the current files)` : 'all pushed'}
  const versions = gaps.filter((g) => g.what !== 'HEAD').map((g) => g.what)
  const fixes = [...(versions.length > 0 ? [`xv push ${versions.join(' ')}`] : []), ...(gaps.some((g) => g.what === 'HEAD') ? [`xv tag (in ${rec.path})`] : [])]
  const objects = gaps.reduce((n, g) => n + g.objects, 0)
  const listed = gaps.map((g) => `${g.what === 'HEAD' ? 'current files' : g.what}: ${g.paths.join(', ')}`).join('; ')
  return {check, ok: false, detail: `not pushed: ${listed} (${objects} object(s)); run '${fixes.join("', then '")}'`}
}

export async function checkRemoval(ctx: RepoContext, rec: WorktreeRecord, idColumn = DEFAULT_ID_COLUMN): Promise<CheckItem[]> {
  const [gitItem, dvc] = await Promise.all([gitCheck(rec), dvcState(rec.path)])
  const checks: CheckItem[] = [gitItem]
  if (dvc) {
    const changed = [...dvc.modified]
    checks.push({
      check: 'no uncommitted DVC outputs',
      ok: changed.length === 0,
      detail:
        changed.length > 0
          ? `modified and not committed: ${changed.join(', ')}; run 'xv tag' in ${rec.path}`
          : `${dvc.outputs - dvc.unverified.length} output(s) match their pointers${dvc.unverified.length > 0 ? `; not verifiable without their directory manifest: ${dvc.unverified.join(', ')}` : ''}`,
    })
  }

  const [tagItem, remoteItem] = await Promise.all([tagCheck(ctx, rec), dvc?.remote ? remoteCheck(ctx, rec, dvc) : undefined])
  checks.push(tagItem)
  if (dvc) {
    if (!dvc.remote) {
      // All in the shared cache: not blocking, but said, since nothing is backed up.
      checks.push({
        check: 'DVC objects in the shared cache',
        ok: false,
        warning: dvc.notInCache === 0,
        detail:
          dvc.notInCache === 0
            ? 'no DVC remote: the objects are only in the shared cache, not backed up (add one: xv init --remote PATH)'
            : `${dvc.notInCache} object(s) missing from the cache ${dvc.cacheDir}`,
      })
    } else if (remoteItem) checks.push(remoteItem)
  }

  const merged = await mergedCheck(ctx, rec, idColumn)
  if (merged) checks.push(merged)
  return checks
}

export async function removeExperimentWorktree(ctx: RepoContext, options: RemoveOptions): Promise<RemoveReport> {
  const rec = await findWorktree(ctx, options.name, ['experiment'])
  if (resolve(ctx.root) === resolve(rec.path))
    throw new XvError(`you are inside ${rec.path}; cd to the main worktree (${ctx.mainRoot}) and run it again`)
  const report: RemoveReport = {name: rec.name, path: rec.path, branch: rec.branch, checks: [], removed: false, forced: options.force, dryRun: options.dryRun}
  if (rec.prunable || !existsSync(rec.path)) {
    report.checks.push(
      {check: 'worktree folder exists', ok: false, warning: true, detail: 'the folder is gone; only the stale record and the branch are removed'},
      await tagCheck(ctx, rec),
    )
  } else report.checks = await checkRemoval(ctx, rec, options.idColumn)

  const failing = report.checks.filter((c) => !c.ok && !c.warning)
  if (options.dryRun) return report
  if (failing.length > 0 && !options.force) return report
  const git = new Git(ctx.mainRoot)
  if (existsSync(rec.path)) await removeWorktree(git, rec.path, options.force || failing.length > 0)
  await pruneWorktrees(git)
  if (rec.branch && rec.branch === `${BRANCH_PREFIX}${rec.name}` && (await branchExists(git, rec.branch))) await deleteBranch(git, rec.branch)
  report.removed = true
  return report
}
