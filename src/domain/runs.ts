/**
 * `xv run`: the version is known (and claimed) before the command starts; the run is recorded in
 * the result database with its lifecycle (pending → running → completed | failed | cancelled),
 * provenance, inputs and outputs; `--tag` versions it on success with the same function `xv tag`
 * uses. A failed or cancelled run keeps its claimed version (re-run it, or `xv next --release V`).
 */
import {createHash, randomBytes} from 'node:crypto'
import {existsSync, readdirSync, rmSync, statSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'

import {md5File} from '../adapters/dvc-objects.js'
import {withSqliteFile} from '../adapters/result-store-convert.js'
import {openRunStore, requireRun, runArtifacts, writeRun, type RunArtifact, type RunRecord, type RunStatus} from '../adapters/run-store.js'
import type {Db} from '../adapters/sqlite.js'
import type {RepoContext} from '../context.js'
import {UsageError, XvError, errorMessage} from '../errors.js'
import {releaseClaim} from './claims.js'
import {runRecord} from './copy-scopes.js'
import {dataInputs, pointerSources, producedPaths} from './data-inputs.js'
import {gatherProvenance, paramsFiles, type Provenance} from './provenance.js'
import {RunLog} from './run-log.js'
import {runCommand, type ProcessOutcome} from './run-process.js'
import {finishRunRecord, publishRunRecord, runRecordFile} from './run-record-duckdb.js'
import {claimRunVersion} from './run-versions.js'
import type {TagReport} from './tagging.js'
import type {Bump} from './version.js'

export interface RunOptions {
  command: string[]
  version?: string
  bump?: Bump
  tag: boolean
  message?: string
  name?: string
  seed?: string
  rerun?: string
  /** Push the tag (with --tag). */
  push: boolean
  /** Send the command's stdout to stderr (--json keeps stdout for JSON). */
  stdoutToStderr?: boolean
}

export interface RunReport {
  runId: string
  version: string
  status: RunStatus
  exitCode: number
  durationS: number
  log: string
  command: string[]
  rerunOf?: string
  error?: string
  tag?: TagReport
  warnings: string[]
}

export interface RunHooks {
  step?: (message: string) => void
  warn?: (message: string) => void
}

function newRunId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').slice(2, 13) // yymmddThhmm
  return `r${t.replace('T', '-')}-${randomBytes(3).toString('hex')}`
}

function resultsDir(ctx: RepoContext): string {
  const dir = dirname(ctx.config.db)
  return dir === '.' ? 'results' : dir
}

/** md5 of a file, or of a directory's sorted (relpath md5) listing. */
async function hashPath(abs: string): Promise<string | undefined> {
  if (!existsSync(abs)) return undefined
  if (!statSync(abs).isDirectory()) return md5File(abs)
  const lines: string[] = []
  const walk = async (dir: string) => {
    for (const e of readdirSync(dir, {withFileTypes: true})) {
      const p = join(dir, e.name)
      if (e.isDirectory()) await walk(p)
      else if (e.isFile()) lines.push(`${relative(abs, p)} ${await md5File(p)}`)
    }
  }

  await walk(abs)
  return `${createHash('md5').update(lines.sort().join('\n')).digest('hex')}.dir`
}

/** Hashes of the configured artifacts after the run (the result database itself excluded: it holds this record). */
async function outputHashes(ctx: RepoContext, runId: string): Promise<RunArtifact[]> {
  const out: RunArtifact[] = []
  for (const path of producedPaths(ctx.config)) {
    if (path === ctx.config.db) continue
    const md5 = await hashPath(join(ctx.root, path)).catch(() => undefined)
    if (md5) out.push({run_id: runId, role: 'output', path, md5})
  }

  return out
}

interface RunPlan {
  command: string[]
  seed?: string
  name?: string
  version?: string
  previous?: RunRecord
}

async function planCommand(ctx: RepoContext, options: RunOptions): Promise<RunPlan> {
  if (options.rerun === undefined) {
    if (options.command.length === 0) throw new UsageError("no command to run; give it after '--', e.g. xv run -- python train.py")
    return {command: options.command, seed: options.seed, name: options.name, version: options.version}
  }

  if (options.command.length > 0) throw new UsageError('--rerun repeats the recorded command; give no command after --')
  const rerun = options.rerun
  return withSqliteFile(ctx.dbPath, ctx.config.db, runRecord(rerun), (file) => {
    const db = openRunStore(file, ctx.config.db, false)
    try {
      const previous = requireRun(db, rerun, ctx.config.db)
      const command = JSON.parse(previous.command) as string[]
      return {command, previous, seed: options.seed ?? previous.seed ?? undefined, name: options.name ?? previous.name ?? undefined, version: options.version}
    } finally {
      db?.close()
    }
  })
}

/** A run whose version is claimed and whose record store is open; its record is not written yet. */
interface OpenRun {
  db: Db
  /** The record as it starts: `pending` (claimed, command not started yet), inputs known. */
  record: RunRecord
  inputs: RunArtifact[]
  warnings: string[]
  /** A DuckDB result database: the SQLite file the record is written to first (run-record-duckdb.ts). */
  recordFile?: string
}

/**
 * Claims the version (a re-run stays in its version while that version is open — not tagged — and
 * not taken by another) and opens the record store; the claim is given back when that fails.
 */
async function openRun(ctx: RepoContext, options: RunOptions, plan: RunPlan, runId: string): Promise<OpenRun> {
  let wanted = plan.version
  if (wanted === undefined && !options.bump && plan.previous && !(await ctx.git.tagExists(plan.previous.version))) wanted = plan.previous.version
  const sourcesPromise = pointerSources(ctx)
  const claimed = await claimRunVersion(ctx, {version: wanted, bump: options.bump, runId})
  const version = claimed.version.tag
  const recordFile = runRecordFile(ctx, runId)
  let db: Db | undefined
  try {
    db = openRunStore(recordFile ?? ctx.dbPath, ctx.config.db, true)
    const sources = await sourcesPromise
    const inputs: RunArtifact[] = dataInputs(sources, ctx.config).map((o) => ({run_id: runId, role: 'input', path: o.path, md5: o.md5}))
    const run: OpenRun = {db, record: pendingRecord(ctx, plan, runId, version, claimed.branch), inputs, warnings: changedInputs(ctx, db, inputs, plan.previous), ...(recordFile ? {recordFile} : {})}
    if (recordFile) {
      // DuckDB: the pending record goes into the database before the command (its writer) starts.
      writeRun(db, run.record, inputs)
      await publishRunRecord(ctx, recordFile)
    }

    return run
  } catch (error) {
    db?.close()
    if (recordFile) rmSync(recordFile, {force: true})
    if (claimed.status === 'claimed') await releaseClaim(ctx.git, version)
    throw error
  }
}

/** Warnings when a re-run's inputs or params files are not the ones its original run used. */
function changedInputs(ctx: RepoContext, db: Db, inputs: RunArtifact[], previous: RunRecord | undefined): string[] {
  if (!previous) return []
  const before = new Map(runArtifacts(db, previous.run_id).filter((a) => a.role === 'input').map((a) => [a.path, a.md5]))
  const changed = inputs.filter((i) => before.has(i.path) && before.get(i.path) !== i.md5).map((i) => i.path)
  const paramsBefore = previous.params ? (JSON.parse(previous.params) as Record<string, string>) : {}
  const paramsNow = paramsFiles(ctx.root)
  const params = [...new Set([...Object.keys(paramsBefore), ...Object.keys(paramsNow)])].filter((f) => paramsBefore[f] !== paramsNow[f])
  return [
    ...(changed.length > 0 ? [`inputs changed since ${previous.run_id}: ${changed.join(', ')}`] : []),
    ...(params.length > 0 ? [`params changed since ${previous.run_id}: ${params.join(', ')}`] : []),
  ]
}

function pendingRecord(ctx: RepoContext, plan: RunPlan, runId: string, version: string, branch: string | undefined): RunRecord {
  return {
    run_id: runId, name: plan.name ?? null, version, status: 'pending', command: JSON.stringify(plan.command), cwd: process.cwd(),
    started_at: null, ended_at: null, duration_s: null, exit_code: null, signal: null, error_tail: null,
    commit_sha: ctx.location.head ?? null, branch: branch ?? null, worktree: ctx.root, dirty: 0, diff_hash: null,
    host: '', user: '', xv_version: null, dvc_version: null, python_version: null, node_version: process.version,
    pip_hash: null, pip_freeze: null, gpu: null, seed: plan.seed ?? null, params: null, log_path: null,
    rerun_of: plan.previous?.run_id ?? null, created_at: new Date().toISOString(),
  }
}

/**
 * Runs the command with XV_VERSION / XV_RUN_ID (/ XV_SEED). Once its process exists the record is
 * written — pending → running and the inputs in one short transaction, while the command already
 * runs, so xv adds no database commit before the command starts.
 */
function execute(run: OpenRun, plan: RunPlan, log: RunLog, options: RunOptions, warn: (message: string) => void): Promise<ProcessOutcome> {
  const {record} = run
  const env: Record<string, string> = {XV_VERSION: record.version, XV_RUN_ID: record.run_id, ...(plan.seed !== undefined ? {XV_SEED: plan.seed} : {})}
  return runCommand(plan.command, process.cwd(), env, log, {
    stdoutTo: options.stdoutToStderr ? 'stderr' : 'stdout',
    onSpawn: (startedAt) => {
      try {
        writeRun(run.db, {...record, status: 'running', started_at: startedAt.toISOString()}, run.inputs)
      } catch (error) {
        warn(`could not record the start of run ${record.run_id}: ${errorMessage(error)}`)
      }
    },
  })
}

/** The run's final record (lifecycle end, provenance, log) and its outputs, written as one transaction. */
async function recordOutcome(ctx: RepoContext, run: OpenRun, outcome: ProcessOutcome, log: RunLog, provenance: Promise<Provenance>): Promise<RunRecord> {
  const {record} = run
  const status: RunStatus = outcome.interrupted ? 'cancelled' : outcome.exitCode === 0 && !outcome.startError ? 'completed' : 'failed'
  const logPath = log.write(ctx.root, resultsDir(ctx), record.run_id)
  const [prov, outputs] = await Promise.all([provenance, outputHashes(ctx, record.run_id)])
  const final: RunRecord = {
    ...record,
    ...prov,
    status,
    started_at: outcome.startedAt.toISOString(),
    ended_at: outcome.endedAt.toISOString(),
    duration_s: Math.round((outcome.endedAt.getTime() - outcome.startedAt.getTime()) / 10) / 100,
    exit_code: outcome.exitCode,
    signal: outcome.interrupted ?? outcome.signal ?? null,
    error_tail: status === 'completed' ? null : outcome.startError ?? (log.stderrTail() || null),
    log_path: logPath,
  }
  try {
    writeRun(run.db, final, [...run.inputs, ...outputs])
  } catch (error) {
    throw new XvError(`cannot record run ${record.run_id} in ${ctx.config.db}: ${errorMessage(error)}`)
  }

  return final
}

function reportOf(run: RunRecord, plan: RunPlan, warnings: string[]): RunReport {
  return {
    runId: run.run_id, version: run.version, status: run.status, exitCode: run.exit_code ?? 1, durationS: run.duration_s ?? 0,
    log: run.log_path ?? '', command: plan.command,
    ...(plan.previous ? {rerunOf: plan.previous.run_id} : {}),
    ...(run.error_tail ? {error: run.error_tail.split('\n').slice(-1)[0]} : {}),
    warnings,
  }
}

export async function runExperiment(ctx: RepoContext, options: RunOptions, hooks: RunHooks = {}): Promise<RunReport> {
  const warn = hooks.warn ?? (() => {})
  const plan = await planCommand(ctx, options)
  const run = await openRun(ctx, options, plan, newRunId())
  const {db, record} = run
  let final: RunRecord
  try {
    for (const w of run.warnings) warn(w)
    hooks.step?.(`run ${record.run_id} → ${record.version}: ${plan.command.join(' ')}`)
    const exclude = [join(resultsDir(ctx), 'runs'), ...['', '-journal', '-wal', '-shm', '.wal'].map((s) => `${ctx.config.db}${s}`)]
    const provenance = gatherProvenance(ctx, plan.command, record.branch ?? undefined, exclude)
    const log = new RunLog()
    const outcome = await execute(run, plan, log, options, warn)
    final = await recordOutcome(ctx, run, outcome, log, provenance)
  } finally {
    db.close()
  }

  const unpublished = run.recordFile ? await finishRunRecord(ctx, run.recordFile) : undefined
  if (unpublished) {
    run.warnings.push(unpublished)
    warn(unpublished)
  }

  const report = reportOf(final, plan, run.warnings)
  if (final.status === 'completed' && options.tag) {
    const {tagExperiment} = await import('./tagging.js')
    // The tag consumes the claim (xv tag's own claim step).
    report.tag = await tagExperiment(ctx, {version: record.version, bump: 'minor', description: options.message, dryRun: false, push: options.push, commit: true}, {step: hooks.step})
  }

  return report
}
