/**
 * Listing controls for `xv list` (dvc exp show as the anchor): filters (`--where 'f1>0.8'`,
 * `--where model=cnn`), sorting by any column (best first by the metric's direction, or
 * --asc/--desc), and the columns shown (`--columns a,b`, `--drop a,b`; `*` globs). Pure logic over
 * the list data; rendering to text/Markdown/CSV lives in src/render/list-formats.ts.
 */
import type {MetricSpec} from '../config.js'
import {UsageError} from '../errors.js'
import type {ExperimentEntry, ExperimentList} from './experiments.js'
import {directionOf} from './results.js'
import {formatNumber} from './tag-message.js'

export type Op = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~'

export interface Condition {
  column: string
  op: Op
  value: string
}

export interface ListQuery {
  where?: string[]
  sort?: string
  order?: 'asc' | 'desc'
  limit?: number
  columns?: string[]
  drop?: string[]
}

const BUILT_IN = ['version', 'date', 'commit', 'tagger', 'rows', 'stages', 'description'] as const
const CONDITION = /^\s*([A-Za-z_][\w.\-/]*)\s*(>=|<=|!=|==|=|>|<|~)\s*(.*?)\s*$/

export function parseCondition(text: string): Condition {
  const m = CONDITION.exec(text)
  const [, column, opText, rawValue] = m ?? []
  if (!column || !opText || rawValue === undefined || rawValue === '' || /^[<>=!~]/.test(rawValue))
    throw new UsageError(`cannot read --where '${text}': write COLUMN OP VALUE with OP one of = != > >= < <= ~ (e.g. 'f1>0.8', model=cnn)`)
  const op = (opText === '==' ? '=' : opText) as Op
  return {column, op, value: rawValue.replace(/^(['"])(.*)\1$/, '$2')}
}

/** Every column a list has: built-ins, then metrics, then tag fields (first seen order). */
export function listColumns(list: ExperimentList): string[] {
  const names = new Set<string>([...BUILT_IN, ...list.metricColumns])
  for (const e of list.experiments) for (const k in e.metrics) names.add(k)
  for (const e of list.experiments) for (const k in e.fields) names.add(k)
  return [...names]
}

/** The value of a column for an entry: the database metric, else the tag field, else the built-in. */
export function valueOf(e: ExperimentEntry, column: string): string | number | undefined {
  if (column in e.metrics) return e.metrics[column]
  if (column in e.fields) {
    const text = e.fields[column] ?? ''
    const n = text.trim() === '' ? Number.NaN : Number(text)
    return Number.isFinite(n) ? n : text
  }

  switch (column) {
    case 'version':
    case 'date':
    case 'commit':
    case 'tagger':
      return e[column]
    case 'rows':
      return e.rows
    case 'stages':
      return e.stages.length > 0 ? e.stages.join(',') : undefined
    case 'description':
      return e.description
    default:
      return undefined
  }
}

function matches(e: ExperimentEntry, c: Condition): boolean {
  const v = valueOf(e, c.column)
  if (v === undefined) return false
  if (c.op === '~') return String(v).toLowerCase().includes(c.value.toLowerCase())
  const want = Number(c.value)
  const numeric = typeof v === 'number' && c.value.trim() !== '' && Number.isFinite(want)
  const cmp = typeof v === 'number' && numeric ? v - want : String(v).localeCompare(c.value)
  switch (c.op) {
    case '=':
      return numeric ? Math.abs(cmp) <= 1e-12 * Math.max(1, Math.abs(want)) : String(v) === c.value
    case '!=':
      return numeric ? Math.abs(cmp) > 1e-12 * Math.max(1, Math.abs(want)) : String(v) !== c.value
    case '>':
      return cmp > 0
    case '>=':
      return cmp >= 0
    case '<':
      return cmp < 0
    default:
      return cmp <= 0
  }
}

function checkColumn(name: string, known: string[], what: string): void {
  if (known.includes(name)) return
  const data = known.filter((k) => !(BUILT_IN as readonly string[]).includes(k))
  const kind = what === 'sort by' ? 'metric' : 'column'
  throw new UsageError(`cannot ${what} '${name}': no such ${kind}; metrics: ${data.join(', ') || '(none)'}; also: ${BUILT_IN.join(', ')}`)
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replaceAll(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`)
}

/** Columns shown by default (as `xv list` prints them): built-ins, metrics, six fields, description. */
export function defaultColumns(list: ExperimentList): string[] {
  const fields = new Set<string>()
  for (const e of list.experiments) for (const k in e.fields) fields.add(k)
  for (const m of list.metricColumns) fields.delete(m)
  const stages = list.experiments.some((e) => e.stages.length > 0) ? ['stages'] : []
  return ['version', 'date', 'commit', ...stages, ...list.metricColumns, ...[...fields].slice(0, 6), 'description']
}

export interface QueriedList extends ExperimentList {
  /** The columns to show, in order. */
  columns: string[]
}

/** Applies --where, --sort/--asc/--desc, --limit and --columns/--drop to the list data. */
export function applyListQuery(list: ExperimentList, q: ListQuery, metrics: MetricSpec[] = []): QueriedList {
  const known = listColumns(list)
  const conditions = (q.where ?? []).map(parseCondition)
  for (const c of conditions) checkColumn(c.column, known, 'filter on')
  let rows = list.experiments.filter((e) => conditions.every((c) => matches(e, c)))
  if (q.sort) {
    checkColumn(q.sort, known, 'sort by')
    const name = q.sort
    const isMetric = list.metricColumns.includes(name) || list.experiments.some((e) => typeof valueOf(e, name) === 'number')
    const order = q.order ?? (isMetric ? (directionOf(name, metrics) === 'lower' ? 'asc' : 'desc') : 'asc')
    const sign = order === 'asc' ? 1 : -1
    rows = rows
      .map((e, i) => ({e, i, v: valueOf(e, name)}))
      .sort((a, b) => {
        if (a.v === undefined || b.v === undefined) return a.v === b.v ? a.i - b.i : a.v === undefined ? 1 : -1
        const d = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v), undefined, {numeric: true})
        return d === 0 ? a.i - b.i : sign * d
      })
      .map((x) => x.e)
  }

  if (q.limit !== undefined) rows = rows.slice(0, q.limit)
  let columns = defaultColumns(list)
  if (q.columns && q.columns.length > 0) {
    columns = q.columns.flatMap((c) => {
      if (c.includes('*')) return known.filter((k) => glob(c).test(k))
      checkColumn(c, known, 'show column')
      return [c]
    })
    if (!columns.includes('version')) columns.unshift('version')
  }

  if (q.drop && q.drop.length > 0) {
    const drops = q.drop.map(glob)
    columns = columns.filter((c) => c === 'version' || !drops.some((d) => d.test(c)))
  }

  return {...list, experiments: rows, columns: [...new Set(columns)]}
}

/** The cell text of a column (database numbers as in tag messages — 4 decimals, small ones in exponent form — unless raw). */
export function cellText(e: ExperimentEntry, column: string, raw = false): string {
  const v = valueOf(e, column)
  if (v === undefined) return ''
  if (typeof v !== 'number') return v
  if (column in e.metrics) return raw ? String(v) : formatNumber(v)
  return e.fields[column] ?? String(v)
}
