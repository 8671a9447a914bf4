/**
 * The DuckDB result store (`@duckdb/node-api`, loaded only when a DuckDB file is met). Extensions are
 * never installed or loaded. DuckDB lets one process write a file: when another holds it, the
 * error is one line naming the holder.
 */
import type {DuckDBConnection, DuckDBInstance} from '@duckdb/node-api'

import {XvError, errorMessage} from '../errors.js'
import {NO_EXTENSIONS, duckApi, quoteIdentDuck} from './duckdb.js'
import {catalogColumnsSql, columnsByTable} from './duckdb-schema.js'
import type {ResultStore, Row} from './result-store.js'
import {versionSummaryOf} from './sqlite.js'

const NUMERIC = /INT|REAL|FLOA|DOUB|NUM|DEC|BOOL/i

/** One line for DuckDB's lock error: who holds the file. */
export function lockMessage(label: string, error: unknown): string | undefined {
  const text = errorMessage(error)
  if (!/Could not set lock|Conflicting lock/i.test(text)) return undefined
  const holder = /Conflicting lock is held in (.+?) \(PID (\d+)\)/.exec(text)
  const who = holder ? `${holder[1]} (PID ${holder[2]})` : 'another process'
  return `${label} is open in ${who}; DuckDB allows one writing process — close it (or wait for it to finish) and try again`
}

export function jsValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()
  if (v instanceof Date) return v.toISOString()
  // DuckDB's value classes (decimal, interval, uuid, …) print themselves through their own toString.
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return (v as {toString(): string}).toString()
  return v
}

/** A DuckDB file opened (extensions off) with one connection; a held file fails with one line naming the holder. */
export async function openDuckFile(path: string, label: string, write: boolean): Promise<{instance: DuckDBInstance; conn: DuckDBConnection}> {
  let instance: DuckDBInstance
  try {
    instance = await duckApi().DuckDBInstance.create(path, {access_mode: write ? 'READ_WRITE' : 'READ_ONLY', ...NO_EXTENSIONS})
  } catch (error) {
    throw new XvError(lockMessage(label, error) ?? `cannot open ${label}: ${errorMessage(error).split('\n')[0] ?? ''}`)
  }

  return {instance, conn: await instance.connect()}
}

export async function openDuckStore(path: string, label: string, write: boolean): Promise<ResultStore> {
  const {instance, conn} = await openDuckFile(path, label, write)
  const rows = async (sql: string, params: unknown[] = []): Promise<Row[]> => {
    try {
      const reader = params.length > 0 ? await conn.runAndReadAll(sql, params as never) : await conn.runAndReadAll(sql)
      return reader.getRowObjectsJS().map((r) => {
        const out: Row = {}
        for (const [k, v] of Object.entries(r)) out[k] = jsValue(v)
        return out
      })
    } catch (error) {
      throw new XvError(`DuckDB query on ${label} failed: ${errorMessage(error).split('\n')[0]}`)
    }
  }

  return {
    kind: 'duckdb',
    label,
    async tables() {
      return [...columnsByTable(await rows(catalogColumnsSql(true, true)))].map(([table, columns]) => ({table, columns}))
    },
    rows,
    async summariseVersions(table, versionColumn, columns, only) {
      const q = quoteIdentDuck
      const cols = columns.filter((c) => c.name !== versionColumn)
      const parts = [`CAST(${q(versionColumn)} AS VARCHAR) AS v`, 'count(*) AS n']
      cols.forEach((c, i) => {
        if (NUMERIC.test(c.type)) parts.push(`avg(TRY_CAST(${q(c.name)} AS DOUBLE)) AS m${i}`)
        else parts.push(`CASE WHEN count(DISTINCT ${q(c.name)}) = 1 THEN CAST(min(${q(c.name)}) AS VARCHAR) END AS s${i}`)
      })
      const where = only && only.length > 0 ? `WHERE CAST(${q(versionColumn)} AS VARCHAR) IN (${only.map(() => '?').join(',')})` : ''
      const result = await rows(`SELECT ${parts.join(', ')} FROM ${q(table)} ${where} GROUP BY 1 ORDER BY 1`, only ?? [])
      return result.filter((r) => Number(r.n) > 0).map((r) => versionSummaryOf(r, cols))
    },
    async close() {
      if (write) await conn.run('CHECKPOINT').catch(() => undefined)
      conn.closeSync()
      instance.closeSync()
    },
  }
}
