/**
 * What of a worktree's result database main's lacks — the one answer `xv status` and
 * `xv worktree remove` both give: runs of its result rows (by the id column, per table) and run
 * records of `xv run` (`xv_runs`, by run id, status and end: a copy merged while the run was still
 * `running` is not the finished run).
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {runsMissingAnyEngine} from '../adapters/result-store-convert.js'
import {RUNS_TABLE} from '../adapters/run-store.js'
import type {RepoContext} from '../context.js'
import {RUN_RECORD_MATCH} from './merge-runs.js'

export interface Unmerged {
  /** Runs (distinct ids) of result rows main's database lacks, summed over tables. */
  rows: number
  /** The result tables those rows are in. */
  rowTables: string[]
  /** Run records (`xv_runs`) main's database lacks or holds at another stage. */
  records: number
}

/** What WORKTREE's result database holds that main's lacks; undefined when the worktree has no database. */
export async function unmergedResults(ctx: RepoContext, worktree: string, idColumn: string): Promise<Unmerged | undefined> {
  const db = join(worktree, ctx.config.db)
  if (!existsSync(db)) return undefined
  const merged = await runsMissingAnyEngine(db, join(ctx.mainRoot, ctx.config.db), idColumn, RUN_RECORD_MATCH)
  const rowTables = merged.tables.filter((t) => t !== RUNS_TABLE)
  return {rows: rowTables.reduce((n, t) => n + (merged.byTable[t] ?? 0), 0), rowTables, records: merged.byTable[RUNS_TABLE] ?? 0}
}
