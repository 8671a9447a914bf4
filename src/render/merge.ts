/**
 * Human output of `xv merge` (databases and Parquet data).
 */
import type {MergeReport} from '../domain/merge.js'
import type {ParquetMergeReport} from '../domain/parquet-merge.js'
import {colors, renderTable} from './output.js'

export function renderMerge(r: MergeReport): string {
  const head = r.dryRun ? `${colors.bold('dry run')} — nothing was written. xv merge would change ${r.target}:` : `${colors.green('✓')} merged into ${r.target} (${r.strategy})`
  const rows = r.tables.map((t) => [
    t.source,
    t.table + (t.created ? ' (new)' : ''),
    t.added,
    r.strategy === 'merge' ? t.skipped : '',
    r.strategy === 'rebase' || t.replaced > 0 ? t.replaced : '',
    t.columnsAdded.join(', '),
    t.matchedBy,
  ])
  const lines = [head, renderTable(['source', 'table', 'added', 'duplicates', 'replaced', 'new columns', 'matched by'], rows)]
  if (r.backup) lines.push(`backup: ${r.backup}  (undo: xv merge --restore ${r.backup} --yes)`)
  if (r.runLogs && r.runLogs.length > 0) lines.push(`run logs brought home: ${r.runLogs.length} (${r.runLogs.length > 3 ? `${r.runLogs.slice(0, 3).join(', ')}, …` : r.runLogs.join(', ')})`)
  return lines.join('\n')
}

export function renderParquetMerge(r: ParquetMergeReport): string {
  const lines = [
    r.dryRun ? `${colors.bold('dry run')} — nothing was written. xv merge --data would write ${r.out}:` : `${colors.green('✓')} wrote ${r.out} (${r.strategy})`,
    `  base rows ${r.baseRows}, source rows ${r.sourceRows}${r.strategy === 'rebase' ? `, replaced ${r.replaced}` : ''} → ${r.rows} rows`,
  ]
  if (r.columnsAdded.length > 0) lines.push(`  new columns: ${r.columnsAdded.join(', ')}`)
  if (r.backup) lines.push(`  backup of the base: ${r.backup}`)
  return lines.join('\n')
}
