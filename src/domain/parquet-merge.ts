/**
 * `xv merge --data BASE.parquet SOURCE.parquet…`: Parquet data through DuckDB.
 *   merge  — union by column name (a column missing on one side becomes NULL);
 *   rebase — source rows replace base rows with the same --key; base rows without a match stay.
 * The result is written to a temporary file next to OUT and renamed over it, so OUT is either
 * the old file or the new one. Inputs are never modified unless OUT is the base.
 */
import {copyFileSync, existsSync, renameSync, rmSync, statSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'

import {isParquetFile, quoteIdentDuck, sqlString, withDuckDb, type DuckSession} from '../adapters/duckdb.js'
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

const read = (file: string) => `read_parquet(${sqlString(file)})`

async function columnsOf(s: DuckSession, file: string): Promise<string[]> {
  return (await s.rows(`DESCRIBE SELECT * FROM ${read(file)}`)).map((r) => String(r.column_name))
}

async function count(s: DuckSession, from: string): Promise<number> {
  return Number((await s.rows(`SELECT count(*) AS n FROM ${from}`))[0]?.n ?? 0)
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

export async function mergeParquet(options: ParquetMergeOptions, cwd = process.cwd()): Promise<ParquetMergeReport> {
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

  return withDuckDb(async (s) => {
    const baseCols = await columnsOf(s, base)
    const srcCols: string[][] = []
    for (const file of sources) srcCols.push(await columnsOf(s, file))
    const union = sources.map((f) => `SELECT * FROM ${read(f)}`).join(' UNION ALL BY NAME ')
    let query: string
    let replaced = 0
    if (options.strategy === 'rebase') {
      const keys = options.keys && options.keys.length > 0 ? options.keys : undefined
      if (!keys) throw new XvError('rebase of Parquet data needs --key (the column(s) whose rows the sources replace)')
      for (const [file, cols] of [[base, baseCols], ...sources.map((f, i) => [f, srcCols[i]] as const)] as Array<readonly [string, string[]]>) {
        const missing = keys.find((k) => !cols.includes(k))
        if (missing) throw new XvError(`key column '${missing}' not found in ${basename(file)}; columns: ${cols.join(', ')}`)
      }

      const match = keys.map((k) => `s.${quoteIdentDuck(k)} IS NOT DISTINCT FROM b.${quoteIdentDuck(k)}`).join(' AND ')
      const kept = `SELECT * FROM ${read(base)} b WHERE NOT EXISTS (SELECT 1 FROM (${union}) s WHERE ${match})`
      replaced = (await count(s, read(base))) - (await count(s, `(${kept})`))
      query = `${kept} UNION ALL BY NAME ${union}`
    } else {
      query = `SELECT * FROM ${read(base)} UNION ALL BY NAME ${union}`
    }

    const report: ParquetMergeReport = {
      base,
      sources,
      out,
      strategy: options.strategy,
      dryRun: options.dryRun,
      baseRows: await count(s, read(base)),
      sourceRows: await count(s, `(${union})`),
      rows: 0,
      replaced,
      columnsAdded: [...new Set(srcCols.flat())].filter((c) => !baseCols.includes(c)),
    }
    if (options.dryRun) {
      report.rows = report.baseRows - replaced + report.sourceRows
      return report
    }

    const tmp = join(dirname(out), `.${basename(out)}.xv-tmp-${process.pid}.parquet`)
    // Error, Ctrl-C or SIGTERM before the rename: the temporary file goes, OUT is untouched.
    await withUndo(async (log) => {
      log.onUndo(() => rmSync(tmp, {force: true}))
      await s.run(`COPY (${query}) TO ${sqlString(tmp)} (FORMAT parquet)`)
      report.rows = await count(s, read(tmp))
      if (out === base && options.strategy === 'rebase') {
        report.backup = backupPath(base)
        copyFileSync(base, report.backup)
      }

      renameSync(tmp, out)
    })
    return report
  })
}
