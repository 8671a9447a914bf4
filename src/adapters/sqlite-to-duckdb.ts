/**
 * Rows of an SQLite file streamed into DuckDB (a merge source of the other engine), without the
 * DuckDB sqlite extension (nothing is ever downloaded). Every table goes through CSV text that
 * SQLite itself writes, a chunk of rows at a time (one `group_concat` over a rowid range, so no
 * value crosses into JavaScript one by one), and DuckDB's CSV reader with explicit column types
 * loads each chunk — DuckDB reads chunk k while SQLite writes chunk k+1.
 *
 * Exactness: NULL is an empty field and every text or blob value is quoted (`""` is the empty
 * string, read with allow_quoted_nulls off); quotes are doubled; newlines stay inside the quotes;
 * integers are printed whole (64-bit); reals as SQLite prints them, which reads back to the same
 * double; blobs as hex, turned back into bytes by `unhex`. A table whose text DuckDB refuses (not
 * valid UTF-8) is streamed row by row instead (better-sqlite3's reading of such text).
 */
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import type {DuckDBConnection, DuckDBType, DuckDBValue} from '@duckdb/node-api'

import {errorMessage} from '../errors.js'
import {duckApi, quoteIdentDuck as qd, sqlString} from './duckdb.js'
import {describeTables, quoteIdent, type ColumnInfo} from './sqlite.js'
import {settleHotJournal} from './sqlite-side-files.js'

type Kind = 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'BLOB'

interface TablePlan {
  table: string
  columns: ColumnInfo[]
  kinds: Kind[]
  /** Per column: some value is a blob (hex in a VARCHAR column). */
  blobs: boolean[]
  rows: number
  /** Rows per CSV chunk. */
  chunk: number
}

/** Rows per CSV chunk: at most this many, and about CHUNK_BYTES of text (by a bound of the mean row size). */
const CHUNK_ROWS = 100_000
const CHUNK_BYTES = 16 * 1024 * 1024
/** DuckDB's CSV reader refuses longer lines unless told (max_line_size). */
const DUCK_LINE_DEFAULT = 2 * 1024 * 1024

/**
 * The DuckDB type of an SQLite column: from the types of the values it really holds (SQLite
 * columns may mix types), else (only NULLs) from its declared type. Text anywhere makes it
 * VARCHAR, and so do blobs mixed with numbers.
 */
function kindOf(types: ReadonlySet<string>, declared: string): Kind {
  if (types.has('text')) return 'VARCHAR'
  if (types.has('blob')) return types.has('integer') || types.has('real') ? 'VARCHAR' : 'BLOB'
  if (types.has('real')) return 'DOUBLE'
  if (types.has('integer')) return 'BIGINT'
  const t = declared.toUpperCase()
  if (t.includes('INT')) return 'BIGINT'
  if (/REAL|FLOA|DOUB|NUM|DEC/.test(t)) return 'DOUBLE'
  if (t.includes('BLOB')) return 'BLOB'
  return 'VARCHAR'
}

/** More distinct combinations of value types than this: each column's types are read on their own instead. */
const MAX_TYPE_ROWS = 10_000

/**
 * The types (typeof) each column of TABLE holds, in one scan: the distinct combinations of the
 * row's types (few in practice: SQLite emits each as it first meets it), else — when NULL
 * patterns make them many — each column's distinct types.
 */
function typesOf(db: Database.Database, table: string, columns: ColumnInfo[]): Array<Set<string>> {
  const t = quoteIdent(table)
  const types = columns.map(() => new Set<string>())
  let rows = 0
  for (const row of db.prepare(`SELECT DISTINCT ${columns.map((c) => `typeof(${quoteIdent(c.name)})`).join(', ')} FROM ${t}`).raw(true).iterate() as Iterable<string[]>) {
    row.forEach((type, i) => types[i]?.add(type))
    if (++rows > MAX_TYPE_ROWS) break
  }

  if (rows <= MAX_TYPE_ROWS) return types
  const each = db.prepare(`SELECT ${columns.map((c) => `group_concat(DISTINCT typeof(${quoteIdent(c.name)}))`).join(', ')} FROM ${t}`).raw(true).get() as Array<string | null>
  return each.map((list) => new Set(list?.split(',') ?? []))
}

/** What loading TABLE needs: each column's DuckDB type, the row count, the rows per chunk. */
function planTable(db: Database.Database, table: string, columns: ColumnInfo[], bytesPerRow: (rows: number) => number): TablePlan {
  const types = columns.length > 0 ? typesOf(db, table, columns) : []
  const rows = Number(db.prepare(`SELECT count(*) FROM ${quoteIdent(table)}`).pluck().get() ?? 0)
  return {
    table,
    columns,
    kinds: columns.map((c, i) => kindOf(types[i] ?? new Set(), c.type)),
    blobs: types.map((t) => t.has('blob')),
    rows,
    chunk: Math.max(1, Math.min(CHUNK_ROWS, Math.floor(CHUNK_BYTES / Math.max(1, bytesPerRow(rows))))),
  }
}

/** The CSV field of column C (SQLite SQL): NULL → empty; text and blobs quoted; numbers as SQLite prints them. */
function csvField(c: string, kind: Kind, blobs: boolean): string {
  const v = quoteIdent(c)
  if (kind === 'BIGINT' || kind === 'DOUBLE') return `ifnull(${v}, '')`
  if (kind === 'BLOB') return `CASE WHEN ${v} IS NULL THEN '' ELSE '"' || hex(${v}) || '"' END`
  const text = `coalesce('"' || replace(${v}, '"', '""') || '"', '')`
  return blobs ? `CASE WHEN typeof(${v}) = 'blob' THEN '"' || lower(hex(${v})) || '"' ELSE ${text} END` : text
}

/** The CSV text of PLAN's table, CHUNK rows at a time (rowid ranges; one pass for a table without rowid). */
function* csvChunks(db: Database.Database, plan: TablePlan): Generator<string> {
  const t = quoteIdent(plan.table)
  const line = plan.columns.map((c, i) => csvField(c.name, plan.kinds[i] ?? 'VARCHAR', plan.blobs[i] ?? false)).join(` || ',' || `)
  const {chunk} = plan
  // The rowid under a name no column has taken (a column named rowid hides it).
  const rowid = ['rowid', '_rowid_', 'oid'].find((r) => !plan.columns.some((c) => c.name.toLowerCase() === r))
  let ranged = rowid !== undefined
  try {
    if (rowid) db.prepare(`SELECT ${rowid} FROM ${t} LIMIT 0`)
  } catch {
    ranged = false // WITHOUT ROWID
  }

  if (!ranged || !rowid) {
    let lines: string[] = []
    for (const l of db.prepare(`SELECT ${line} FROM ${t}`).pluck().iterate() as Iterable<string>) {
      lines.push(l)
      if (lines.length === chunk) {
        yield `${lines.join('\n')}\n`
        lines = []
      }
    }

    if (lines.length > 0) yield `${lines.join('\n')}\n`
    return
  }

  const next = db.prepare(`SELECT ${rowid} FROM ${t} WHERE ${rowid} >= ? ORDER BY ${rowid} LIMIT 1 OFFSET ${chunk}`).pluck().safeIntegers(true)
  const part = (bounded: boolean) =>
    db.prepare(`SELECT group_concat(line, char(10)) FROM (SELECT ${line} AS line FROM ${t} WHERE ${rowid} >= ?${bounded ? ` AND ${rowid} < ?` : ''})`).pluck()
  const [between, rest] = [part(true), part(false)]
  for (let from: bigint | undefined = -(2n ** 63n); from !== undefined; ) {
    const to = next.get(from) as bigint | undefined
    const text = (to === undefined ? rest.get(from) : between.get(from, to)) as string | null
    if (text !== null) yield `${text}\n`
    from = to
  }
}

/** PLAN's table loaded into CATALOG through CSV chunk files in DIR (DuckDB reads one while SQLite writes the next). */
async function loadCsv(conn: DuckDBConnection, db: Database.Database, plan: TablePlan, catalog: string, dir: string): Promise<void> {
  const spec = plan.kinds.map((k, i) => `'c${i}': '${k === 'BLOB' ? 'VARCHAR' : k}'`).join(', ')
  const select = plan.kinds.map((k, i) => (k === 'BLOB' ? `unhex(c${i})` : `c${i}`)).join(', ')
  const options = `header = false, delim = ',', quote = '"', escape = '"', new_line = '\\n', allow_quoted_nulls = false, auto_detect = false, strict_mode = true`
  const load = async (file: string, bytes: number) => {
    // A line is never longer than its file: a file beyond DuckDB's default line limit raises the limit.
    const size = bytes + 1 > DUCK_LINE_DEFAULT ? `, max_line_size = ${bytes + 1}, buffer_size = ${2 * bytes + 2}` : ''
    await conn.run(`INSERT INTO ${qd(catalog)}.main.${qd(plan.table)} SELECT ${select} FROM read_csv(${sqlString(file)}, ${options}${size}, columns = {${spec}})`)
    rmSync(file, {force: true})
  }

  let pending: Promise<void> = Promise.resolve()
  let n = 0
  try {
    for (const text of csvChunks(db, plan)) {
      const file = join(dir, `${n++}.csv`)
      writeFileSync(file, text)
      await pending
      pending = load(file, Buffer.byteLength(text))
    }

    await pending
  } catch (error) {
    await pending.catch(() => undefined)
    throw error
  }
}

const CHUNK_DIR = /^xv-sqlite-(\d+)-/

/**
 * A new folder for the CSV chunks (`xv-sqlite-<pid>-…` in the temporary folder). Folders a killed
 * xv left behind (Ctrl-C stops a merge at once; their process is gone) are removed first.
 */
function chunkDir(): string {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(CHUNK_DIR.exec(name)?.[1] ?? 0)
    if (pid === 0 || pid === process.pid) continue
    try {
      process.kill(pid, 0)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(tmpdir(), name), {recursive: true, force: true})
    }
  }

  return mkdtempSync(join(tmpdir(), `xv-sqlite-${process.pid}-`))
}

/** Streams every table of the SQLite file FILE into CATALOG (an attached DuckDB database) on CONN. */
export async function streamSqliteInto(conn: DuckDBConnection, file: string, catalog: string): Promise<void> {
  settleHotJournal(file)
  const db = new Database(file, {readonly: true, fileMustExist: true})
  const dir = chunkDir()
  // A table's rows are at most the file's bytes: a bound of the mean row size, for the chunk size.
  const fileBytes = Number(db.pragma('page_count', {simple: true})) * Number(db.pragma('page_size', {simple: true}))
  try {
    for (const {table, columns} of describeTables(db)) {
      const plan = planTable(db, table, columns, (rows) => (2 * fileBytes) / Math.max(1, rows))
      const target = `${qd(catalog)}.main.${qd(table)}`
      await conn.run(`CREATE TABLE ${target} (${columns.map((c, i) => `${qd(c.name)} ${plan.kinds[i] ?? 'VARCHAR'}`).join(', ')})`)
      if (columns.length === 0 || plan.rows === 0) continue
      try {
        await loadCsv(conn, db, plan, catalog, dir)
      } catch (error) {
        if (!/invalid unicode/i.test(errorMessage(error))) throw error
        await conn.run(`DELETE FROM ${target}`)
        await appendRowByRow(conn, db, plan, catalog)
      }
    }
  } finally {
    db.close()
    rmSync(dir, {recursive: true, force: true})
  }
}

// ---- the row-by-row path (text that is not valid UTF-8) ------------------------------------------

function convert(kind: Kind, blob: (b: Uint8Array) => DuckDBValue): (v: unknown) => DuckDBValue {
  switch (kind) {
    case 'BIGINT': {
      return (v) => (v === null || v === undefined ? null : typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))))
    }

    case 'DOUBLE': {
      return (v) => (v === null || v === undefined ? null : Number(v))
    }

    case 'BLOB': {
      return (v) => (v === null || v === undefined ? null : blob(v as Uint8Array))
    }

    default: {
      return (v) => (v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString('hex') : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? v.toString() : JSON.stringify(v))
    }
  }
}

/** PLAN's table appended to CATALOG in data chunks of 2,048 rows read one by one by better-sqlite3. */
async function appendRowByRow(conn: DuckDBConnection, db: Database.Database, plan: TablePlan, catalog: string): Promise<void> {
  const api = duckApi()
  const types: Record<Kind, DuckDBType> = {BIGINT: api.BIGINT, DOUBLE: api.DOUBLE, VARCHAR: api.VARCHAR, BLOB: api.BLOB}
  const converters = plan.kinds.map((k) => convert(k, (b) => api.blobValue(b)))
  const appender = await conn.createAppender(plan.table, 'main', catalog)
  const stmt = db.prepare(`SELECT * FROM ${quoteIdent(plan.table)}`).raw(true).safeIntegers(true)
  let cols: DuckDBValue[][] = plan.kinds.map(() => [])
  let n = 0
  const flush = () => {
    if (n === 0) return
    const chunk = api.DuckDBDataChunk.create(plan.kinds.map((k) => types[k]), n)
    chunk.setColumns(cols)
    appender.appendDataChunk(chunk)
    cols = plan.kinds.map(() => [])
    n = 0
  }

  try {
    for (const row of stmt.iterate() as Iterable<unknown[]>) {
      converters.forEach((c, i) => cols[i]?.push(c(row[i])))
      if (++n === 2048) flush()
    }

    flush()
    appender.flushSync()
  } finally {
    appender.closeSync()
  }
}
