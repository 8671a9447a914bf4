/**
 * The row-level diff of `xv diff --rows`: one table compared between two databases attached to one
 * connection (main = A, other = B), computed inside SQLite; only a few example rows reach JavaScript.
 */
import {listColumnsIn, listTables, quoteIdent, type ColumnInfo, type Db} from '../adapters/sqlite.js'
import {withDuckRowDiff} from '../adapters/row-diff-duckdb.js'
import {XvError} from '../errors.js'

/** Equal, numbers within a relative 1e-12. */
export function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b))
  return a === b
}

export interface RowExample {
  values: Record<string, unknown>
  /** For changed rows: the columns that differ, with both values. */
  changes?: Record<string, {a: unknown; b: unknown}>
}

export interface RowDiff {
  table: string
  key: string[]
  keySource: 'flag' | 'primary key' | 'whole rows'
  rowsA: number
  rowsB: number
  added: number
  removed: number
  changed: number
  columnsAdded: string[]
  columnsRemoved: string[]
  examples: {added: RowExample[]; removed: RowExample[]; changed: RowExample[]}
}

// Row-level diff inside SQLite

const q = quoteIdent

/** TABLE in SCHEMA (main = A, other = B). */
function tableIn(schema: 'main' | 'other', table: string): string {
  return `${schema}.${q(table)}`
}

function count(db: Db, sql: string): number {
  return (db.prepare(sql).get() as {n: number}).n
}

/** `x.c IS y.c AND …` over COLS (NULLs compare equal); true without columns. */
function sameAll(cols: string[]): string {
  return cols.length === 0 ? '1' : cols.map((c) => `x.${q(c)} IS y.${q(c)}`).join(' AND ')
}

function list(alias: string, cols: string[]): string {
  return cols.map((c) => `${alias}.${q(c)}`).join(', ')
}

function rowsOf(rows: unknown[]): Array<Record<string, unknown>> {
  return rows as Array<Record<string, unknown>>
}

export interface TableColumns {
  colsA: ColumnInfo[]
  colsB: ColumnInfo[]
  namesA: Set<string>
  namesB: Set<string>
  /** Columns on both sides, in A's order. */
  common: string[]
}

/** TABLE's columns on both sides; an error naming the side that lacks the table. */
function tableColumns(db: Db, table: string, labels: {a: string; b: string}): TableColumns {
  return bothSides(table, listColumnsIn(db, 'main', table), listColumnsIn(db, 'other', table), labels, () => listTables(db))
}

/** TABLE's columns on both sides (either engine); TABLES lists what exists, for the error when neither has it. */
export function bothSides(table: string, colsA: ColumnInfo[], colsB: ColumnInfo[], labels: {a: string; b: string}, tables: () => string[]): TableColumns {
  if (colsA.length === 0 && colsB.length === 0)
    throw new XvError(`table '${table}' not found in ${labels.a} or ${labels.b}; tables: ${[...new Set(tables())].join(', ') || '(none)'}`)

  if (colsA.length === 0) throw new XvError(`table '${table}' does not exist in ${labels.a}; only in ${labels.b}`)
  if (colsB.length === 0) throw new XvError(`table '${table}' does not exist in ${labels.b}; only in ${labels.a}`)
  const namesB = new Set(colsB.map((c) => c.name))
  const namesA = new Set(colsA.map((c) => c.name))
  return {colsA, colsB, namesA, namesB, common: colsA.map((c) => c.name).filter((n) => namesB.has(n))}
}

/** The key rows are matched by: the one asked for (checked on both sides), else a primary key both sides share, else none. */
export function chooseKey(table: string, wanted: string[] | undefined, c: TableColumns, labels: {a: string; b: string}): Pick<RowDiff, 'key' | 'keySource'> {
  if (wanted && wanted.length > 0) {
    for (const k of wanted) {
      if (!c.namesA.has(k) || !c.namesB.has(k))
        throw new XvError(`key column '${k}' not found in table '${table}' of ${!c.namesA.has(k) ? labels.a : labels.b}; columns: ${(!c.namesA.has(k) ? c.colsA : c.colsB).map((x) => x.name).join(', ')}`)
    }

    return {key: wanted, keySource: 'flag'}
  }

  const pk = (cols: ColumnInfo[]) => cols.filter((x) => x.pk > 0).sort((x, y) => x.pk - y.pk).map((x) => x.name)
  const pa = pk(c.colsA)
  return pa.length > 0 && pa.join('\0') === pk(c.colsB).join('\0') ? {key: pa, keySource: 'primary key'} : {key: [], keySource: 'whole rows'}
}

/**
 * By key: added / removed by key, changed = same key, some other common column differs (`IS NOT`,
 * so NULLs compare); RESULT's counts and examples are filled. The anti-joins are LEFT JOINs, not
 * `NOT EXISTS`: SQLite runs a correlated NOT EXISTS as a nested scan when the key has no index
 * (quadratic: hours at 1M rows), while a join on an unindexed key gets an automatic index built
 * once per statement in the temp store (the user's file is only read), and an index the key has is used as is.
 * Examples come in row order (rowid), whichever plan found them.
 */
function keyedDiff(db: Db, table: string, common: string[], examples: number, result: RowDiff): void {
  const {key} = result
  const [A, B] = [tableIn('main', table), tableIn('other', table)]
  const on = key.map((k) => `x.${q(k)} = y.${q(k)}`).join(' AND ')
  const rest = common.filter((c) => !key.includes(c))
  // No partner: its key column is NULL in the LEFT JOIN (a partner's is not, `=` never matches NULL).
  const k0 = q(key[0] ?? '')
  db.exec(`CREATE TEMP TABLE xv_added AS SELECT y.rowid AS r FROM ${B} AS y LEFT JOIN ${A} AS x ON ${on} WHERE x.${k0} IS NULL`)
  db.exec(`CREATE TEMP TABLE xv_removed AS SELECT x.rowid AS r FROM ${A} AS x LEFT JOIN ${B} AS y ON ${on} WHERE y.${k0} IS NULL`)
  db.exec(`CREATE TEMP TABLE xv_changed AS SELECT x.rowid AS ra, y.rowid AS rb FROM ${A} AS x JOIN ${B} AS y ON ${on} WHERE NOT (${sameAll(rest)})`)
  result.added = count(db, 'SELECT count(*) AS n FROM temp.xv_added')
  result.removed = count(db, 'SELECT count(*) AS n FROM temp.xv_removed')
  result.changed = count(db, 'SELECT count(*) AS n FROM temp.xv_changed')
  result.examples.added = rowsOf(db.prepare(`SELECT y.* FROM temp.xv_added AS d JOIN ${B} AS y ON y.rowid = d.r ORDER BY d.r LIMIT ?`).all(examples)).map((values) => ({values}))
  result.examples.removed = rowsOf(db.prepare(`SELECT x.* FROM temp.xv_removed AS d JOIN ${A} AS x ON x.rowid = d.r ORDER BY d.r LIMIT ?`).all(examples)).map((values) => ({values}))
  const sel = [...key.map((k, i) => `x.${q(k)} AS k${i}`), ...rest.flatMap((c, i) => [`x.${q(c)} AS a${i}`, `y.${q(c)} AS b${i}`])].join(', ')
  const changed = rowsOf(db.prepare(`SELECT ${sel} FROM temp.xv_changed AS d JOIN ${A} AS x ON x.rowid = d.ra JOIN ${B} AS y ON y.rowid = d.rb ORDER BY d.ra, d.rb LIMIT ?`).all(examples))
  result.examples.changed = changed.map((r) => changedExample(r, key, rest))
}

/** The changed-row example of a keyed diff (row with k<i>, a<i>, b<i>): key values, and each differing column with both values. */
export function changedExample(r: Record<string, unknown>, key: string[], rest: string[]): RowExample {
  const values: Record<string, unknown> = {}
  key.forEach((k, i) => (values[k] = r[`k${i}`]))
  const changes: Record<string, {a: unknown; b: unknown}> = {}
  rest.forEach((c, i) => {
    if (!same(r[`a${i}`], r[`b${i}`])) changes[c] = {a: r[`a${i}`], b: r[`b${i}`]}
  })
  return {values, changes}
}

/**
 * Whole rows as multisets. Rows at the same rowid with the same content are equal on both sides
 * (one merge-join pass over the two rowid b-trees); only the rest (residuals: rows whose rowid
 * partner is missing or different) is grouped. RESULT's counts and examples are filled.
 */
function wholeRowDiff(db: Db, table: string, common: string[], examples: number, result: RowDiff): void {
  const [A, B] = [tableIn('main', table), tableIn('other', table)]
  db.exec(`CREATE TEMP TABLE xv_removed AS SELECT x.rowid AS r FROM ${A} AS x LEFT JOIN ${B} AS y ON y.rowid = x.rowid WHERE y.rowid IS NULL OR NOT (${sameAll(common)})`)
  // B's residual: rowids A lacks (a rowid-only probe, no column compared) plus the differing ones.
  db.exec(`CREATE TEMP TABLE xv_added AS
      SELECT y.rowid AS r FROM ${B} AS y WHERE y.rowid NOT IN (SELECT rowid FROM ${A})
      UNION ALL
      SELECT d.r FROM temp.xv_removed AS d JOIN ${B} AS y ON y.rowid = d.r`)
  const cols = common.map((c) => q(c)).join(', ')
  db.exec(`CREATE TEMP TABLE xv_delta AS SELECT ${cols}, sum(s) AS xv_net FROM (
      SELECT ${list('x', common)}, -1 AS s FROM temp.xv_removed AS d JOIN ${A} AS x ON x.rowid = d.r
      UNION ALL
      SELECT ${list('y', common)}, 1 AS s FROM temp.xv_added AS d JOIN ${B} AS y ON y.rowid = d.r
    ) GROUP BY ${cols} HAVING sum(s) <> 0`)
  const sums = db.prepare('SELECT coalesce(sum(CASE WHEN xv_net > 0 THEN xv_net END), 0) AS added, coalesce(-sum(CASE WHEN xv_net < 0 THEN xv_net END), 0) AS removed FROM temp.xv_delta').get() as {added: number; removed: number}
  result.added = sums.added
  result.removed = sums.removed
  const ex = (cond: string) => rowsOf(db.prepare(`SELECT ${cols} FROM temp.xv_delta WHERE ${cond} LIMIT ?`).all(examples)).map((values) => ({values}))
  result.examples.added = ex('xv_net > 0')
  result.examples.removed = ex('xv_net < 0')
}

/**
 * Row-level diff of `table` between main (A) and `other` (B) on one connection: by key when one is
 * given or both sides share a primary key (keyedDiff), else whole rows as multisets (wholeRowDiff).
 */
export function rowDiffSql(db: Db, table: string, wantedKey: string[] | undefined, examples: number, labels: {a: string; b: string}): RowDiff {
  const columns = tableColumns(db, table, labels)
  const {key, keySource} = chooseKey(table, wantedKey, columns, labels)
  db.exec('DROP TABLE IF EXISTS temp.xv_added; DROP TABLE IF EXISTS temp.xv_removed; DROP TABLE IF EXISTS temp.xv_changed; DROP TABLE IF EXISTS temp.xv_delta')
  const result: RowDiff = {
    table, key, keySource,
    rowsA: count(db, `SELECT count(*) AS n FROM ${tableIn('main', table)}`),
    rowsB: count(db, `SELECT count(*) AS n FROM ${tableIn('other', table)}`),
    added: 0, removed: 0, changed: 0,
    columnsAdded: columns.colsB.map((c) => c.name).filter((n) => !columns.namesA.has(n)),
    columnsRemoved: columns.colsA.map((c) => c.name).filter((n) => !columns.namesB.has(n)),
    examples: {added: [], removed: [], changed: []},
  }
  if (key.length > 0) keyedDiff(db, table, columns.common, examples, result)
  else wholeRowDiff(db, table, columns.common, examples, result)
  return result
}

/** The same row diff when both sides are DuckDB files: computed inside DuckDB (adapters/row-diff-duckdb.ts). */
export async function rowDiffDuck(files: {a: string; b: string}, table: string, wantedKey: string[] | undefined, examples: number, labels: {a: string; b: string}): Promise<RowDiff> {
  return withDuckRowDiff(files, labels, async (s) => {
    const tables = await s.tables()
    const columns = bothSides(table, await s.columns('a', table), await s.columns('b', table), labels, () => tables)
    const {key, keySource} = chooseKey(table, wantedKey, columns, labels)
    const base = {
      table, key, keySource, rowsA: await s.count('a', table), rowsB: await s.count('b', table),
      columnsAdded: columns.colsB.map((c) => c.name).filter((n) => !columns.namesA.has(n)),
      columnsRemoved: columns.colsA.map((c) => c.name).filter((n) => !columns.namesB.has(n)),
    }
    const values = (rows: Array<Record<string, unknown>>) => rows.map((v) => ({values: v}))
    if (key.length > 0) {
      const rest = columns.common.filter((c) => !key.includes(c))
      const d = await s.keyed(table, key, rest, examples)
      return {...base, added: d.added, removed: d.removed, changed: d.changed, examples: {added: values(d.examples.added), removed: values(d.examples.removed), changed: d.examples.changed.map((r) => changedExample(r, key, rest))}}
    }

    const d = await s.wholeRows(table, columns.common, examples)
    return {...base, added: d.added, removed: d.removed, changed: 0, examples: {added: values(d.examples.added), removed: values(d.examples.removed), changed: []}}
  })
}

// ---------------------------------------------------------------------------------------------
