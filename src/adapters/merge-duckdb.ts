/**
 * A DuckDB merge target (`@duckdb/node-api`; extensions never installed or loaded). The target is
 * opened for writing only when no other process holds it (one line naming the holder otherwise);
 * DuckDB sources are attached read-only, SQLite sources are streamed into an in-memory DuckDB
 * database attached under the source's schema name. Every change runs in one DuckDB transaction;
 * closing checkpoints the file, so no `.wal` is left next to it.
 */
import {copyFileSync} from 'node:fs'
import type {DuckDBConnection, DuckDBInstance} from '@duckdb/node-api'

import {XvError, errorMessage} from '../errors.js'
import {quoteIdentDuck as q, sqlString} from './duckdb.js'
import {catalogColumnsSql, columnsByTable} from './duckdb-schema.js'
import type {MergeDb} from './merge-db.js'
import {isDuckDbFile} from './result-store.js'
import {lockMessage, openDuckFile} from './result-store-duckdb.js'
import type {ColumnInfo, KeyedWin} from './sqlite.js'
import {streamSqliteInto} from './sqlite-to-duckdb.js'

const firstLine = (error: unknown) => errorMessage(error).split('\n')[0] ?? ''

const list = (names: string[], alias = '') => names.map((n) => `${alias}${q(n)}`).join(', ')

const STAGE = (a: string) => `(CASE ${a}."status" WHEN 'pending' THEN 0 WHEN 'running' THEN 1 ELSE 2 END)`

export async function openDuckMergeDb(path: string, label: string): Promise<MergeDb> {
  const {instance, conn} = await openDuckFile(path, label, true)
  const [row] = (await conn.runAndReadAll('SELECT current_database() AS d')).getRows()
  const target = typeof row?.[0] === 'string' ? row[0] : 'main'
  return new DuckMergeDb(path, instance, conn, target)
}

class DuckMergeDb implements MergeDb {
  readonly kind = 'duckdb'
  private open = false

  constructor(
    private readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    /** The target's catalog name (DuckDB names it after the file). */
    private readonly target: string,
  ) {}

  /** Runs a statement; the number of rows it changed. */
  private async run(sql: string, params: unknown[] = []): Promise<number> {
    try {
      // Without values the statement is run directly: a prepared INSERT … SELECT is several times slower.
      return (params.length > 0 ? await this.conn.run(sql, params as never) : await this.conn.run(sql)).rowsChanged
    } catch (error) {
      throw new Error(firstLine(error))
    }
  }

  private async rows(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
    return (params.length > 0 ? await this.conn.runAndReadAll(sql, params as never) : await this.conn.runAndReadAll(sql)).getRowObjectsJS()
  }

  private catalog(schema: string): string {
    return schema === 'main' ? this.target : schema
  }

  /** A table of the target (`main`) or of an attached source, fully qualified. */
  private T(schema: string, table: string): string {
    return `${q(this.catalog(schema))}.main.${q(table)}`
  }

  async attach(file: string, schema: string, sourceLabel: string): Promise<void> {
    try {
      if (isDuckDbFile(file)) {
        await this.conn.run(`ATTACH ${sqlString(file)} AS ${q(schema)} (READ_ONLY)`)
      } else {
        await this.conn.run(`ATTACH ':memory:' AS ${q(schema)}`)
        await streamSqliteInto(this.conn, file, schema)
      }
    } catch (error) {
      throw new XvError(lockMessage(sourceLabel, error) ?? `cannot read ${sourceLabel}: ${firstLine(error)}`)
    }
  }

  /** Columns of every table of SCHEMA, read once per schema (until the target's shape changes). */
  private readonly schemas = new Map<string, Map<string, ColumnInfo[]>>()

  private async schemaOf(schema: string): Promise<Map<string, ColumnInfo[]>> {
    let found = this.schemas.get(schema)
    if (!found) {
      found = columnsByTable(await this.rows(catalogColumnsSql(), [this.catalog(schema)]))
      this.schemas.set(schema, found)
    }

    return found
  }

  async tables(schema: string): Promise<Array<{name: string; sql: string}>> {
    return [...(await this.schemaOf(schema)).keys()].map((name) => ({name, sql: ''}))
  }

  async columns(schema: string, table: string): Promise<ColumnInfo[]> {
    return (await this.schemaOf(schema)).get(table) ?? []
  }

  async count(schema: string, table: string): Promise<number> {
    return Number((await this.rows(`SELECT count(*) AS n FROM ${this.T(schema, table)}`))[0]?.n ?? 0)
  }

  async createTableLike(schema: string, table: string): Promise<void> {
    this.schemas.delete('main')
    await this.run(`CREATE TABLE ${this.T('main', table)} AS SELECT * FROM ${this.T(schema, table)} LIMIT 0`)
  }

  async addColumn(table: string, column: string, type: string): Promise<void> {
    this.schemas.delete('main')
    await this.run(`ALTER TABLE ${this.T('main', table)} ADD COLUMN ${q(column)} ${type || 'VARCHAR'}`)
  }

  async appendNewRuns(schema: string, table: string, columns: string[], id: string): Promise<number> {
    const [t, s, i] = [this.T('main', table), this.T(schema, table), q(id)]
    const nulls = Number((await this.rows(`SELECT count(*) AS n FROM ${s} WHERE ${i} IS NULL`))[0]?.n ?? 0)
    // Without id-less rows the anti-join alone decides (a filter on the source would keep DuckDB
    // from writing the new rows straight to the file: the commit then copies them through the WAL).
    const byId = await this.run(
      `INSERT INTO ${t} (${list(columns)}) SELECT ${list(columns, 's.')} FROM ${s} AS s WHERE ${nulls > 0 ? `s.${i} IS NOT NULL AND ` : ''}NOT EXISTS (SELECT 1 FROM ${t} AS t WHERE t.${i} = s.${i})`,
    )
    if (nulls === 0) return byId
    // Rows without an id: those the target lacks (only its own id-less rows can equal them).
    const noId = await this.run(`INSERT INTO ${t} (${list(columns)}) SELECT ${list(columns)} FROM ${s} WHERE ${i} IS NULL EXCEPT SELECT ${list(columns)} FROM ${t} WHERE ${i} IS NULL`)
    return byId + noId
  }

  async appendNewRows(schema: string, table: string, columns: string[]): Promise<number> {
    const [t, s] = [this.T('main', table), this.T(schema, table)]
    return this.run(`INSERT INTO ${t} (${list(columns)}) SELECT ${list(columns)} FROM ${s} EXCEPT SELECT ${list(columns)} FROM ${t}`)
  }

  async replaceByKey(schema: string, table: string, columns: string[], keys: string[]): Promise<{deleted: number; added: number}> {
    const [t, s] = [this.T('main', table), this.T(schema, table)]
    const on = keys.map((k) => `s.${q(k)} = t.${q(k)}`).join(' AND ')
    const deleted = await this.run(`DELETE FROM ${t} AS t WHERE EXISTS (SELECT 1 FROM ${s} AS s WHERE ${on})`)
    const added = await this.run(`INSERT INTO ${t} (${list(columns)}) SELECT ${list(columns)} FROM ${s}`)
    return {deleted, added}
  }

  async mergeByKey(schema: string, table: string, columns: string[], keys: string[], win: KeyedWin): Promise<{replaced: number; added: number}> {
    const [t, s] = [this.T('main', table), this.T(schema, table)]
    const on = keys.map((k) => `s.${q(k)} = t.${q(k)}`).join(' AND ')
    let replaced = 0
    if (win !== 'never') {
      const differs = columns.map((c) => `s.${q(c)} IS DISTINCT FROM t.${q(c)}`).join(' OR ')
      const later = `(${STAGE('s')} > ${STAGE('t')} OR (${STAGE('s')} = ${STAGE('t')} AND coalesce(CAST(s."ended_at" AS VARCHAR), '') > coalesce(CAST(t."ended_at" AS VARCHAR), '')))`
      const when = win === 'lifecycle' ? `(${differs}) AND ${later}` : `(${differs})`
      replaced = await this.run(`UPDATE ${t} AS t SET ${columns.map((c) => `${q(c)} = s.${q(c)}`).join(', ')} FROM ${s} AS s WHERE ${on} AND ${when}`)
    }

    const added = await this.run(`INSERT INTO ${t} (${list(columns)}) SELECT ${list(columns, 's.')} FROM ${s} AS s WHERE NOT EXISTS (SELECT 1 FROM ${t} AS t WHERE ${on})`)
    return {replaced, added}
  }

  async snapshotTo(file: string): Promise<void> {
    await this.run('CHECKPOINT') // the file alone then holds every committed row; no other process can write it
    copyFileSync(this.path, file)
  }

  async begin(): Promise<void> {
    await this.run('BEGIN TRANSACTION')
    this.open = true
  }

  async commit(): Promise<void> {
    await this.run('COMMIT')
    this.open = false
  }

  async rollback(): Promise<void> {
    this.schemas.delete('main')
    if (this.open) await this.run('ROLLBACK')
    this.open = false
  }

  async close(): Promise<void> {
    await this.conn.run('CHECKPOINT').catch(() => undefined)
    this.conn.closeSync()
    this.instance.closeSync()
  }
}
