/** Human output of `xv compare`: one column per version, plain or Markdown. */
import type {Comparison} from '../domain/compare.js'
import {formatNumber, formatParam} from '../domain/tag-message.js'
import {colors, renderTable} from './output.js'

function mdTable(head: string[], rows: string[][]): string {
  const esc = (c: string) => c.replaceAll('|', '\\|')
  return [`| ${head.map(esc).join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n')
}

export function renderComparison(c: Comparison, md = false): string {
  const head = ['', ...c.versions.map((v) => v.version)]
  const rows: string[][] = []
  rows.push(['runs', ...c.versions.map((v) => (v.runs === 0 ? 'no runs' : v.runs === undefined ? '' : String(v.runs)))])
  rows.push(['table', ...c.versions.map((v) => v.table ?? (v.fromMessage ? '(tag message)' : ''))])
  for (const m of c.metricNames) rows.push([m, ...c.versions.map((v) => (v.metrics[m] === undefined ? '' : formatNumber(v.metrics[m])))])
  for (const m of c.metricNames) if (c.versions.some((v) => m in v.means)) rows.push([`${m} (mean)`, ...c.versions.map((v) => (v.means[m] === undefined ? '' : formatNumber(v.means[m])))])
  for (const p of c.paramNames) rows.push([p, ...c.versions.map((v) => formatParam(v.params[p]))])
  rows.push(['best run', ...c.versions.map((v) => v.best?.run ?? '')])
  rows.push(['description', ...c.versions.map((v) => v.description ?? '')])
  const parts: string[] = []
  parts.push(md ? mdTable(head, rows) : renderTable(head.map((h) => (h ? h : 'version')), rows))
  if (c.artifacts.length > 0) {
    const artRows = c.artifacts.map((a) => [a.path, ...a.md5.map((m) => (m ? m.slice(0, 10) : '—'))])
    parts.push(md ? `\n**artifacts**\n\n${mdTable(['path', ...head.slice(1)], artRows)}` : `\n${colors.bold('artifacts')}\n${renderTable(['path', ...head.slice(1)], artRows)}`)
  }

  for (const code of c.code) {
    const title = `code ${code.from} → ${code.to}: ${code.files.length} file(s), +${code.insertions} −${code.deletions}`
    const lines = code.files.map((f) => `  ${f.path}${f.binary ? ' (binary)' : `  +${f.insertions} −${f.deletions}`}`)
    parts.push(md ? `\n**${title}**\n\n${code.files.map((f) => `- \`${f.path}\`${f.binary ? ' (binary)' : ` +${f.insertions} −${f.deletions}`}`).join('\n')}` : `\n${colors.bold(title)}\n${lines.join('\n')}`)
  }

  return parts.join('\n')
}
