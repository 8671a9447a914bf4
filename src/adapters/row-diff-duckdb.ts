/**
 * The SQL of `xv diff --rows` when both sides are DuckDB files: both attached read-only (`a`, `b`)
 * to an in-memory DuckDB, the comparison done inside DuckDB (hash joins / one grouping pass);
 * only counts and a few example rows reach JavaScript. The rules (key choice, what counts as
 * changed) are domain/row-diff.ts's; the files are never changed.
 */
import {XvError, errorMessage} from '../errors.js'
import {NO_EXTENSIONS, duckApi, quoteIdentDuck as q, sqlString} from './duckdb.js'
import {catalogColumnsSql, columnsByTable} from './duckdb-schema.js'
import {jsValue, lockMessage} from './result-store-duckdb.js'
import type {ColumnInfo} from './sqlite.js'

type Row = Record<string, unknown>

export interface DuckRowDiffSession {
  tables(): Promise<string[]>
  columns(side: 'a' | 'b', table: string): Promise<ColumnInfo[]>
  count(side: 'a' | 'b', table: string): Promise<number>
  /** Rows by KEY: counts (FULL OUTER JOIN, one pass) and examples; changed rows carry k<i>, a<i>, b<i>. */
  keyed(table: string, key: string[], rest: string[], examples: number): Promise<{added: number; removed: number; changed: number; examples: {added: Row[]; removed: Row[]; changed: Row[]}}>
  /** Whole rows as multisets: rows whose net count differs. */
  wholeRows(table: string, common: string[], examples: number): Promise<{added: number; removed: number; examples: {added: Row[]; removed: Row[]}}>
}

export async function withDuckRowDiff<T>(files: {a: string; b: string}, labels: {a: string; b: string}, fn: (s: DuckRowDiffSession) => Promise<T>): Promise<T> {
  const instance = await duckApi().DuckDBInstance.create(':memory:', NO_EXTENSIONS)
  const conn = await instance.connect()
  const rows = async (sql: string, params: unknown[] = []): Promise<Row[]> =>
    (params.length > 0 ? await conn.runAndReadAll(sql, params as never) : await conn.runAndReadAll(sql)).getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, jsValue(v)])))
  try {
    for (const side of ['a', 'b'] as const) {
      try {
        await conn.run(`ATTACH ${sqlString(files[side])} AS ${side} (READ_ONLY)`)
      } catch (error) {
        throw new XvError(lockMessage(labels[side], error) ?? `cannot open ${labels[side]}: ${errorMessage(error).split('\n')[0] ?? ''}`)
      }
    }

    return await fn(session(rows))
  } catch (error) {
    if (error instanceof XvError) throw error
    throw new XvError(`row diff in DuckDB failed: ${errorMessage(error).split('\n')[0] ?? ''}`)
  } finally {
    conn.closeSync()
    instance.closeSync()
  }
}

const T = (side: 'a' | 'b', table: string) => `${side}.main.${q(table)}`
const n = (r: Row | undefined, k: string) => Number(r?.[k] ?? 0)
const limit = (examples: number) => Math.max(0, Math.trunc(examples))

function session(rows: (sql: string, params?: unknown[]) => Promise<Row[]>): DuckRowDiffSession {
  return {
    async tables() {
      const found = await rows("SELECT DISTINCT table_name AS t FROM information_schema.tables WHERE table_catalog IN ('a', 'b') AND table_schema = 'main' ORDER BY 1")
      return found.map((r) => String(r.t))
    },
    async columns(side, table) {
      return columnsByTable(await rows(catalogColumnsSql(false, true), [side])).get(table) ?? []
    },
    async count(side, table) {
      return n((await rows(`SELECT count(*) AS n FROM ${T(side, table)}`))[0], 'n')
    },
    async keyed(table, key, rest, examples) {
      const on = key.map((k) => `x.${q(k)} = y.${q(k)}`).join(' AND ')
      const differs = rest.length === 0 ? 'false' : rest.map((c) => `x.${q(c)} IS DISTINCT FROM y.${q(c)}`).join(' OR ')
      // Examples in key order: DuckDB scans in parallel, and the same diff must show the same rows each time.
      const byKey = key.map((k) => `x.${q(k)}`).join(', ')
      const [counts] = await rows(`SELECT count(*) FILTER (WHERE x.xv_a IS NULL) AS added, count(*) FILTER (WHERE y.xv_b IS NULL) AS removed,
          count(*) FILTER (WHERE x.xv_a AND y.xv_b AND (${differs})) AS changed
        FROM (SELECT *, true AS xv_a FROM ${T('a', table)}) AS x FULL OUTER JOIN (SELECT *, true AS xv_b FROM ${T('b', table)}) AS y ON ${on}`)
      const only = (from: 'a' | 'b', other: 'a' | 'b') =>
        rows(`SELECT x.* FROM ${T(from, table)} AS x WHERE NOT EXISTS (SELECT 1 FROM ${T(other, table)} AS y WHERE ${on}) ORDER BY ${byKey} LIMIT ${limit(examples)}`)
      const sel = [...key.map((k, i) => `x.${q(k)} AS k${i}`), ...rest.flatMap((c, i) => [`x.${q(c)} AS a${i}`, `y.${q(c)} AS b${i}`])].join(', ')
      const changed = await rows(`SELECT ${sel} FROM ${T('a', table)} AS x JOIN ${T('b', table)} AS y ON ${on} WHERE ${differs} ORDER BY ${byKey} LIMIT ${limit(examples)}`)
      return {
        added: n(counts, 'added'),
        removed: n(counts, 'removed'),
        changed: n(counts, 'changed'),
        examples: {added: await only('b', 'a'), removed: await only('a', 'b'), changed},
      }
    },
    async wholeRows(table, common, examples) {
      const cols = common.map((c) => q(c)).join(', ')
      await rows(`CREATE OR REPLACE TEMP TABLE xv_delta AS SELECT ${cols}, sum(xv_s) AS xv_net FROM (
          SELECT ${cols}, -1 AS xv_s FROM ${T('a', table)} UNION ALL SELECT ${cols}, 1 AS xv_s FROM ${T('b', table)}
        ) GROUP BY ALL HAVING sum(xv_s) <> 0`)
      const [sums] = await rows('SELECT coalesce(sum(xv_net) FILTER (WHERE xv_net > 0), 0) AS added, coalesce(-sum(xv_net) FILTER (WHERE xv_net < 0), 0) AS removed FROM xv_delta')
      const ex = (cond: string) => rows(`SELECT ${cols} FROM xv_delta WHERE ${cond} ORDER BY ALL LIMIT ${limit(examples)}`)
      return {added: n(sums, 'added'), removed: n(sums, 'removed'), examples: {added: await ex('xv_net > 0'), removed: await ex('xv_net < 0')}}
    },
  }
}
