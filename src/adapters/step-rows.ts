/**
 * Step/epoch rows of one run in a result database, in either shape trackers write —
 *   long:  metrics(run_id, metric_name, value, step, epoch)      (seed 004's ExperimentDB)
 *   wide:  a table with a run id column, step/epoch and one column per metric (xetrack's log()).
 * The SQL of `xv plot --run`; SQLite or DuckDB alike through the result store.
 */
import type {ResultStore, Row} from './result-store.js'
import type {ColumnInfo} from './sqlite.js'

const RUN_COLUMNS = ['run_id', 'track_id', 'run', 'run_name']
const X_COLUMNS = ['step', 'epoch', 'iteration', 'iter']

export interface StepShape {
  table: string
  run: string
  /** Columns counting progress (step, epoch, …) present in the table, in preference order. */
  x: string[]
  long?: {name: string; value: string}
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`
const pick = (cols: string[], wanted: string[]) => wanted.find((w) => cols.includes(w))

/** The table holding step rows of METRICS: a long table first, else a wide one with every metric column. */
export function findStepShape(tables: Array<{table: string; columns: ColumnInfo[]}>, metrics: string[]): StepShape | undefined {
  for (const t of tables) {
    const cols = t.columns.map((c) => c.name)
    const run = pick(cols, RUN_COLUMNS)
    if (run && cols.includes('metric_name') && cols.includes('value'))
      return {table: t.table, run, x: X_COLUMNS.filter((c) => cols.includes(c)), long: {name: 'metric_name', value: 'value'}}
  }

  for (const t of tables) {
    const cols = t.columns.map((c) => c.name)
    const run = pick(cols, RUN_COLUMNS)
    const x = X_COLUMNS.filter((c) => cols.includes(c))
    if (run && x.length > 0 && metrics.every((m) => cols.includes(m))) return {table: t.table, run, x}
  }

  return undefined
}

/** Rows `{<x columns>, value}` of METRIC for RUN, in step order. */
export async function stepRows(store: ResultStore, shape: StepShape, metric: string, run: string): Promise<Row[]> {
  const order = shape.x.map(q).join(', ')
  const runIs = `CAST(${q(shape.run)} AS TEXT) = ?`
  if (shape.long)
    return store.rows(
      `SELECT ${[...shape.x.map(q), `${q(shape.long.value)} AS value`].join(', ')} FROM ${q(shape.table)} WHERE ${runIs} AND ${q(shape.long.name)} = ?${order ? ` ORDER BY ${order}` : ''}`,
      [run, metric],
    )
  return store.rows(
    `SELECT ${[...shape.x.map(q), `${q(metric)} AS value`].join(', ')} FROM ${q(shape.table)} WHERE ${runIs} AND ${q(metric)} IS NOT NULL ORDER BY ${order}`,
    [run],
  )
}

/** Up to LIMIT distinct run ids of the table (for the "no such run" message). */
export async function runIds(store: ResultStore, shape: StepShape, limit = 21): Promise<string[]> {
  // Ordered: DuckDB's DISTINCT comes back in any order, and a message must say the same thing each time.
  return (await store.rows(`SELECT DISTINCT CAST(${q(shape.run)} AS TEXT) AS r FROM ${q(shape.table)} ORDER BY r LIMIT ${Math.floor(limit)}`)).map((r) => String(r.r))
}
