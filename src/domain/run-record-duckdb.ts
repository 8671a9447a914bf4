/**
 * `xv run` with a DuckDB result database. DuckDB lets ONE process write a file, and during a run
 * that process is the training command xv started — so xv never holds the file while it runs.
 * The run record is written to a small SQLite file next to the run logs
 * (`results/runs/RUN.record.db`, the same run-store code as an SQLite result database) and copied
 * into the DuckDB file with xv merge's run rules (one row per run; the further-along copy wins):
 * once before the command starts (status `pending`) and once after it ended (the final record).
 *
 * Another process holding the DuckDB file before the start refuses the run (one line naming the
 * holder; nothing ran). Held at the end, the record stays in its file and a warning says how to
 * bring it in later (`xv merge FILE --table xv_runs --table xv_run_artifacts`).
 */
import {mkdirSync, rmSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'

import {targetKindOf} from '../adapters/merge-db.js'
import {RUN_ARTIFACTS_TABLE, RUNS_TABLE} from '../adapters/run-store.js'
import type {RepoContext} from '../context.js'
import {errorMessage} from '../errors.js'
import {mergeDatabases} from './merge.js'

/** Where the run record is written first: undefined for an SQLite result database (written in place). */
export function runRecordFile(ctx: RepoContext, runId: string): string | undefined {
  if (targetKindOf(ctx.dbPath) !== 'duckdb') return undefined
  const dir = dirname(ctx.config.db)
  const file = join(ctx.root, dir === '.' ? 'results' : dir, 'runs', `${runId}.record.db`)
  mkdirSync(dirname(file), {recursive: true})
  return file
}

/** Copies the run tables of FILE into the DuckDB result database (fails with one line naming a holder). */
export async function publishRunRecord(ctx: RepoContext, file: string): Promise<void> {
  await mergeDatabases(ctx, {sources: [file], into: ctx.dbPath, strategy: 'merge', tables: [RUNS_TABLE, RUN_ARTIFACTS_TABLE], yes: true, dryRun: false}, ctx.root)
}

/** After the run: the final record copied in and its file removed, or a warning saying how to finish. */
export async function finishRunRecord(ctx: RepoContext, file: string): Promise<string | undefined> {
  try {
    await publishRunRecord(ctx, file)
    for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) rmSync(f, {force: true})
    return undefined
  } catch (error) {
    const rel = relative(process.cwd(), file)
    return `the run record could not be written to ${ctx.config.db} (${errorMessage(error)}); it is kept in ${rel}: xv merge ${rel} --table ${RUNS_TABLE} --table ${RUN_ARTIFACTS_TABLE}`
  }
}
