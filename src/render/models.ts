/** What `xv model …` and `xv gc` show a person (JSON goes out as the domain returns it). */
import type {GcReport} from '../domain/gc.js'
import type {StageChange, StageListing} from '../domain/model-assign.js'
import type {ModelEntry, ModelInfo, ModelListing} from '../domain/model-list.js'
import type {PruneReport} from '../domain/model-prune.js'
import type {ModelChange} from '../domain/model-promote.js'
import {formatNumber} from '../domain/tag-message.js'
import {colors, formatBytes, renderTable, shortDate, shortSha} from './output.js'

const MAX_METRIC_COLUMNS = 4

/** Aligned plain columns (a long list: cli-table3 costs ~1 s per 1,000 rows). */
function columns(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 2))).join('').trimEnd()
  return [colors.bold(line(head)), ...rows.map(line)].join('\n')
}

function metricCell(e: ModelEntry, name: string): string {
  const v = e.metrics[name]
  return v === undefined ? '' : formatNumber(v)
}

function origin(e: ModelEntry): string {
  return [e.version, e.run ? `run ${e.run}` : undefined].filter(Boolean).join(' ') || (e.noRuns ? 'no runs' : '')
}

export function renderModelList(listing: ModelListing): string {
  const metrics = listing.metricNames.slice(0, MAX_METRIC_COLUMNS)
  const rows = [...(listing.production ? [listing.production] : []), ...listing.candidates].map((e) => [
    e.kind === 'production' ? 'production' : e.name,
    origin(e),
    ...metrics.map((m) => metricCell(e, m)),
    formatBytes(e.size),
    e.md5 ? e.md5.slice(0, 8) : e.tracked ? '' : 'untracked',
    e.stages.join(','),
  ])
  if (rows.length === 0) return `no models yet for ${listing.model}: promote one with 'xv model promote VERSION' or add candidates with 'xv model add-candidate VERSION'`
  const head = ['model', 'from', ...metrics, 'size', 'md5', 'stages']
  const footer = `${listing.candidates.length} candidate(s)${listing.sortedBy ? `, best ${listing.sortedBy} first` : ''} · model name ${listing.model}`
  return `${columns(head, rows)}\n${colors.dim(footer)}`
}

export function renderModelInfo(info: ModelInfo): string {
  const lines = [
    `${colors.bold(info.kind === 'production' ? 'production' : `candidate ${info.name}`)}  ${info.path}`,
    `  from:      ${origin(info) || 'unknown (no registry record and no tag holds this file)'}`,
  ]
  if (info.commit) lines.push(`  commit:    ${shortSha(info.commit)} ${shortDate(info.date ?? '')} by ${info.author ?? ''}`)
  if (info.promotedAt) lines.push(`  promoted:  ${shortDate(info.promotedAt)} by ${info.promotedBy ?? ''}`)
  lines.push(`  size:      ${formatBytes(info.size)}${info.md5 ? `  md5 ${info.md5}` : ''}`)
  if (info.data) lines.push(`  data:      ${info.data}`)
  if (info.stages.length > 0) lines.push(`  stages:    ${info.stages.join(', ')}`)
  const metrics = Object.entries(info.metrics)
  lines.push(`  metrics:   ${metrics.length > 0 ? metrics.map(([k, v]) => `${k}=${formatNumber(v)}`).join('  ') : info.noRuns ? 'none (its version has no runs)' : 'none'} ${colors.dim(`(${info.from})`)}`)
  const params = Object.entries(info.params)
  if (params.length > 0) lines.push(`  params:    ${params.map(([k, v]) => `${k}=${String(v)}`).join('  ')}`)
  return lines.join('\n')
}

export function renderModelChange(change: ModelChange): string {
  if (change.unchanged) return `${change.dest} already holds that model (md5 ${change.origin.md5 ?? ''}); nothing to do`
  if (change.dryRun) return ['would:', ...change.steps.map((s) => `  ${s}`)].join('\n')
  const what = change.action === 'promote' ? 'promoted' : 'added candidate'
  const from = [change.origin.candidate ? `candidate ${change.origin.candidate}` : undefined, change.origin.version, change.origin.run ? `run ${change.origin.run}` : undefined].filter(Boolean).join(', ')
  const lines = [`✓ ${what} ${change.dest} (from ${from || change.origin.source}; ${formatBytes(change.bytes)} via ${change.strategy ?? ''}, md5 verified)`]
  if (change.commit) lines.push(`  commit ${shortSha(change.commit)}`)
  if (change.tag) lines.push(`  tag ${change.tag}: ${change.tagMessage ?? ''}`)
  return lines.join('\n')
}

/** Removed candidates listed after a real prune (a dry run lists every one; --json always does). */
const MAX_REMOVED_LINES = 20

export function renderPrune(report: PruneReport): string {
  const shown = report.dryRun ? report.remove : report.remove.slice(0, MAX_REMOVED_LINES)
  const rows = [
    ...report.keep.map((c) => ['keep', c.name, c.value === undefined ? '' : formatNumber(c.value)]),
    ...shown.map((c) => [report.dryRun ? 'would remove' : 'removed', c.name, c.value === undefined ? '' : formatNumber(c.value)]),
  ]
  const lines = [columns(['', 'candidate', report.metric], rows)]
  if (shown.length < report.remove.length) lines.push(colors.dim(`… and ${report.remove.length - shown.length} more removed (--json lists every one)`))
  if (report.remove.length === 0) lines.push(`nothing to prune: ${report.keep.length} candidate(s), keeping up to ${report.keep.length}`)
  else {
    const from = report.retrievableFrom ? `; each stays retrievable: xv get ${report.retrievableFrom.length === 40 ? report.retrievableFrom.slice(0, 12) : report.retrievableFrom} models/candidates/NAME` : ''
    lines.push(`${report.dryRun ? 'would remove' : 'removed'} ${report.remove.length} candidate(s), ${formatBytes(report.bytesRemoved)}${from}`)
    if (report.commit) lines.push(`commit ${shortSha(report.commit)}; free the space with 'xv gc'`)
  }

  return lines.join('\n')
}

export function renderStageChange(change: StageChange): string {
  const verb = change.tags.some((t) => t.includes('!#')) ? 'unassigned' : 'assigned'
  if (change.dryRun) return `would write: ${change.tags.join(', ')}`
  return `✓ ${verb} ${change.stage} ${verb === 'assigned' ? 'to' : 'from'} ${change.version} (${change.model} ${change.gtoVersion}): ${change.tags.join(', ')}${change.pushed ? ` · pushed to ${change.pushed}` : ''}`
}

export function renderStages(listing: StageListing): string {
  if (listing.stages.length === 0) return `no stages assigned for ${listing.model}; assign one with 'xv model assign VERSION STAGE'`
  return renderTable(
    ['stage', 'version', 'gto version', 'since', 'by', 'tag'],
    listing.stages.map((s) => [s.stage, s.experiment ?? '', s.version, shortDate(s.date), s.tagger, s.tag]),
  )
}

export function renderGc(report: GcReport): string {
  const lines = report.stores.map((s) => {
    const verb = report.dryRun ? 'would free' : 'freed'
    const recent = s.tooRecent > 0 ? `; ${s.tooRecent} unreferenced object(s) younger than --min-age kept` : ''
    return `${s.store} ${s.dir}: ${verb} ${formatBytes(s.bytesFreed)} (${s.removed} object(s)), kept ${s.kept}${recent}`
  })
  lines.push(colors.dim(`referenced: ${report.referenced} object(s) from ${report.revisions} revision(s) and every worktree's working copy`))
  return lines.join('\n')
}
