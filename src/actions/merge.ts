/** `xv merge` once its command line is parsed (run by src/commands/merge.ts and by the fast entry). */
import type {CommandIo} from '../command-io.js'
import {XvError} from '../errors.js'
import {listValues} from '../flag-values.js'
import {jsonResult, type JsonResult} from '../json/contract.js'

export interface MergeFlags {
  into?: string
  strategy: string
  'id-column'?: string
  key?: string[]
  table?: string[]
  yes: boolean
  'dry-run': boolean
  data: boolean
  out?: string
  force: boolean
  restore?: string
}

type MergeResult = JsonResult<'merge'> | JsonResult<'merge-parquet'> | JsonResult<'merge-restore'>

export async function merge(args: string[], flags: MergeFlags, io: CommandIo): Promise<MergeResult> {
  const strategy = flags.strategy as 'merge' | 'rebase'
  if (flags.data) {
    const [base, ...sources] = args
    if (!base) throw new XvError('--data needs BASE.parquet and at least one SOURCE.parquet')
    const {mergeParquet} = await import('../domain/parquet-merge.js')
    const report = await mergeParquet({base, sources, out: flags.out, strategy, keys: listValues(flags.key), yes: flags.yes, dryRun: flags['dry-run'], force: flags.force})
    if (!io.json) io.log((await import('../render/merge.js')).renderParquetMerge(report))
    return jsonResult('merge-parquet', report)
  }

  const ctx = await io.openRepo()
  const {mergeDatabases, restoreBackup} = await import('../domain/merge.js')
  if (flags.restore) {
    if (args.length > 0) throw new XvError('--restore takes no sources')
    const res = await restoreBackup(ctx, flags.restore, flags.into, flags.yes)
    if (!io.json) io.log(`${(await import('../render/output.js')).colors.green('✓')} restored ${res.target} from ${res.backup}`)
    return jsonResult('merge-restore', res)
  }

  const report = await mergeDatabases(ctx, {
    sources: args,
    into: flags.into,
    strategy,
    idColumn: flags['id-column'],
    keys: listValues(flags.key),
    tables: listValues(flags.table),
    yes: flags.yes,
    dryRun: flags['dry-run'],
  })
  if (!io.json) io.log((await import('../render/merge.js')).renderMerge(report))
  return jsonResult('merge', report)
}
