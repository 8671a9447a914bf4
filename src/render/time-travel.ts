/**
 * Human output of the time-travel commands: xv get, xv show, xv diff (text or Markdown).
 */
import type {GetResult} from '../domain/get.js'
import type {DiffReport, ValueDelta} from '../domain/diff.js'
import type {RowExample} from '../domain/row-diff.js'
import type {ShowReport} from '../domain/show.js'
import type {TagSummary} from '../domain/summaries.js'
import {asText, formatNumber, formatParam} from '../domain/tag-message.js'
import {colors, formatBytes, renderTable, shortDate, shortSha} from './output.js'

export function renderGet(r: GetResult): string {
  const what = r.type === 'dir' ? `${r.files} file${r.files === 1 ? '' : 's'}, ${formatBytes(r.bytes)}` : formatBytes(r.bytes)
  const via = {git: 'git object store', cache: 'DVC cache', remote: `DVC remote (${r.fetched} object(s) fetched)`, worktree: 'temporary worktree', workspace: 'working copy'}[r.strategy]
  const lines = [`${colors.green('✓')} ${r.path} @ ${r.version} → ${r.out} (${what}, verified) via ${via} [strategy: ${r.strategy}]`]
  for (const a of r.setAside) lines.push(`${colors.yellow('!')} corrupt cache object ${a.object} set aside to ${a.movedTo}; fetched again from the remote`)
  if (r.cleaned.length > 0) lines.push(colors.dim(`removed ${r.cleaned.length} stale temporary file(s) of interrupted runs: ${r.cleaned.join(', ')}`))
  return lines.join('\n')
}

/** A number with P decimals; one those decimals would show as zero (lr 1e-05) as it is: 0.00001, never 0.0000. */
function fixed(v: number, p: number): string {
  if (Number.isInteger(v)) return String(v)
  return v !== 0 && Math.abs(v) < 0.5 * 10 ** -p ? formatParam(v) : v.toFixed(p)
}

function cell(v: unknown, precision = 4): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') return fixed(v, precision)
  if (Buffer.isBuffer(v)) return `<${v.length} bytes>`
  const s = asText(v)
  return s.length > 40 ? `${s.slice(0, 37)}…` : s
}

const yesNo = (v: boolean | 'partial' | 'corrupt' | undefined) => (v === undefined ? 'unknown' : v === 'partial' ? 'partial' : v === 'corrupt' ? colors.red('corrupt') : v ? 'yes' : colors.red('no'))

/** The frozen summary of `xv show`: best run, runs, the best run's metrics and params, metric means labelled as means. */
function summaryRows(s: TagSummary): Array<[string, string]> {
  const list = (o: Record<string, unknown>, metric: boolean) => Object.entries(o).map(([k, v]) => `${k}=${metric && typeof v === 'number' ? formatNumber(v) : formatParam(v)}`).join('  ')
  const best = s.best ? `${s.best.run ?? '(no run id)'}  ${s.best.metric}=${formatNumber(s.best.value)} (${s.best.direction} is better)` : 'none'
  const rows: Array<[string, string]> = [['runs', s.runs === 0 ? 'no runs' : `${s.runs} (${s.rows} row${s.rows === 1 ? '' : 's'}${s.table ? ` of ${s.table}` : ''})`]]
  if (s.runs > 0) rows.push(['best run', best], ['its metrics', list(s.metrics, true)], ['its params', list(s.params, false)], ['mean over the rows', list(s.means, true)])
  return rows.filter((row) => row[1] !== '')
}

export function renderShow(r: ShowReport): string {
  const lines = [
    `${colors.bold(r.version)}  ${shortSha(r.commit)}  ${shortDate(r.date)}  ${r.author}${r.authorEmail ? ` <${r.authorEmail}>` : ''}`,
  ]
  if (r.annotated) lines.push(`tag by ${r.tagger || '?'} on ${shortDate(r.tagDate ?? '')}: ${r.message.split('\n')[0]}`)
  else if (r.version !== 'workspace') lines.push(colors.dim('(not an annotated tag: no experiment fields)'))
  const fields = Object.entries(r.fields)
  if (fields.length > 0) lines.push('', colors.bold('fields'), renderTable(['key', 'value'], fields))
  if (r.description) lines.push(`description: ${r.description}`)
  if (r.summary) {
    const rows = summaryRows(r.summary)
    const width = Math.max(...rows.map(([k]) => k.length))
    lines.push('', colors.bold('summary (frozen at the tag)'), ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`))
  }
  lines.push('', colors.bold(`results (${r.results.db}${r.results.source ? ` from ${r.results.source}` : ''}${r.results.table ? `, table ${r.results.table}` : ''})`))
  if (r.results.rows.length > 0) {
    lines.push(renderTable(r.results.columns, r.results.rows.map((row) => r.results.columns.map((c) => cell(row[c])))))
    if (r.results.total > r.results.rows.length) lines.push(colors.dim(`… ${r.results.total - r.results.rows.length} more rows (--limit)`))
  }

  if (r.results.note) lines.push(colors.dim(r.results.note))
  lines.push('', colors.bold('DVC artifacts'))
  if (r.artifacts.length === 0) lines.push(colors.dim('none'))
  else
    lines.push(
      renderTable(
        ['path', 'md5', 'size', 'files', 'in cache', 'in remote'],
        r.artifacts.map((a) => [a.path + (a.isDir ? '/' : ''), a.md5?.slice(0, 12) ?? '', formatBytes(a.size), a.nfiles ?? (a.isDir ? '' : 1), yesNo(a.inCache), yesNo(a.inRemote)]),
      ),
    )
  return lines.join('\n')
}

export interface DiffRenderOptions {
  md?: boolean
  precision: number
}

function num(v: number | undefined, p: number, signed = false): string {
  if (v === undefined || !Number.isFinite(v)) return ''
  const s = fixed(v, p)
  return signed && v > 0 ? `+${s}` : s
}

function mdTable(head: string[], rows: string[][]): string {
  const esc = (s: string) => s.replaceAll('|', '\\|')
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n')
}

function example(e: RowExample, p: number): string {
  const vals = Object.entries(e.values).map(([k, v]) => `${k}=${cell(v, p)}`).join(', ')
  const ch = e.changes ? ` → ${Object.entries(e.changes).map(([k, c]) => `${k}: ${cell(c.a, p)} → ${cell(c.b, p)}`).join(', ')}` : ''
  return `${vals}${ch}`
}

export function renderDiff(r: DiffReport, o: DiffRenderOptions): string {
  const p = o.precision
  const table = (head: string[], rows: string[][]) => (o.md ? mdTable(head, rows) : renderTable(head, rows))
  const h = (t: string) => (o.md ? `### ${t}` : colors.bold(t))
  const paint = (d: ValueDelta, s: string) => (o.md || d.better === undefined ? s : d.better ? colors.green(s) : colors.red(s))
  const arrow = (d: ValueDelta) => (d.better === undefined ? '' : d.better ? ' ▲' : ' ▼')
  const lines: string[] = []
  const side = (s: DiffReport['a']) => `${s.version}${s.commit ? ` (${shortSha(s.commit)})` : ''}${s.rows ? `, ${s.rows} row${s.rows === 1 ? '' : 's'}` : ''}${s.db ? ` [db from ${s.db.source}]` : ''}`
  lines.push(o.md ? `## xv diff ${r.a.version} → ${r.b.version}` : `${colors.bold('diff')} ${side(r.a)} → ${side(r.b)}`)
  if (o.md) lines.push('', `- A: ${side(r.a)}`, `- B: ${side(r.b)}`)
  const tables = r.a.table && r.b.table && r.a.table !== r.b.table ? `table ${r.a.table} at ${r.a.version}, table ${r.b.table} at ${r.b.version}` : r.table ? `table ${r.table}` : ''
  lines.push('', h(`metrics and params${tables ? ` (${tables}, metrics: mean over the version's rows; a param that varies: its range)` : ''}`))
  if (r.values.length === 0) lines.push(o.md ? '_no differences_' : colors.dim('no differences'))
  else
    lines.push(
      table(
        ['name', r.a.version, r.b.version, 'Δ', 'Δ %'],
        r.values.map((d) => [
          d.name,
          typeof d.a === 'number' ? num(d.a, p) : (d.a ?? ''),
          typeof d.b === 'number' ? num(d.b, p) : (d.b ?? ''),
          paint(d, num(d.delta, p, true) + arrow(d)),
          paint(d, d.pct === undefined ? '' : `${num(d.pct, 1, true)}%`),
        ]),
      ),
    )
  if (r.fields.length > 0) lines.push('', h('tag fields'), table(['field', r.a.version, r.b.version], r.fields.map((f) => [f.key, f.a ?? '', f.b ?? ''])))
  lines.push('', h('DVC artifacts'))
  if (r.artifacts.length === 0) lines.push(o.md ? '_no changes_' : colors.dim('no changes'))
  else
    lines.push(
      table(
        ['path', 'change', r.a.version, r.b.version, 'size Δ'],
        r.artifacts.map((a) => [a.path, a.change, hashCell(a.a?.md5), hashCell(a.b?.md5), a.sizeDelta === undefined ? formatBytes(a.b?.size ?? (a.a?.size === undefined ? undefined : -a.a.size)) : `${a.sizeDelta > 0 ? '+' : ''}${formatBytes(a.sizeDelta)}`]),
      ),
    )
  if (r.code) {
    lines.push('', h('code'), `${r.code.files} file(s) changed, +${r.code.insertions} −${r.code.deletions}`)
    for (const f of r.code.changed ?? []) lines.push(`  ${f.path}${f.binary ? ' (binary)' : `  +${f.insertions ?? 0} −${f.deletions ?? 0}`}`)
  }
  if (r.rows) {
    const d = r.rows
    lines.push('', h(`rows of ${d.table} (${d.keySource === 'whole rows' ? 'whole rows' : `by ${d.key.join(', ')}`}): ${d.rowsA} → ${d.rowsB}`))
    lines.push(`added ${d.added}, removed ${d.removed}${d.key.length > 0 ? `, changed ${d.changed}` : ''}`)
    if (d.columnsAdded.length > 0) lines.push(`columns added: ${d.columnsAdded.join(', ')}`)
    if (d.columnsRemoved.length > 0) lines.push(`columns removed: ${d.columnsRemoved.join(', ')}`)
    for (const kind of ['added', 'removed', 'changed'] as const)
      for (const e of d.examples[kind]) lines.push(`  ${kind === 'added' ? '+' : kind === 'removed' ? '-' : '~'} ${example(e, p)}`)
  }

  for (const n of r.notes) lines.push(o.md ? `> ${n}` : colors.dim(`note: ${n}`))
  return lines.join('\n')
}

function hashCell(md5: string | undefined): string {
  if (!md5) return ''
  return /^[0-9a-f]{32}/.test(md5) ? md5.slice(0, 10) : md5
}
