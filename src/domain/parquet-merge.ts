/**
 * `xv merge --data BASE.parquet SOURCE.parquet…`: Parquet data through DuckDB.
 *   merge  — union by column name (a column missing on one side becomes NULL);
 *   rebase — source rows replace base rows with the same --key; base rows without a match stay.
 * The result is written to a temporary file next to OUT and renamed over it, so OUT is either
 * the old file or the new one. Inputs are never modified unless OUT is the base.
 */
import {copyFileSync, existsSync, renameSync, rmSync, statSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'

import {
  isParquetFile, parquetColumns, parquetCount, parquetRowsNotIn, parquetUnion, parquetThen, withDuckDb, writeParquet, type DuckSession,
} from '../adapters/duckdb.js'
import {NotFoundError, RefusedError, UsageError, XvError} from '../errors.js'
import {withUndo} from '../interrupt.js'
import {backupPath, type MergeStrategy} from './merge.js'

export interface ParquetMergeOptions {
  base: string
  sources: string[]
  out?: string
  strategy: MergeStrategy
  keys?: string[]
  yes: boolean
  dryRun: boolean
  /** Overwrite an existing -o that is not a Parquet file. */
  force?: boolean
}

export interface ParquetMergeReport {
  base: string
  sources: string[]
  out: string
  strategy: MergeStrategy
  dryRun: boolean
  baseRows: number
  sourceRows: number
  rows: number
  replaced: number
  columnsAdded: string[]
  backup?: string
}

function checkInput(file: string, what: string): void {
  if (!existsSync(file)) throw new XvError(`${what} ${file} does not exist`)
  if (statSync(file).isDirectory() || !isParquetFile(file)) throw new XvError(`${what} ${file} is not a Parquet file (no PAR1 magic)`)
}

/** -o must go into an existing folder; an existing file there is replaced only when it is Parquet, or with --force. */
function checkOutput(out: string, given: string, force: boolean): void {
  if (!existsSync(dirname(out))) throw new NotFoundError('path', `the folder of -o ${given} (${dirname(out)}) does not exist; create it first or choose another -o`)
  if (!existsSync(out)) return
  if (statSync(out).isDirectory()) throw new UsageError(`-o ${given} is a directory; name the output file`)
  if (!isParquetFile(out) && !force)
    throw new RefusedError(`-o ${given} exists and is not a Parquet file; it would be overwritten: choose another -o, or add --force`)
}

/** Resolved, checked paths: BASE and SOURCES are Parquet, OUT goes into an existing folder. */
function checkPaths(options: ParquetMergeOptions, cwd: string): {base: string; sources: string[]; out: string} {
  const base = resolve(cwd, options.base)
  const sources = options.sources.map((s) => resolve(cwd, s))
  if (sources.length === 0) throw new XvError('name at least one source Parquet file after the base')
  const out = options.out ? resolve(cwd, options.out) : base
  checkInput(base, 'base')
  for (const s of sources) {
    checkInput(s, 'source')
    if (s === base) throw new XvError(`source ${s} is the base itself; nothing to merge`)
  }

  if (options.out) checkOutput(out, options.out, Boolean(options.force))
  if (options.strategy === 'rebase' && !options.yes && !options.dryRun)
    throw new XvError('rebase replaces rows of the base; run again with --yes, or --dry-run to see what it would do')
  return {base, sources, out}
}

/** Rebase: base rows whose --key a source has are dropped, then every source row appended. */
async function rebaseQuery(s: DuckSession, base: {file: string; columns: string[]}, sources: Array<{file: string; columns: string[]}>, keys: string[] | undefined, union: string) {
  if (!keys || keys.length === 0) throw new XvError('rebase of Parquet data needs --key (the column(s) whose rows the sources replace)')
  for (const {file, columns} of [base, ...sources]) {
    const missing = keys.find((k) => !columns.includes(k))
    if (missing) throw new XvError(`key column '${missing}' not found in ${basename(file)}; columns: ${columns.join(', ')}`)
  }

  const kept = parquetRowsNotIn(base.file, union, keys)
  const replaced = (await parquetCount(s, {file: base.file})) - (await parquetCount(s, {query: kept}))
  return {query: `${kept} UNION ALL BY NAME ${union}`, replaced}
}

/** Writes the merged rows next to OUT and renames them over it (a rebase of the base itself keeps a backup). */
async function writeMerged(s: DuckSession, query: string, report: ParquetMergeReport): Promise<void> {
  const {out, base} = report
  const tmp = join(dirname(out), `.${basename(out)}.xv-tmp-${process.pid}.parquet`)
  // Error, Ctrl-C or SIGTERM before the rename: the temporary file goes, OUT is untouched.
  await withUndo(async (log) => {
    log.onUndo(() => rmSync(tmp, {force: true}))
    await writeParquet(s, query, tmp)
    report.rows = await parquetCount(s, {file: tmp})
    if (out === base && report.strategy === 'rebase') {
      report.backup = backupPath(base)
      copyFileSync(base, report.backup)
    }

    renameSync(tmp, out)
  })
}

export async function mergeParquet(options: ParquetMergeOptions, cwd = process.cwd()): Promise<ParquetMergeReport> {
  const {base, sources, out} = checkPaths(options, cwd)
  return withDuckDb(async (s) => {
    const baseCols = await parquetColumns(s, base)
    const srcCols: string[][] = []
    for (const file of sources) srcCols.push(await parquetColumns(s, file))
    const union = parquetUnion(sources)
    const {query, replaced} =
      options.strategy === 'rebase'
        ? await rebaseQuery(s, {file: base, columns: baseCols}, sources.map((file, i) => ({file, columns: srcCols[i] ?? []})), options.keys, union)
        : {query: parquetThen(base, union), replaced: 0}
    const report: ParquetMergeReport = {
      base,
      sources,
      out,
      strategy: options.strategy,
      dryRun: options.dryRun,
      baseRows: await parquetCount(s, {file: base}),
      sourceRows: await parquetCount(s, {query: union}),
      rows: 0,
      replaced,
      columnsAdded: [...new Set(srcCols.flat())].filter((c) => !baseCols.includes(c)),
    }
    if (options.dryRun) report.rows = report.baseRows - replaced + report.sourceRows
    else await writeMerged(s, query, report)
    return report
  })
}
