/**
 * `xv merge`: bring result databases home. Every source is attached read-only to the target and
 * the whole change (all sources, all tables) is ONE SQLite transaction: a failure, Ctrl-C or
 * kill -9 leaves the target as it was (SQLite's journal), never half-merged. Rows stream through
 * SQLite; none are loaded into JavaScript.
 *
 *   merge  — append the rows of runs (by --id-column, default track_id) the target lacks; tables
 *            and columns only the source has are added, never dropped; idempotent.
 *   rebase — target rows whose --key (default: the version column) occurs in the source are
 *            replaced by the source's rows; a backup is written first.
 */
import {accessSync, appendFileSync, constants, copyFileSync, mkdirSync, readFileSync, existsSync, realpathSync, renameSync, rmSync, statSync} from 'node:fs'
import {basename, dirname, isAbsolute, join, relative, resolve, sep} from 'node:path'

import {isDuckDbFile} from '../adapters/result-store.js'
import {
  DEFAULT_ID_COLUMN, addColumn, appendNewRows, appendNewRuns, attach, countRows, createTableLike, integrityOk, isSqliteFile, listColumnsIn,
  openTarget, replaceByKey, snapshotTo, tablesIn, type ColumnInfo, type Db,
} from '../adapters/sqlite.js'
import {loadConfig} from '../config.js'
import type {RepoContext} from '../context.js'
import {NotFoundError, RefusedError, UsageError, XvError, errorMessage} from '../errors.js'
import {readableFileAt} from './at-revision.js'
import {resolveRev} from './revision.js'
import {VERSION_COLUMNS} from './results.js'
import {mergeRunTable, runTableRule} from './merge-runs.js'
import {unprotect} from './private-files.js'
import {asVersion} from './version.js'
import {kindOf, matchWorktree, type WorktreeKind} from './worktree-names.js'

export type MergeStrategy = 'merge' | 'rebase'

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

export interface TableReport {
  table: string
  source: string
  created: boolean
  added: number
  skipped: number
  replaced: number
  columnsAdded: string[]
  /** How rows were matched: `id:track_id`, `key:version`, or `whole rows`. */
  matchedBy: string
}

export interface MergeReport {
  target: string
  strategy: MergeStrategy
  dryRun: boolean
  sources: Array<{spec: string; file: string; kind: 'path' | 'worktree' | 'version'}>
  tables: TableReport[]
  backup?: string
}

interface ResolvedSource {
  spec: string
  file: string
  kind: 'path' | 'worktree' | 'version'
  cleanup: () => void
}

// ---- types --------------------------------------------------------------------------------------

type Affinity = 'INTEGER' | 'REAL' | 'NUMERIC' | 'TEXT' | 'BLOB' | 'ANY'

/** SQLite's affinity rules for a declared column type. */
export function affinityOf(declared: string): Affinity {
  const t = declared.toUpperCase()
  if (t === '') return 'ANY'
  if (t.includes('INT')) return 'INTEGER'
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT'
  if (t.includes('BLOB')) return 'BLOB'
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL'
  return 'NUMERIC'
}

const NUMERIC = new Set<Affinity>(['INTEGER', 'REAL', 'NUMERIC'])

/**
 * Whether a source column can be merged into a target column. Numbers widen into numbers
 * (INTEGER into REAL keeps every value); an untyped column takes anything; text, numbers and
 * blobs do not mix (the values would compare and sort differently after the merge).
 */
export function typesCompatible(target: string, source: string): boolean {
  const a = affinityOf(target)
  const b = affinityOf(source)
  if (a === 'ANY' || b === 'ANY' || a === b) return true
  return NUMERIC.has(a) && NUMERIC.has(b)
}

// ---- sources ------------------------------------------------------------------------------------

async function resolveSource(ctx: RepoContext, spec: string, cwd: string): Promise<ResolvedSource> {
  const asPath = isAbsolute(spec) ? spec : resolve(cwd, spec)
  if (existsSync(asPath) && statSync(asPath).isFile()) return {spec, file: asPath, kind: 'path', cleanup: () => {}}

  const trees = await ctx.git.worktrees()
  const others: WorktreeKind[] = ['experiment', 'explore', 'other']
  const tree = matchWorktree(trees, ctx.mainRoot, spec, others)
  if (tree) {
    const db = join(tree.path, loadConfig(tree.path).db)
    if (!existsSync(db)) throw new XvError(`worktree ${basename(tree.path)} has no result database at ${db}`)
    return {spec, file: db, kind: 'worktree', cleanup: () => {}}
  }

  if (asVersion(spec, ctx.config.prefix)) {
    const rev = await resolveRev(ctx, spec)
    const readable = await readableFileAt(ctx, rev, ctx.config.db)
    if (!readable) throw new XvError(`${ctx.config.db} did not exist at ${spec}; nothing to merge from that version`)
    return {spec, file: readable.file, kind: 'version', cleanup: readable.cleanup}
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
 * The target must be a file in this repository's working tree, in a folder that exists: never
 * inside `.git`, never outside the repository (links resolved). Checked before anything changes.
 */
function checkTarget(ctx: RepoContext, target: string, label: string): void {
  const dir = dirname(target)
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
    accessSync(dirname(target), constants.W_OK)
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

function chooseKeys(columns: ColumnInfo[], keys: string[] | undefined, table: string, label: string): string[] | undefined {
  const names = columns.map((c) => c.name)
  if (keys && keys.length > 0) {
    const missing = keys.find((k) => !names.includes(k))
    if (missing) throw new XvError(`key column '${missing}' not found in table '${table}' of ${label}; columns: ${names.join(', ')}`)
    return keys
  }

  const v = VERSION_COLUMNS.find((c) => names.includes(c)) ?? names.find((c) => /version$/i.test(c))
  return v ? [v] : undefined
}

function mergeTable(
  db: Db,
  schema: string,
  source: ResolvedSource,
  table: {name: string; sql: string},
  options: MergeOptions,
): TableReport {
  const label = source.spec
  const srcCols = listColumnsIn(db, schema, table.name)
  const report: TableReport = {table: table.name, source: source.spec, created: false, added: 0, skipped: 0, replaced: 0, columnsAdded: [], matchedBy: ''}
  const total = countRows(db, schema, table.name)
  const exists = tablesIn(db, 'main').some((t) => t.name === table.name)
  const names = srcCols.map((c) => c.name)
  const runRule = runTableRule(table.name, names, options.strategy)
  const rebaseKeys = options.strategy === 'rebase' && !runRule ? chooseKeys(srcCols, options.keys, table.name, label) : undefined
  if (options.strategy === 'rebase' && exists && !rebaseKeys) {
    // No version column and no --key: this table is left as it is, and the report says so.
    report.skipped = total
    report.matchedBy = 'no key: unchanged'
    return report
  }

  if (!exists) {
    createTableLike(db, table.sql)
    report.created = true
  } else {
    const tgtCols = listColumnsIn(db, 'main', table.name)
    for (const c of srcCols) {
      const t = tgtCols.find((x) => x.name === c.name)
      if (!t) continue
      if (!typesCompatible(t.type, c.type))
        throw new XvError(
          `column '${c.name}' of table '${table.name}' is ${c.type || 'untyped'} in ${label} but ${t.type} in the target; the types cannot be reconciled (convert one side first)`,
        )
    }

    for (const c of srcCols) {
      if (!tgtCols.some((x) => x.name === c.name)) {
        addColumn(db, table.name, c.name, c.type)
        report.columnsAdded.push(c.name)
      }
    }
  }

  if (runRule) return Object.assign(report, mergeRunTable(db, schema, table.name, names, runRule, total))

  if (options.strategy === 'rebase') {
    if (!rebaseKeys) {
      report.added = appendNewRows(db, schema, table.name, names) // a new table: every row
      report.matchedBy = 'new table'
      return report
    }

    const keys = rebaseKeys
    const tgtNames = listColumnsIn(db, 'main', table.name).map((c) => c.name)
    const missing = keys.find((k) => !tgtNames.includes(k))
    if (missing) throw new XvError(`key column '${missing}' not found in table '${table.name}' of the target; columns: ${tgtNames.join(', ')}`)
    const {deleted, added} = replaceByKey(db, schema, table.name, names, keys)
    report.replaced = deleted
    report.added = added
    report.matchedBy = `key:${keys.join(',')}`
    return report
  }

  const id = options.idColumn ?? DEFAULT_ID_COLUMN
  if (names.includes(id)) {
    report.added = appendNewRuns(db, schema, table.name, names, id)
    report.matchedBy = `id:${id}`
  } else if (options.idColumn) {
    throw new XvError(`id column '${id}' not found in table '${table.name}' of ${label}; columns: ${names.join(', ')}`)
  } else {
    report.added = appendNewRows(db, schema, table.name, names)
    report.matchedBy = 'whole rows'
  }

  report.skipped = total - report.added
  return report
}

export async function mergeDatabases(ctx: RepoContext, options: MergeOptions, cwd = process.cwd()): Promise<MergeReport> {
  if (options.sources.length === 0) throw new XvError('name at least one source: a database path, a worktree name or an experiment tag')
  const target = options.into ? resolve(cwd, options.into) : ctx.dbPath
  const label = options.into ?? ctx.config.db
  if (options.strategy === 'rebase' && !options.yes && !options.dryRun)
    throw new XvError('rebase replaces rows of the target; run again with --yes (a backup is written first), or --dry-run to see what it would do')
  if (existsSync(target) && isDuckDbFile(target))
    throw new XvError(`target ${label} is a DuckDB database; xv merge writes into SQLite targets only (DuckDB sources are read): merge into an SQLite file`)
  checkTarget(ctx, target, label)
  if (existsSync(target) && !isSqliteFile(target)) throw new XvError(`target ${label} is not an SQLite database (wrong file header)`)
  if (options.strategy === 'rebase' && !existsSync(target)) throw new XvError(`target ${label} does not exist; nothing to rebase (use --strategy merge to create it)`)
  if (!options.dryRun) checkWritable(target)

  const resolved: ResolvedSource[] = []
  try {
    for (const spec of options.sources) {
      const src = await resolveSource(ctx, spec, cwd)
      resolved.push(src)
      if (existsSync(target) && same(src.file, target)) throw new XvError(`source '${spec}' is the target itself (${label}); nothing to merge`)
      // A DuckDB source is read through a temporary SQLite copy (rows streamed, the file untouched).
      if (isDuckDbFile(src.file)) {
        const copy = await (await import('../adapters/result-store-convert.js')).duckToSqliteCopy(src.file, `source '${spec}'`)
        const done = src.cleanup
        Object.assign(src, {attachFile: copy.file, cleanup: () => { copy.cleanup(); done() }})
      } else if (!isSqliteFile(src.file)) throw new XvError(`source '${spec}' (${src.file}) is not an SQLite database (wrong file header)`)
    }

    const report: MergeReport = {
      target,
      strategy: options.strategy,
      dryRun: options.dryRun,
      sources: resolved.map((s) => ({spec: s.spec, file: s.file, kind: s.kind})),
      tables: [],
    }
    const existed = existsSync(target)
    if (!options.dryRun) unprotect(target)
    if (options.dryRun && !existed) throw new XvError(`target ${label} does not exist yet; a real merge creates it (nothing to preview)`)
    const db = openTarget(target, label, options.waitMs ?? 60_000)
    let committed = false
    try {
      resolved.forEach((s, i) => attach(db, (s as {attachFile?: string}).attachFile ?? s.file, `src${i}`))
      // Checks that need the schemas, before anything is written.
      for (const [i, s] of resolved.entries()) {
        const tables = tablesIn(db, `src${i}`).map((t) => t.name)
        for (const t of options.tables ?? [])
          if (!tables.includes(t)) throw new XvError(`table '${t}' not found in ${s.spec}; tables: ${tables.join(', ') || '(none)'}`)
      }

      if (options.strategy === 'rebase' && !options.dryRun) {
        report.backup = backupPath(target)
        snapshotTo(db, report.backup)
        excludeFromGit(ctx, report.backup)
      }

      try {
        db.exec('BEGIN IMMEDIATE')
      } catch (error) {
        throw new XvError(`${label} is locked by another writer (another xv merge?) and stayed locked; try again (${errorMessage(error)})`)
      }

      try {
        for (const [i, s] of resolved.entries()) {
          for (const t of tablesIn(db, `src${i}`)) {
            if (options.tables && !options.tables.includes(t.name)) continue
            report.tables.push(mergeTable(db, `src${i}`, s, t, options))
          }
        }

        db.exec(options.dryRun ? 'ROLLBACK' : 'COMMIT')
        committed = !options.dryRun
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK')
        if (report.backup) rmSync(report.backup, {force: true})
        if (error instanceof XvError) throw error
        const m = errorMessage(error)
        if ((error as {code?: unknown}).code === 'SQLITE_FULL')
          throw new XvError(`the disk is full; ${label} was left exactly as it was (free space and run again)`)
        throw new XvError(`merge into ${label} failed and was rolled back: ${m}`)
      }
    } finally {
      db.close()
      if (!existed && !committed) rmSync(target, {force: true})
    }

    return report
  } finally {
    for (const s of resolved) s.cleanup()
  }
}

/** Brings a backup back over the target: checked, copied next to it, renamed (atomic). */
export function restoreBackup(ctx: RepoContext, backup: string, into: string | undefined, yes: boolean, cwd = process.cwd()): {target: string; backup: string} {
  const file = resolve(cwd, backup)
  const target = into ? resolve(cwd, into) : ctx.dbPath
  if (!existsSync(file)) throw new XvError(`backup ${backup} does not exist`)
  checkTarget(ctx, target, into ?? ctx.config.db)
  if (!isSqliteFile(file) || !integrityOk(file)) throw new XvError(`backup ${backup} is not a sound SQLite database; the target was not touched`)
  if (!yes) throw new XvError(`restoring replaces ${target} with ${backup}; run again with --yes`)
  checkWritable(target)
  const tmp = `${target}.xv-restore-${process.pid}`
  copyFileSync(file, tmp)
  rmSync(`${target}-journal`, {force: true})
  renameSync(tmp, target)
  return {target, backup: file}
}
