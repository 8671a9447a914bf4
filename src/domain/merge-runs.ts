/**
 * How `xv merge` matches xv's own run tables: by run id, never as whole rows, so a run recorded
 * on both sides (e.g. `running` in main's copy, `completed` in the worktree) stays ONE run.
 *
 *   merge  — the source's row wins when its run is further along (pending < running < ended;
 *            between two ended copies, the later end); an artifact row on both sides keeps the target's.
 *   rebase — the source's row wins whenever it differs (rebase means "the source is right"),
 *            but only for the runs the source has: the target's other runs are kept.
 */
import {RUN_ARTIFACTS_TABLE, RUNS_TABLE} from '../adapters/run-store.js'
import type {KeyedWin, MergeDb} from '../adapters/merge-db.js'

export interface RunTableRule {
  keys: string[]
  win: KeyedWin
}

const KEYS: Record<string, string[]> = {
  [RUNS_TABLE]: ['run_id'],
  [RUN_ARTIFACTS_TABLE]: ['run_id', 'role', 'path'],
}

/**
 * When a worktree's run is in main's database (worktree remove, status): its record is there with
 * the same lifecycle end — a copy merged while the run was still `running` is not the finished run.
 */
export const RUN_RECORD_MATCH: Record<string, string[]> = {[RUNS_TABLE]: ['run_id', 'status', 'ended_at']}

/** The rule for one of xv's run tables, or undefined for any other table (or when a key column is missing). */
export function runTableRule(table: string, columns: string[], strategy: 'merge' | 'rebase'): RunTableRule | undefined {
  const keys = KEYS[table]
  if (!keys || !keys.every((k) => columns.includes(k))) return undefined
  if (strategy === 'rebase') return {keys, win: 'differs'}
  return {keys, win: table === RUNS_TABLE && columns.includes('status') ? 'lifecycle' : 'never'}
}

/** Merges one run table of SCHEMA into main by RULE; the counts for the merge report (TOTAL = the source's rows). */
export async function mergeRunTable(db: MergeDb, schema: string, table: string, columns: string[], rule: RunTableRule, total: number) {
  const {replaced, added} = await db.mergeByKey(schema, table, columns, rule.keys, rule.win)
  return {replaced, added, skipped: total - added - replaced, matchedBy: `id:${rule.keys.join(',')}`}
}
