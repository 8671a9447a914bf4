/**
 * The tables of a DuckDB catalog and their columns, read in ONE query of DuckDB's own catalog
 * functions (the information_schema views cost a query per table and know no primary keys). Each
 * column carries its position in the table's primary key (1, 2, …; 0 when not part of it), like
 * SQLite's `PRAGMA table_info`, so both engines choose the same key (diff --rows).
 */
import type {ColumnInfo} from './sqlite.js'

/**
 * The tables of the main schema of a catalog, column by column in order: the catalog bound as the
 * one parameter, or (CURRENT) the database the connection opened. Views too when VIEWS (readers
 * see them as tables, as information_schema.columns did); never for a merge, which writes tables.
 */
export const catalogColumnsSql = (current = false, views = false) => `SELECT c.table_name AS t, c.column_name AS c, c.data_type AS ty, c.is_nullable AS n,
    coalesce(list_position(k.constraint_column_names, c.column_name), 0) AS pk
  FROM duckdb_columns() AS c
  LEFT JOIN (SELECT table_oid, constraint_column_names FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY') AS k USING (table_oid)
  WHERE c.database_name = ${current ? 'current_database()' : '?'} AND c.schema_name = 'main'${views ? '' : ' AND c.table_oid IN (SELECT table_oid FROM duckdb_tables())'}
  ORDER BY c.table_name, c.column_index`

/** The rows of catalogColumnsSql() as table → columns (tables in name order). */
export function columnsByTable(rows: ReadonlyArray<Record<string, unknown>>): Map<string, ColumnInfo[]> {
  const byTable = new Map<string, ColumnInfo[]>()
  for (const r of rows) {
    const table = String(r.t)
    const list = byTable.get(table) ?? []
    list.push({name: String(r.c), type: String(r.ty), pk: Number(r.pk ?? 0), notnull: r.n === false || r.n === 'NO'})
    byTable.set(table, list)
  }

  return byTable
}
