/** `xv list` with --columns/--drop/--md/--csv: the chosen columns as a text table, Markdown or CSV. */
import {cellText, type QueriedList} from '../domain/list-query.js'
import {colors, renderTable, shortDate, shortSha} from './output.js'

function cell(list: QueriedList, i: number, column: string, human: boolean): string {
  const e = list.experiments[i]
  if (!e) return ''
  const text = cellText(e, column, !human)
  if (!human) return text
  if (column === 'date') return shortDate(text)
  if (column === 'commit') return shortSha(text)
  return text
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function renderListAs(list: QueriedList, format: 'text' | 'md' | 'csv'): string {
  const rows = list.experiments.map((_, i) => list.columns.map((c) => cell(list, i, c, format !== 'csv')))
  if (format === 'csv') return [list.columns, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')
  if (format === 'md') {
    const esc = (s: string) => s.replaceAll('|', '\\|')
    return [`| ${list.columns.map(esc).join(' | ')} |`, `|${list.columns.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n')
  }

  if (list.experiments.length === 0) return colors.dim('no experiment matches')
  return renderTable(list.columns, rows.map((r) => r.map((c, j) => (list.columns[j] === 'version' ? colors.bold(c) : c))))
}
