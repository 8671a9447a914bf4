/**
 * `xv doctor`'s checks of what interrupted or inconsistent work leaves in the repository: an
 * experiment commit without its tag (a killed `xv tag`; tag-undo.ts finds it), xv temp files whose
 * writer is gone (temp-files.ts's rule), half-made worktrees, and a `dvc.yaml` naming another result
 * database than xv.yaml (E13).
 */
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseYaml} from '../yaml.js'

import type {RepoContext} from '../context.js'
import type {Check} from './doctor.js'
import {untaggedExperimentCommit} from './tag-undo.js'
import {isStaleTempName} from './temp-files.js'

/** HEAD is an `experiment: V …` commit that no tag points at (a `xv tag` killed after its commit). */
export async function untaggedExperimentCheck(ctx: RepoContext): Promise<Check | undefined> {
  const head = await untaggedExperimentCommit(ctx)
  if (!head) return undefined
  const version = head.version ?? 'VERSION'
  return {
    name: 'HEAD',
    status: 'warn',
    detail: `'${head.subject}' is an experiment commit without its tag (an interrupted xv tag)`,
    fix: `tag it as it is: xv tag ${version} --no-commit (or undo it: git reset --soft HEAD^)`,
  }
}

/** xv temp files (`.NAME.xv-tmp-PID…`) whose writing process is gone; a running writer's are left alone. */
export async function staleTempFiles(ctx: RepoContext): Promise<string[]> {
  const stale: string[] = []
  for (const file of await ctx.git.untrackedFiles()) {
    if (isStaleTempName(file.split('/').pop() ?? '')) stale.push(file)
  }

  return stale
}

export async function staleTempFilesCheck(ctx: RepoContext): Promise<Check> {
  const stale = await staleTempFiles(ctx)
  if (stale.length === 0) return {name: 'temp files', status: 'ok', detail: 'no stale xv temp files'}
  const shown = stale.slice(0, 3).join(', ') + (stale.length > 3 ? ` and ${stale.length - 3} more` : '')
  return {name: 'temp files', status: 'warn', detail: `${stale.length} stale xv temp file(s) from interrupted runs: ${shown}`, fix: `rm -- ${stale.slice(0, 3).map((f) => `'${f}'`).join(' ')}${stale.length > 3 ? ' …' : ''}`}
}

/** Worktree records whose folder is gone (prunable) or that a killed xv left (temporary `xv-wt-` checkouts). */
export async function halfMadeWorktreesCheck(ctx: RepoContext): Promise<Check> {
  const records = await ctx.git.worktrees()
  const prunable = records.filter((r) => r.prunable)
  const temporary = records.filter((r) => !r.prunable && /\/xv-wt-[^/]+\/tree$/.test(r.path))
  if (prunable.length === 0 && temporary.length === 0) return {name: 'worktrees', status: 'ok', detail: `${records.length} worktree(s), none half-made`}
  const parts = [
    ...(prunable.length > 0 ? [`${prunable.length} whose folder is gone (${prunable.map((r) => r.path).join(', ')})`] : []),
    ...(temporary.length > 0 ? [`${temporary.length} temporary xv checkout(s) left by an interrupted run (${temporary.map((r) => r.path).join(', ')})`] : []),
  ]
  const fix = [...temporary.map((r) => `git worktree remove --force ${r.path}`), ...(prunable.length > 0 ? ['git worktree prune'] : [])].join(' && ')
  return {name: 'worktrees', status: 'warn', detail: `half-made worktree records: ${parts.join('; ')}`, fix}
}

const DB_EXTENSION = /\.(db|sqlite|sqlite3|duckdb)$/i

/** The database-like outs of dvc.yaml's stages (paths as written). */
function databaseOuts(text: string): string[] {
  const doc = parseYaml(text) as {stages?: Record<string, {outs?: unknown[]} | null>} | null
  const outs: string[] = []
  for (const stage of Object.values(doc?.stages ?? {})) {
    for (const o of stage?.outs ?? []) {
      const path = typeof o === 'string' ? o : o && typeof o === 'object' ? Object.keys(o)[0] : undefined
      if (path && DB_EXTENSION.test(path)) outs.push(path)
    }
  }

  return outs
}

/** E13: dvc.yaml's stages write a result database other than xv.yaml's `db:`. */
export function dvcYamlDbCheck(ctx: RepoContext): Check | undefined {
  const file = join(ctx.root, 'dvc.yaml')
  if (!existsSync(file)) return undefined
  let outs: string[]
  try {
    outs = databaseOuts(readFileSync(file, 'utf8'))
  } catch {
    return {name: 'dvc.yaml', status: 'fail', detail: 'dvc.yaml is not valid YAML', fix: 'fix dvc.yaml (dvc repro would fail too)'}
  }

  const db = ctx.config.db
  if (outs.length === 0 || outs.includes(db)) return {name: 'dvc.yaml', status: 'ok', detail: outs.length > 0 ? `stages write ${db}, as xv.yaml says` : 'no stage writes a result database'}
  return {
    name: 'dvc.yaml',
    status: 'fail',
    detail: `dvc.yaml's stages write ${outs.join(', ')} but xv.yaml's db is ${db} (worktree new / explore would fail)`,
    fix: `replace ${outs[0] ?? ''} with ${db} in dvc.yaml (the merge stage's --into and outs), or set db: ${outs[0] ?? ''} in xv.yaml`,
  }
}
