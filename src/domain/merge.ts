/**
 * `xv merge`: bring result databases home. Every source is attached read-only to the target and
 * the whole change (all sources, all tables) is ONE transaction of the target's engine (SQLite or
 * DuckDB, by its header; a new target by its name): a failure, Ctrl-C or kill -9 leaves the target
 * as it was (SQLite's journal, DuckDB's uncommitted transaction), never half-merged. Rows stream
 * inside the engine; a source of the other engine is streamed through xv into the target's engine
 * first (adapters/merge-db.ts). The per-table rules are in merge-table.ts.
 *
 *   merge  — append the rows of runs (by --id-column, default track_id) the target lacks; tables
 *            and columns only the source has are added, never dropped; idempotent.
 *   rebase — target rows whose --key (default: the version column) occurs in the source are
 *            replaced by the source's rows; a backup is written first.
 */
import {accessSync, appendFileSync, constants, copyFileSync, mkdirSync, readFileSync, existsSync, realpathSync, renameSync, rmSync, statSync} from 'node:fs'
import {basename, dirname, isAbsolute, join, relative, resolve, sep} from 'node:path'

import {openMergeDb, removeCreatedTarget, type MergeDb} from '../adapters/merge-db.js'
import {RUNS_TABLE} from '../adapters/run-store.js'
import {checkpointForHashing, isDuckDbFile} from '../adapters/result-store.js'
import {integrityOk, isSqliteFile} from '../adapters/sqlite.js'
import {loadConfig} from '../config.js'
import type {RepoContext} from '../context.js'
import {NotFoundError, RefusedError, UsageError, XvError, errorMessage} from '../errors.js'
import {withUndo} from '../interrupt.js'
import {readableFileAt} from './at-revision.js'
import {bringRunLogs, type LogSource} from './merge-logs.js'
import {resolveRev} from './revision.js'
import {mergeTable, type MergeStrategy, type TableReport} from './merge-table.js'
import {unprotect} from './private-files.js'
import {asVersion} from './version.js'
import {kindOf, matchWorktree, type WorktreeKind} from './worktree-names.js'

export {affinityOf, typesCompatible, type MergeStrategy, type TableReport} from './merge-table.js'

export interface MergeOptions {
  sources: string[]
  into?: string
  strategy: MergeStrategy
  idColumn?: string
  keys?: string[]
  tables?: string[]
  yes: boolean
  dryRun: boolean
  /** How long to wait for another merge writing the same target. */
  waitMs?: number
}

export interface MergeReport {
  target: string
  strategy: MergeStrategy
  dryRun: boolean
  sources: Array<{spec: string; file: string; kind: 'path' | 'worktree' | 'version'}>
  tables: TableReport[]
  backup?: string
  /** Run logs (`<results>/runs/*.log.gz`) of the merged worktrees and versions brought into this worktree. */
  runLogs?: string[]
}

interface ResolvedSource {
  spec: string
  file: string
  kind: 'path' | 'worktree' | 'version'
  /** Where its run logs are (worktrees and versions). */
  logs?: LogSource
  cleanup: () => void
}

// ---- sources ------------------------------------------------------------------------------------

async function resolveSource(ctx: RepoContext, spec: string, cwd: string): Promise<ResolvedSource> {
  const asPath = isAbsolute(spec) ? spec : resolve(cwd, spec)
  if (existsSync(asPath) && statSync(asPath).isFile()) return {spec, file: asPath, kind: 'path', cleanup: () => {}}

  const trees = await ctx.git.worktrees()
  const others: WorktreeKind[] = ['experiment', 'explore', 'other']
  const tree = matchWorktree(trees, ctx.mainRoot, spec, others)
  if (tree) {
    const config = loadConfig(tree.path)
    const db = join(tree.path, config.db)
    if (!existsSync(db)) throw new XvError(`worktree ${basename(tree.path)} has no result database at ${db}`)
    return {spec, file: db, kind: 'worktree', logs: {kind: 'worktree', root: tree.path, db: config.db}, cleanup: () => {}}
  }

  if (asVersion(spec, ctx.config.prefix)) {
    const rev = await resolveRev(ctx, spec)
    const readable = await readableFileAt(ctx, rev, ctx.config.db)
    if (!readable) throw new XvError(`${ctx.config.db} did not exist at ${spec}; nothing to merge from that version`)
    return {spec, file: readable.file, kind: 'version', ...(rev.kind === 'commit' ? {logs: {kind: 'version', rev: rev.commit} as const} : {}), cleanup: readable.cleanup}
  }

  const names = trees.filter((w) => kindOf(w, ctx.mainRoot).kind !== 'main').map((w) => basename(w.path))
  throw new XvError(
    `no database, worktree or version named '${spec}'; give a database path, a worktree (${names.join(', ') || 'none'}) or an experiment tag`,
  )
}

function same(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b)
  } catch {
    return resolve(a) === resolve(b)
  }
}

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return resolve(p)
  }
}

/**
 * The target must be a file in this repository's working tree, in a folder that exists (the
 * configured database's folder may not: xv creates it): never inside `.git`, never outside the
 * repository (links resolved). Checked before anything changes.
 */
function checkTarget(ctx: RepoContext, target: string, label: string, folderMayBeMissing = false): void {
  const dir = dirname(target)
  if (!existsSync(dir) && folderMayBeMissing) {
    checkTarget(ctx, dir, label, true) // the folder to create, checked the same way
    return
  }
  if (!existsSync(dir)) throw new NotFoundError('path', `the folder of target ${label} (${dir}) does not exist; create it first (mkdir -p ${dir}) or choose another --into`)
  if (!statSync(dir).isDirectory()) throw new UsageError(`the folder of target ${label} (${dir}) is not a directory; choose another --into`)
  const real = existsSync(target) ? realOrSelf(target) : join(realOrSelf(dir), basename(target))
  const gitDirs = [ctx.location.commonDir, join(ctx.root, '.git')].map(realOrSelf)
  if (real.split(sep).includes('.git') || gitDirs.some((g) => inside(g, real)))
    throw new RefusedError(`target ${label} is inside git's own directory (.git); choose a database in the working tree`)
  if (![ctx.root, ctx.mainRoot].map(realOrSelf).some((r) => inside(r, real)))
    throw new RefusedError(`target ${label} is outside the repository (${ctx.root}); choose a database inside it`)
}

function checkWritable(target: string): void {
  try {
    if (existsSync(target)) accessSync(target, constants.W_OK)
    let dir = dirname(target)
    while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir) // a folder xv creates: its nearest existing parent
    accessSync(dir, constants.W_OK)
  } catch {
    throw new XvError(`target ${target} is read-only (the file or its folder); make it writable or choose another with --into`)
  }
}

/** Keeps backups out of `git add -A` (and so out of `xv tag` commits) through .git/info/exclude. */
function excludeFromGit(ctx: RepoContext, file: string): void {
  const inTree = [ctx.root, ctx.mainRoot].some((r) => !relative(r, file).startsWith('..'))
  if (!inTree) return
  const pattern = '*.bak-[0-9]*T[0-9]*Z*'
  const exclude = join(ctx.location.commonDir, 'info', 'exclude')
  const text = existsSync(exclude) ? readFileSync(exclude, 'utf8') : ''
  if (text.split('\n').includes(pattern)) return
  mkdirSync(dirname(exclude), {recursive: true})
  appendFileSync(exclude, `${text && !text.endsWith('\n') ? '\n' : ''}# xv merge backups\n${pattern}\n`)
}

/**
 * A backup name next to FILE that no other backup has: UTC time to the millisecond and the
 * process id (`x.db.bak-20261123T093000.123Z-p4242`), with a counter if even that is taken.
 */
export function backupPath(file: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '')
  const base = `${file}.bak-${stamp}-p${process.pid}`
  let candidate = base
  for (let n = 2; existsSync(candidate); n++) candidate = `${base}-${n}`
  return candidate
}

// ---- the merge ----------------------------------------------------------------------------------

/** The target path and label, checked before anything changes. */
function checkMergeTarget(ctx: RepoContext, options: MergeOptions, cwd: string): {target: string; label: string} {
  if (options.sources.length === 0) throw new XvError('name at least one source: a database path, a worktree name or an experiment tag')
  const target = options.into ? resolve(cwd, options.into) : ctx.dbPath
  const label = options.into ?? ctx.config.db
  if (options.strategy === 'rebase' && !options.yes && !options.dryRun)
    throw new XvError('rebase replaces rows of the target; run again with --yes (a backup is written first), or --dry-run to see what it would do')
  checkTarget(ctx, target, label, !options.into)
  if (existsSync(target) && !isSqliteFile(target) && !isDuckDbFile(target))
    throw new XvError(`target ${label} is neither an SQLite nor a DuckDB database (wrong file header)`)
  if (options.strategy === 'rebase' && !existsSync(target)) throw new XvError(`target ${label} does not exist; nothing to rebase (use --strategy merge to create it)`)
  if (!options.dryRun) checkWritable(target)
  return {target, label}
}

async function resolveChecked(ctx: RepoContext, spec: string, cwd: string, target: {file: string; label: string}): Promise<ResolvedSource> {
  const src = await resolveSource(ctx, spec, cwd)
  if (existsSync(target.file) && same(src.file, target.file)) {
    src.cleanup()
    throw new XvError(`source '${spec}' is the target itself (${target.label}); nothing to merge`)
  }

  if (!isSqliteFile(src.file) && !isDuckDbFile(src.file)) {
    src.cleanup()
    throw new XvError(`source '${spec}' (${src.file}) is neither an SQLite nor a DuckDB database (wrong file header)`)
  }

  return src
}

/** Attaches every source as src0, src1, … and checks the tables --table names, before anything is written. */
async function attachSources(db: MergeDb, resolved: ResolvedSource[], tables: string[] | undefined): Promise<void> {
  for (const [i, s] of resolved.entries()) {
    await db.attach(s.file, `src${i}`, `source '${s.spec}'`)
    const names = (await db.tables(`src${i}`)).map((t) => t.name)
    for (const t of tables ?? []) if (!names.includes(t)) throw new XvError(`table '${t}' not found in ${s.spec}; tables: ${names.join(', ') || '(none)'}`)
  }
}

/** Every table of every source, in ONE transaction of the target (rolled back on any failure or --dry-run). */
async function mergeAll(db: MergeDb, resolved: ResolvedSource[], options: MergeOptions, report: MergeReport, label: string): Promise<boolean> {
  await db.begin()
  try {
    for (const [i, s] of resolved.entries()) {
      for (const t of await db.tables(`src${i}`)) {
        if (options.tables && !options.tables.includes(t.name)) continue
        report.tables.push(await mergeTable(db, `src${i}`, s.spec, t, options))
      }
    }

    if (options.dryRun) {
      await db.rollback()
      return false
    }

    await db.commit()
    return true
  } catch (error) {
    await db.rollback().catch(() => undefined)
    if (report.backup) rmSync(report.backup, {force: true})
    if (error instanceof XvError) throw error
    if ((error as {code?: unknown}).code === 'SQLITE_FULL' || /No space left|disk is full/i.test(errorMessage(error)))
      throw new XvError(`the disk is full; ${label} was left exactly as it was (free space and run again)`)
    throw new XvError(`merge into ${label} failed and was rolled back: ${errorMessage(error).split('\n')[0] ?? ''}`)
  }
}

/** Opens the target, attaches the sources, writes the backup of a rebase, merges; a target xv created is removed unless committed. */
async function mergeInto(ctx: RepoContext, options: MergeOptions, resolved: ResolvedSource[], report: MergeReport, label: string): Promise<void> {
  const target = report.target
  const existed = existsSync(target)
  const db = await openMergeDb(target, label, options.waitMs ?? 60_000)
  let committed = false
  try {
    await attachSources(db, resolved, options.tables)
    if (options.strategy === 'rebase' && !options.dryRun) {
      report.backup = backupPath(target)
      await db.snapshotTo(report.backup)
      excludeFromGit(ctx, report.backup)
    }

    committed = await mergeAll(db, resolved, options, report, label)
  } finally {
    await db.close()
    if (!existed && !committed) removeCreatedTarget(target)
  }
}

export async function mergeDatabases(ctx: RepoContext, options: MergeOptions, cwd = process.cwd()): Promise<MergeReport> {
  const {target, label} = checkMergeTarget(ctx, options, cwd)
  const resolved: ResolvedSource[] = []
  try {
    for (const spec of options.sources) resolved.push(await resolveChecked(ctx, spec, cwd, {file: target, label}))
    const report: MergeReport = {
      target,
      strategy: options.strategy,
      dryRun: options.dryRun,
      sources: resolved.map((s) => ({spec: s.spec, file: s.file, kind: s.kind})),
      tables: [],
    }
    if (options.dryRun && !existsSync(target)) throw new XvError(`target ${label} does not exist yet; a real merge creates it (nothing to preview)`)
    if (existsSync(target)) {
      if (!options.dryRun) unprotect(target)
      // An existing target: Ctrl-C keeps Node's default (the engine's journal/transaction leaves it as it was).
      await mergeInto(ctx, options, resolved, report, label)
    } else {
      // A target xv creates (and the configured database's folder when missing): Ctrl-C or a failure removes them again.
      await withUndo(async (log) => {
        const folder = mkdirSync(dirname(target), {recursive: true})
        log.onUndo(() => {
          removeCreatedTarget(target)
          if (folder) rmSync(folder, {recursive: true, force: true})
        })
        await mergeInto(ctx, options, resolved, report, label)
      }, {quietRollback: true})
    }

    // The run records came home: their logs too, when the target is this worktree's database.
    const logs = resolved.flatMap((s) => (s.logs ? [s.logs] : []))
    if (!options.dryRun && logs.length > 0 && same(target, ctx.dbPath) && (!options.tables || options.tables.includes(RUNS_TABLE)))
      report.runLogs = await bringRunLogs(ctx, logs)
    return report
  } finally {
    for (const s of resolved) s.cleanup()
  }
}

/** Brings a backup back over the target: checked, copied next to it, renamed (atomic). */
export async function restoreBackup(ctx: RepoContext, backup: string, into: string | undefined, yes: boolean, cwd = process.cwd()): Promise<{target: string; backup: string}> {
  const file = resolve(cwd, backup)
  const target = into ? resolve(cwd, into) : ctx.dbPath
  const label = into ?? ctx.config.db
  if (!existsSync(file)) throw new XvError(`backup ${backup} does not exist`)
  checkTarget(ctx, target, label)
  const duck = isDuckDbFile(file)
  if (!duck && (!isSqliteFile(file) || !integrityOk(file))) throw new XvError(`backup ${backup} is not a sound SQLite or DuckDB database; the target was not touched`)
  if (!yes) throw new XvError(`restoring replaces ${target} with ${backup}; run again with --yes`)
  checkWritable(target)
  // A DuckDB target is replaced only while no other process holds it (one line naming the holder otherwise).
  if (duck && existsSync(target) && isDuckDbFile(target)) await checkpointForHashing(target, label)
  const tmp = `${target}.xv-restore-${process.pid}`
  copyFileSync(file, tmp)
  for (const side of ['-journal', '.wal']) rmSync(`${target}${side}`, {force: true})
  renameSync(tmp, target)
  return {target, backup: file}
}
