/**
 * Per-run curves (`xv plot loss --run R`): step/epoch rows of one run in the current result
 * database (long metric_name/value rows or wide metric columns; the SQL is in adapters/step-rows),
 * SQLite or DuckDB alike, through the result store.
 */
import {existsSync} from 'node:fs'

import type {ResultStore, Row} from '../adapters/result-store.js'
import {findStepShape, runIds, stepRows} from '../adapters/step-rows.js'
import type {RepoContext} from '../context.js'
import {NotFoundError, UsageError, XvError} from '../errors.js'

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

function xOf(row: Row, xs: string[], index: number): {x: number; axis: string} {
  for (const c of xs) {
    const v = row[c]
    if (v !== null && v !== undefined && Number.isFinite(Number(v))) return {x: Number(v), axis: c}
  }

  return {x: index, axis: 'row'}
}

export async function readRunCurves(store: ResultStore, metrics: string[], run: string): Promise<RunCurves> {
  const tables = await store.tables()
  const shape = findStepShape(tables, metrics)
  if (!shape)
    throw new XvError(
      `no table of ${store.label} has step/epoch rows of ${metrics.join(', ')} (a run id column and metric_name/value, or step/epoch and the metric columns)`,
    )
  const curves: RunCurve[] = []
  let axis = 'row'
  for (const metric of metrics) {
    const rows = await stepRows(store, shape, metric, run)
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
    const known = await runIds(store, shape)
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
