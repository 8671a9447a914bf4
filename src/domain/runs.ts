/**
 * `xv run`: the version is known (and claimed) before the command starts; the run is recorded in
 * the result database with its lifecycle (pending → running → completed | failed | cancelled),
 * provenance, inputs and outputs; `--tag` versions it on success with the same function `xv tag`
 * uses. A failed or cancelled run keeps its claimed version (re-run it, or `xv next --release V`).
 */
import {createHash, randomBytes} from 'node:crypto'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'

import {md5File} from '../adapters/dvc.js'
import {insertArtifacts, insertRun, oneWrite, openRunStore, requireRun, runArtifacts, updateRun, type RunArtifact, type RunRecord, type RunStatus} from '../adapters/run-store.js'
import type {Db} from '../adapters/sqlite.js'
import type {RepoContext} from '../context.js'
import {UsageError, XvError, errorMessage} from '../errors.js'
import {releaseClaim} from './claims.js'
import {dataInputs, pointerSources, producedPaths} from './data-inputs.js'
import {gatherProvenance} from './provenance.js'
import {RunLog} from './run-log.js'
import {runCommand} from './run-process.js'
import {claimRunVersion, currentBranch} from './run-versions.js'
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

function planCommand(ctx: RepoContext, options: RunOptions): {command: string[]; seed?: string; name?: string; version?: string; previous?: RunRecord} {
  if (options.rerun === undefined) {
    if (options.command.length === 0) throw new UsageError("no command to run; give it after '--', e.g. xv run -- python train.py")
    return {command: options.command, seed: options.seed, name: options.name, version: options.version}
  }

  if (options.command.length > 0) throw new UsageError('--rerun repeats the recorded command; give no command after --')
  const db = openRunStore(ctx.dbPath, ctx.config.db, false)
  try {
    const previous = requireRun(db, options.rerun, ctx.config.db)
    const command = JSON.parse(previous.command) as string[]
    return {command, previous, seed: options.seed ?? previous.seed ?? undefined, name: options.name ?? previous.name ?? undefined, version: options.version}
  } finally {
    db?.close()
  }
}

export async function runExperiment(ctx: RepoContext, options: RunOptions, hooks: RunHooks = {}): Promise<RunReport> {
  const warn = hooks.warn ?? (() => {})
  const plan = planCommand(ctx, options)
  const runId = newRunId()
  const warnings: string[] = []
  // A re-run stays in its version while that version is open (not tagged) and not taken by another.
  let wanted = plan.version
  if (wanted === undefined && !options.bump && plan.previous && !(await ctx.git.tagExists(plan.previous.version))) wanted = plan.previous.version
  const branchPromise = currentBranch(ctx)
  const sourcesPromise = pointerSources(ctx)
  const claimed = await claimRunVersion(ctx, {version: wanted, bump: options.bump, runId, branch: branchPromise})
  const version = claimed.version.tag

  let db: Db
  try {
    db = openRunStore(ctx.dbPath, ctx.config.db, true)
  } catch (error) {
    if (claimed.status === 'claimed') await releaseClaim(ctx.git, version)
    throw error
  }

  const [branch, sources] = await Promise.all([branchPromise, sourcesPromise])
  const logDir = join(resultsDir(ctx), 'runs')
  const inputs: RunArtifact[] = dataInputs(sources, ctx.config).map((o) => ({run_id: runId, role: 'input', path: o.path, md5: o.md5}))
  if (plan.previous) {
    const before = new Map(runArtifacts(db, plan.previous.run_id).filter((a) => a.role === 'input').map((a) => [a.path, a.md5]))
    const changed = inputs.filter((i) => before.has(i.path) && before.get(i.path) !== i.md5).map((i) => i.path)
    if (changed.length > 0) warnings.push(`inputs changed since ${plan.previous.run_id}: ${changed.join(', ')}`)
  }

  const now = new Date().toISOString()
  const record: RunRecord = {
    run_id: runId, name: plan.name ?? null, version, status: 'pending', command: JSON.stringify(plan.command), cwd: process.cwd(),
    started_at: null, ended_at: null, duration_s: null, exit_code: null, signal: null, error_tail: null,
    commit_sha: ctx.location.head ?? null, branch: branch ?? null, worktree: ctx.root, dirty: 0, diff_hash: null,
    host: '', user: '', xv_version: null, dvc_version: null, python_version: null, node_version: process.version,
    pip_hash: null, pip_freeze: null, gpu: null, seed: plan.seed ?? null, params: null, log_path: null,
    rerun_of: plan.previous?.run_id ?? null, created_at: now,
  }
  try {
    oneWrite(db, () => {
      insertRun(db, record)
      insertArtifacts(db, inputs)
    })
  } catch (error) {
    db.close()
    if (claimed.status === 'claimed') await releaseClaim(ctx.git, version)
    throw new XvError(`cannot record the run in ${ctx.config.db}: ${errorMessage(error)}`)
  }

  for (const w of warnings) warn(w)
  hooks.step?.(`run ${runId} → ${version}: ${plan.command.join(' ')}`)
  const provenance = gatherProvenance(ctx, plan.command, branch, [logDir, ctx.config.db, `${ctx.config.db}-journal`, `${ctx.config.db}-wal`, `${ctx.config.db}-shm`])
  const log = new RunLog()
  const env: Record<string, string> = {XV_VERSION: version, XV_RUN_ID: runId, ...(plan.seed !== undefined ? {XV_SEED: plan.seed} : {})}
  const outcome = await runCommand(plan.command, process.cwd(), env, log, {
    stdoutTo: options.stdoutToStderr ? 'stderr' : 'stdout',
    onSpawn: (startedAt) => {
      try {
        updateRun(db, runId, {status: 'running', started_at: startedAt.toISOString()})
      } catch (error) {
        warn(`could not mark run ${runId} running: ${errorMessage(error)}`)
      }
    },
  })

  const status: RunStatus = outcome.interrupted ? 'cancelled' : outcome.exitCode === 0 && !outcome.startError ? 'completed' : 'failed'
  const durationS = Math.round((outcome.endedAt.getTime() - outcome.startedAt.getTime()) / 10) / 100
  const logPath = log.write(ctx.root, resultsDir(ctx), runId)
  const errorTail = status === 'completed' ? null : outcome.startError ?? (log.stderrTail() || null)
  const [prov, outputs] = await Promise.all([provenance, outputHashes(ctx, runId)])
  try {
    oneWrite(db, () => {
      updateRun(db, runId, {
        ...prov,
        status,
        started_at: outcome.startedAt.toISOString(),
        ended_at: outcome.endedAt.toISOString(),
        duration_s: durationS,
        exit_code: outcome.exitCode,
        signal: outcome.interrupted ?? outcome.signal ?? null,
        error_tail: errorTail,
        log_path: logPath,
      })
      insertArtifacts(db, outputs)
    })
  } finally {
    db.close()
  }

  const report: RunReport = {
    runId, version, status, exitCode: outcome.exitCode, durationS, log: logPath, command: plan.command,
    ...(plan.previous ? {rerunOf: plan.previous.run_id} : {}),
    ...(errorTail ? {error: errorTail.split('\n').slice(-1)[0]} : {}),
    warnings,
  }
  if (status === 'completed' && options.tag) {
    const {tagExperiment} = await import('./tagging.js')
    report.tag = await tagExperiment(ctx, {version, bump: 'minor', description: options.message, dryRun: false, push: options.push, commit: true}, {step: hooks.step})
    // The tag consumed the claim (xv tag's own claim step).
  }

  return report
}
