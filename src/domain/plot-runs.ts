/**
 * Per-run curves (`xv plot loss --run R`): step/epoch rows of one run in the current result
 * database, in either shape trackers write —
 *   long:  metrics(run_id, metric_name, value, step, epoch)      (seed 004's ExperimentDB)
 *   wide:  a table with a run id column, step/epoch and one column per metric (xetrack's log()).
 * SQLite or DuckDB alike, through the result store.
 */
import {existsSync} from 'node:fs'

import type {ResultStore, Row} from '../adapters/result-store.js'
import type {ColumnInfo} from '../adapters/sqlite.js'
import type {RepoContext} from '../context.js'
import {NotFoundError, UsageError, XvError} from '../errors.js'

const RUN_COLUMNS = ['run_id', 'track_id', 'run', 'run_name']
const X_COLUMNS = ['step', 'epoch', 'iteration', 'iter']

export interface RunCurve {
  metric: string
  points: Array<{x: number; value: number}>
}

export interface RunCurves {
  run: string
  table: string
  /** What the x axis counts: step, epoch, … or `row` (the order rows were written). */
  x: string
  curves: RunCurve[]
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`
const pick = (cols: string[], wanted: string[]) => wanted.find((w) => cols.includes(w))

interface Shape {
  table: string
  run: string
  x: string[]
  long?: {name: string; value: string}
}

function findShape(tables: Array<{table: string; columns: ColumnInfo[]}>, metrics: string[]): Shape | undefined {
  for (const t of tables) {
    const cols = t.columns.map((c) => c.name)
    const run = pick(cols, RUN_COLUMNS)
    const x = X_COLUMNS.filter((c) => cols.includes(c))
    if (run && cols.includes('metric_name') && cols.includes('value')) return {table: t.table, run, x, long: {name: 'metric_name', value: 'value'}}
  }

  for (const t of tables) {
    const cols = t.columns.map((c) => c.name)
    const run = pick(cols, RUN_COLUMNS)
    const x = X_COLUMNS.filter((c) => cols.includes(c))
    if (run && x.length > 0 && metrics.every((m) => cols.includes(m))) return {table: t.table, run, x}
  }

  return undefined
}

function xOf(row: Row, xs: string[], index: number): {x: number; axis: string} {
  for (const c of xs) {
    const v = row[c]
    if (v !== null && v !== undefined && Number.isFinite(Number(v))) return {x: Number(v), axis: c}
  }

  return {x: index, axis: 'row'}
}

export async function readRunCurves(store: ResultStore, metrics: string[], run: string): Promise<RunCurves> {
  const tables = await store.tables()
  const shape = findShape(tables, metrics)
  if (!shape)
    throw new XvError(
      `no table of ${store.label} has step/epoch rows of ${metrics.join(', ')} (a run id column and metric_name/value, or step/epoch and the metric columns)`,
    )
  const runs = await store.rows(`SELECT DISTINCT CAST(${q(shape.run)} AS TEXT) AS r FROM ${q(shape.table)} LIMIT 21`)
  const order = shape.x.map((c) => q(c)).join(', ')
  const curves: RunCurve[] = []
  let axis = 'row'
  for (const metric of metrics) {
    const rows = shape.long
      ? await store.rows(
          `SELECT ${[...shape.x.map(q), `${q(shape.long.value)} AS value`].join(', ')} FROM ${q(shape.table)} WHERE CAST(${q(shape.run)} AS TEXT) = ? AND ${q(shape.long.name)} = ?${order ? ` ORDER BY ${order}` : ''}`,
          [run, metric],
        )
      : await store.rows(
          `SELECT ${[...shape.x.map(q), `${q(metric)} AS value`].join(', ')} FROM ${q(shape.table)} WHERE CAST(${q(shape.run)} AS TEXT) = ? AND ${q(metric)} IS NOT NULL ORDER BY ${order}`,
          [run],
        )
    const points = rows.flatMap((r, i) => {
      const value = Number(r.value)
      if (r.value === null || !Number.isFinite(value)) return []
      const x = xOf(r, shape.x, i)
      axis = x.axis
      return [{x: x.x, value}]
    })
    curves.push({metric, points})
  }

  if (curves.every((c) => c.points.length === 0)) {
    const known = runs.map((r) => String(r.r))
    if (!known.includes(run))
      throw new NotFoundError('run', `no run '${run}' in table '${shape.table}' of ${store.label}; runs: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}`)
    throw new UsageError(`run '${run}' has no rows of ${metrics.join(', ')} in table '${shape.table}' of ${store.label}`)
  }

  return {run, table: shape.table, x: axis, curves}
}

/** Curves of RUN from the configured result database of this worktree. */
export async function runCurves(ctx: RepoContext, metrics: string[], run: string): Promise<RunCurves> {
  if (!existsSync(ctx.dbPath)) throw new NotFoundError('database', `result database ${ctx.config.db} does not exist; per-run curves read it`)
  const {withResultStore} = await import('../adapters/result-store.js')
  return withResultStore(ctx.dbPath, {label: ctx.config.db}, (store) => readRunCurves(store, metrics, run))
}
