/**
 * A file — and the result database — as it was at a revision, read without a checkout: the
 * working copy, a git blob written to a temporary file (verified), or the DVC cache object
 * itself (fetched when missing). The one home of "the database at a version" that show, diff,
 * merge and the others use.
 */
import {mkdtempSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, join} from 'node:path'

import {findCacheObject} from '../adapters/dvc-files.js'
import {fileMatches} from '../adapters/dvc-objects.js'
import type {CopyScope} from '../adapters/result-store-convert.js'
import {isDuckDbFile} from '../adapters/result-store.js'
import {describeTables, newestVersion, openReadOnly, type ColumnInfo, type Db} from '../adapters/sqlite.js'
import type {RepoContext} from '../context.js'
import {NotFoundError, UsageError, XvError} from '../errors.js'
import {ensureInCache} from './cache-plan.js'
import {setAside, type SetAside} from './corrupt-objects.js'
import {HashMemo} from './dvc-state.js'
import {fetchObjects, ObjectUnavailableError} from './object-fetch.js'
import {locateArtifact, type Artifact} from './locate.js'
import {VERSION_COLUMNS, chooseResultTable} from './results.js'
import type {Rev} from './revision.js'
import {asVersion} from './version.js'
import {writeGitBlob} from './verified-copy.js'

export interface ReadableFile {
  /** A local path to read (never to write): the working copy, a temp file, or a cache object. */
  file: string
  source: 'workspace' | 'git' | 'dvc'
  /** Removes temporary files. */
  cleanup: () => void
  /** A corrupt cache object that was set aside (and fetched again) on the way. */
  repaired?: SetAside
}

/**
 * A readable local file holding PATH as it was at REV: the working-copy file, a git blob written
 * to a temporary file (verified), or the DVC cache object itself (fetched when missing; size
 * checked). Undefined when PATH does not exist there.
 */
export async function readableFileAt(ctx: RepoContext, rev: Rev, path: string): Promise<ReadableFile | undefined> {
  let art: Artifact
  try {
    art = await locateArtifact(ctx, rev, path)
  } catch (error) {
    if (error instanceof NotFoundError && error.what === 'path') return undefined
    throw error
  }

  if (art.type === 'dir') throw new UsageError(`${path} is a directory at ${rev.name}, not a file`)
  if (art.source === 'workspace') return {file: join(ctx.root, art.path), source: 'workspace', cleanup: () => {}}
  if (art.source === 'git') {
    const dir = mkdtempSync(join(tmpdir(), 'xv-read-'))
    const file = join(dir, basename(path))
    try {
      await writeGitBlob(ctx, art.oid ?? '', art.size ?? 0, file, `${path} at ${rev.name}`)
    } catch (error) {
      rmSync(dir, {recursive: true, force: true})
      throw error
    }

    return {file, source: 'git', cleanup: () => rmSync(dir, {recursive: true, force: true})}
  }

  const {plan} = await ensureInCache(ctx, rev, art, 'missing')
  const obj = plan.objects[0]
  let file = obj && findCacheObject(ctx.cacheDir, obj.md5)
  if (!obj || !file) throw new XvError(`${path} at ${rev.name} is not in the local cache after fetching it`)
  let moved: SetAside | undefined
  const memo = HashMemo.forCacheObjects(ctx.root)
  if (!(await soundObject(file, obj.md5, obj.size, memo))) {
    // never read a corrupt object: set it aside and fetch it again
    moved = setAside(ctx, file, obj.md5)
    await fetchObjects(ctx, rev, path, [{md5: obj.md5, what: `${path} at ${rev.name}`}])
    file = findCacheObject(ctx.cacheDir, obj.md5)
    if (!file || !(await soundObject(file, obj.md5, obj.size, memo)))
      throw new XvError(`corrupt cache object ${moved.object} (${path} at ${rev.name}) was set aside to ${moved.movedTo}, and the fetched copy does not verify either`)
  }

  return {file, source: 'dvc', cleanup: () => {}, repaired: moved}
}

/**
 * Databases up to this size are md5-checked before they are read, larger ones only by size. A check
 * is remembered for the object as it is (device, inode, size, mtime: `.dvc/tmp/xv-object-hashes.json`),
 * as DVC's state does, so the next command reading it does not hash it again; an object written
 * since (through a link too) has another mtime and is hashed again.
 */
const VERIFY_LIMIT = 512 * 1024 * 1024

async function soundObject(file: string, md5: string, size: number | undefined, memo: HashMemo): Promise<boolean> {
  const actual = statSync(file).size
  if (size !== undefined && actual !== size) return false
  if (actual > VERIFY_LIMIT) return true
  const sound = (await fileMatches(file, md5.replace(/\.dir$/, ''), size, undefined, memo)) === true
  memo.save()
  return sound
}

/**
 * resultsAt for commands that can still say something without the database (show, diff): when
 * its object cannot be had (remote unreachable, object missing), one warning and 'unavailable'.
 */
export async function resultsAtOrWarn(ctx: RepoContext, rev: Rev, warnings: string[]): Promise<ResultsAt | undefined | 'unavailable'> {
  try {
    const at = await resultsAt(ctx, rev)
    if (at?.repaired) warnings.push(`corrupt cache object ${at.repaired.object} (${at.label}) set aside to ${at.repaired.movedTo}; fetched again from the remote`)
    return at
  } catch (error) {
    if (!(error instanceof ObjectUnavailableError)) throw error
    warnings.push(`cannot read ${ctx.config.db} at ${rev.name} (${error.message}); showing only what git records`)
    return 'unavailable'
  }
}

/** The result database at a revision, opened read-only. */
export interface ResultsAt {
  db: Db
  label: string
  /** Where the bytes came from: working copy, git object store, DVC cache. */
  source: 'workspace' | 'git' | 'dvc'
  file: string
  /** The DuckDB file itself when the database is DuckDB (then `file`/`db` hold only this revision's rows). */
  duck?: string
  close: () => void
  repaired?: SetAside
}

/** The rows of a DuckDB database that show/diff read at REV: its version's rows of each table with a version column. */
function revisionRows(ctx: RepoContext, rev: Rev): CopyScope {
  const v = rev.kind === 'workspace' ? undefined : asVersion(rev.name, ctx.config.prefix)
  const candidates = [...(ctx.config.versionColumn ? [ctx.config.versionColumn] : []), ...VERSION_COLUMNS]
  return (_table, columns) => {
    const column = candidates.find((c) => columns.includes(c)) ?? columns.find((c) => /version$/i.test(c))
    if (!column) return 'none'
    if (rev.kind === 'workspace') return {where: {column, newest: true}}
    return {where: {column, values: v ? [v.tag, v.semver] : [rev.name]}}
  }
}

/** The result database (xv.yaml `db`, or PATH) as it was at REV; undefined when it did not exist there. */
async function resultsAt(ctx: RepoContext, rev: Rev, path = ctx.config.db): Promise<ResultsAt | undefined> {
  const readable = await readableFileAt(ctx, rev, path)
  if (!readable) return undefined
  const label = `${path} at ${rev.name}`
  try {
    // A DuckDB database is read through a temporary SQLite copy of the revision's own rows
    // (DuckDB filters them); --rows reads the DuckDB file itself (duck).
    const duck = isDuckDbFile(readable.file) ? readable.file : undefined
    const copy = duck ? await (await import('../adapters/result-store-convert.js')).duckToSqliteCopy(duck, label, revisionRows(ctx, rev)) : undefined
    const file = copy?.file ?? readable.file
    let db: Db
    try {
      db = openReadOnly(file, label)
    } catch (error) {
      copy?.cleanup()
      throw error
    }

    return {db, label, source: readable.source, file, ...(duck ? {duck} : {}), close: () => { db.close(); copy?.cleanup(); readable.cleanup() }, repaired: readable.repaired}
  } catch (error) {
    readable.cleanup()
    throw error
  }
}

/** The values the version column holds for a revision: the tag and its bare semver; for the working copy, the newest row's version. */
export function versionKeys(ctx: RepoContext, rev: Rev, db: Db, table: string, versionColumn: string): string[] {
  if (rev.kind === 'workspace') {
    const v = newestVersion(db, table, versionColumn)
    return v === undefined ? [] : [v]
  }

  const v = asVersion(rev.name, ctx.config.prefix)
  return v ? [v.tag, v.semver] : [rev.name]
}

export interface TableChoiceAt {
  table: string
  versionColumn: string
  columns: ColumnInfo[]
}

/** The result table (and its version column) of the database at a revision. */
export function chooseTableAt(ctx: RepoContext, at: ResultsAt, wanted: {table?: string; versionColumn?: string}): TableChoiceAt | undefined {
  const tables = describeTables(at.db)
  const choice = chooseResultTable(tables, {table: wanted.table ?? ctx.config.table, versionColumn: wanted.versionColumn ?? ctx.config.versionColumn}, at.label)
  if (!choice) return undefined
  return {...choice, columns: tables.find((t) => t.table === choice.table)?.columns ?? []}
}
