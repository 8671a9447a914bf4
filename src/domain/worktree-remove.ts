/**
 * `xv worktree remove`: the safety checklist, checked, not recited — then the worktree and its
 * branch go. Every failing item is listed; any blocking one refuses unless --force.
 */
import {existsSync} from 'node:fs'
import {basename, join, resolve} from 'node:path'

import {cloudStatus} from '../adapters/dvc.js'
import {Git, branchExists, deleteBranch, pruneWorktrees, removeWorktree, statusLinesOf, type WorktreeRecord} from '../adapters/git.js'
import {DEFAULT_ID_COLUMN, runsMissingFrom} from '../adapters/sqlite.js'
import type {RepoContext} from '../context.js'
import {XvError} from '../errors.js'
import {dvcState} from './dvc-state.js'
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

function mergedCheck(ctx: RepoContext, rec: WorktreeRecord, idColumn: string): CheckItem | undefined {
  const db = join(rec.path, ctx.config.db)
  if (!existsSync(db)) return undefined
  const merged = runsMissingFrom(db, join(ctx.mainRoot, ctx.config.db), idColumn)
  return {
    check: "results merged into main's database",
    ok: merged.missing === 0,
    warning: true,
    detail:
      merged.missing === 0
        ? `every run of ${ctx.config.db} is in main's`
        : `${merged.missing} run(s) of ${ctx.config.db} (${merged.tables.join(', ')}) are not in main's; run 'xv merge ${basename(rec.path)}' from the main worktree`,
  }
}

export async function checkRemoval(ctx: RepoContext, rec: WorktreeRecord, idColumn = DEFAULT_ID_COLUMN): Promise<CheckItem[]> {
  const checks: CheckItem[] = [await gitCheck(rec)]
  const dvc = await dvcState(rec.path)
  if (dvc) {
    const changed = [...dvc.modified]
    checks.push({
      check: 'no uncommitted DVC outputs',
      ok: changed.length === 0,
      detail: changed.length === 0 ? `${dvc.outputs} output(s) match their pointers` : `modified and not committed: ${changed.join(', ')}; run 'xv tag' in ${rec.path}`,
    })
  }

  checks.push(await tagCheck(ctx, rec))

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
    } else {
      let unpushed = dvc.unpushedOutputs
      let count = dvc.notInRemote
      if (count === null) {
        unpushed = await cloudStatus(rec.path)
        count = unpushed.length
      }

      checks.push({
        check: `DVC objects in remote '${dvc.remote}'`,
        ok: count === 0,
        detail: count === 0 ? 'all pushed' : `not pushed: ${unpushed.join(', ')} (${count} object(s)); run 'xv push' in ${rec.path}`,
      })
    }
  }

  const merged = mergedCheck(ctx, rec, idColumn)
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
