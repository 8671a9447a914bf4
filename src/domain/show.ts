/**
 * `xv show VERSION`: one experiment — its tag, commit, the result rows of that version from the
 * database as it was at that tag (through the artifact resolver), and every DVC artifact at that
 * tag with hash, size and where its objects are.
 */
import {describeTables, newestVersion, openReadOnly, versionRows, type ColumnInfo, type Db} from '../adapters/sqlite.js'
import {commitInfo, tagMessage} from '../adapters/git.js'
import type {RepoContext} from '../context.js'
import {dvcArtifactsAt, readableFileAt, resolveRev, type DvcArtifactInfo, type Rev} from './artifacts.js'
import {chooseResultTable} from './results.js'
import {parseTagMessage} from './tag-message.js'
import {asVersion} from './version.js'

/** The result database at a revision, opened read-only. Undefined when it does not exist there. */
export interface ResultsAt {
  db: Db
  label: string
  /** Where the bytes came from: working copy, git object store, DVC cache. */
  source: 'workspace' | 'git' | 'dvc'
  file: string
  close: () => void
}

export async function resultsAt(ctx: RepoContext, rev: Rev, path = ctx.config.db): Promise<ResultsAt | undefined> {
  const readable = await readableFileAt(ctx, rev, path)
  if (!readable) return undefined
  const label = `${path} at ${rev.name}`
  try {
    const db = openReadOnly(readable.file, label)
    return {db, label, source: readable.source, file: readable.file, close: () => { db.close(); readable.cleanup() }}
  } catch (error) {
    readable.cleanup()
    throw error
  }
}

/** The values the version column holds for a revision: the tag and its bare semver; for the working copy, the newest row's version. */
export function versionKeys(ctx: RepoContext, rev: Rev, db: Db, table: string, versionColumn: string): string[] {
  if (rev.workspace) {
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

export function chooseTableAt(ctx: RepoContext, at: ResultsAt, wanted: {table?: string; versionColumn?: string}): TableChoiceAt | undefined {
  const tables = describeTables(at.db)
  const choice = chooseResultTable(tables, {table: wanted.table ?? ctx.config.table, versionColumn: wanted.versionColumn ?? ctx.config.versionColumn}, at.label)
  if (!choice) return undefined
  return {...choice, columns: tables.find((t) => t.table === choice.table)!.columns}
}

export interface ShowReport {
  version: string
  commit: string
  annotated: boolean
  tagger?: string
  tagDate?: string
  author: string
  authorEmail: string
  date: string
  message: string
  fields: Record<string, string>
  description?: string
  results: {
    db: string
    found: boolean
    source?: string
    table?: string
    versionColumn?: string
    columns: string[]
    rows: Array<Record<string, unknown>>
    total: number
    note?: string
  }
  artifacts: DvcArtifactInfo[]
}

export interface ShowOptions {
  table?: string
  versionColumn?: string
  limit: number
}

export async function showExperiment(ctx: RepoContext, input: string, options: ShowOptions): Promise<ShowReport> {
  const rev = await resolveRev(ctx, input)
  const tag = rev.isTag ? (await ctx.git.listTags()).find((t) => t.name === rev.name) : undefined
  const info = rev.workspace ? undefined : await commitInfo(ctx.git, rev.commit!)
  const message = tag?.type === 'tag' ? await tagMessage(ctx.git, rev.name) : ''
  const parsed = parseTagMessage(tag?.type === 'tag' ? tag.subject : '')
  const report: ShowReport = {
    version: rev.name,
    commit: rev.commit ?? (await ctx.git.revParse('HEAD')) ?? '',
    annotated: tag?.type === 'tag',
    tagger: tag?.tagger || undefined,
    tagDate: tag?.date,
    author: info?.author ?? '',
    authorEmail: info?.email ?? '',
    date: info?.date ?? '',
    message,
    fields: parsed.fields,
    description: parsed.description,
    results: {db: ctx.config.db, found: false, columns: [], rows: [], total: 0},
    artifacts: await dvcArtifactsAt(ctx, rev),
  }

  const at = await resultsAt(ctx, rev)
  if (!at) {
    report.results.note = `no result database ${ctx.config.db} at ${rev.name}`
    return report
  }

  try {
    report.results.found = true
    report.results.source = at.source
    const choice = chooseTableAt(ctx, at, options)
    if (!choice) {
      report.results.note = `no table of ${at.label} has a version column`
      return report
    }

    const keys = versionKeys(ctx, rev, at.db, choice.table, choice.versionColumn)
    const {rows, total} = keys.length > 0 ? versionRows(at.db, choice.table, choice.versionColumn, keys, options.limit) : {rows: [], total: 0}
    Object.assign(report.results, {table: choice.table, versionColumn: choice.versionColumn, columns: choice.columns.map((c) => c.name), rows, total})
    if (total === 0) report.results.note = `no rows with ${choice.versionColumn} = ${rev.name} in table ${choice.table} of ${at.label}`
  } finally {
    at.close()
  }

  return report
}
