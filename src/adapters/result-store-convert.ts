/**
 * A DuckDB result database read through xv's SQLite readers: its tables are streamed (DuckDB
 * chunks → one SQLite transaction) into a temporary SQLite copy that show, diff (incl. --rows) and
 * merge sources open like any other. The DuckDB file is opened read-only and never changed.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Database from 'better-sqlite3'

import {XvError, errorMessage} from '../errors.js'
import {quoteIdentDuck} from './duckdb.js'
import {jsValue, lockMessage} from './result-store-duckdb.js'
import {quoteIdent} from './sqlite.js'

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|BOOLEAN)$/i
const REAL = /^(FLOAT|REAL|DOUBLE|DECIMAL.*|NUMERIC.*)$/i

function sqliteType(duckType: string): {type: string; cast: string} {
  if (INTEGER.test(duckType)) return {type: 'INTEGER', cast: /HUGEINT|UBIGINT/i.test(duckType) ? 'DOUBLE' : 'BIGINT'}
  if (REAL.test(duckType)) return {type: 'REAL', cast: 'DOUBLE'}
  if (/^BLOB$/i.test(duckType)) return {type: 'BLOB', cast: 'BLOB'}
  return {type: duckType === 'VARCHAR' ? 'TEXT' : `TEXT /* ${duckType.replaceAll('*/', '')} */`, cast: 'VARCHAR'}
}

export interface SqliteCopy {
  file: string
  cleanup: () => void
}

/** Copies every table of the DuckDB file DUCK into a temporary SQLite file. */
export async function duckToSqliteCopy(duck: string, label: string): Promise<SqliteCopy> {
  const {DuckDBInstance} = await import('@duckdb/node-api')
  let instance: Awaited<ReturnType<typeof DuckDBInstance.create>>
  try {
    instance = await DuckDBInstance.create(duck, {access_mode: 'READ_ONLY', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false'})
  } catch (error) {
    throw new XvError(lockMessage(label, error) ?? `cannot open ${label}: ${errorMessage(error).split('\n')[0]}`)
  }

  const conn = await instance.connect()
  const dir = mkdtempSync(join(tmpdir(), 'xv-duck-'))
  const file = join(dir, 'copy.sqlite')
  const out = new Database(file)
  const cleanup = () => rmSync(dir, {recursive: true, force: true})
  try {
    out.pragma('journal_mode = OFF')
    out.pragma('synchronous = OFF')
    const cols = (
      await conn.runAndReadAll(
        "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY table_name, ordinal_position",
      )
    ).getRows() as Array<[string, string, string]>
    const tables = new Map<string, Array<{name: string; duck: string}>>()
    for (const [t, c, ty] of cols) tables.set(t, [...(tables.get(t) ?? []), {name: c, duck: ty}])
    for (const [table, columns] of tables) {
      const mapped = columns.map((c) => ({...c, ...sqliteType(c.duck)}))
      out.exec(`CREATE TABLE ${quoteIdent(table)} (${mapped.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`)
      const insert = out.prepare(`INSERT INTO ${quoteIdent(table)} VALUES (${mapped.map(() => '?').join(', ')})`)
      const select = mapped.map((c) => `CAST(${quoteIdentDuck(c.name)} AS ${c.cast})`).join(', ')
      const result = await conn.stream(`SELECT ${select} FROM ${quoteIdentDuck(table)}`)
      const write = out.transaction((rows: unknown[][]) => {
        for (const r of rows) insert.run(...r.map((v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v) : v === null || typeof v !== 'object' ? v : Buffer.isBuffer(v) ? v : jsValue(v))))
      })
      for (;;) {
        const chunk = await result.fetchChunk()
        if (!chunk || chunk.rowCount === 0) break
        write(chunk.getRows())
      }
    }

    out.close()
    return {file, cleanup}
  } catch (error) {
    out.close()
    cleanup()
    if (error instanceof XvError) throw error
    throw new XvError(`cannot read ${label} (DuckDB): ${errorMessage(error).split('\n')[0]}`)
  } finally {
    conn.closeSync()
    instance.closeSync()
  }
}
