import {
  isDuckDbFile
} from "./chunk-4EA4CMZF.js";
import {
  jsValue,
  lockMessage,
  quoteIdentDuck,
  sqlString
} from "./chunk-JVFBRQ5H.js";
import {
  quoteIdent,
  runsMissingFrom
} from "./chunk-6R3MSQNP.js";
import {
  XvError,
  errorMessage
} from "./chunk-EEPF45DI.js";

// dist/adapters/result-store-convert.js
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
var INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|BOOLEAN)$/i;
var REAL = /^(FLOAT|REAL|DOUBLE|DECIMAL.*|NUMERIC.*)$/i;
function sqliteType(duckType) {
  if (INTEGER.test(duckType))
    return { type: "INTEGER", cast: /HUGEINT|UBIGINT/i.test(duckType) ? "DOUBLE" : "BIGINT" };
  if (REAL.test(duckType))
    return { type: "REAL", cast: "DOUBLE" };
  if (/^BLOB$/i.test(duckType))
    return { type: "BLOB", cast: "BLOB" };
  return { type: duckType === "VARCHAR" ? "TEXT" : `TEXT /* ${duckType.replaceAll("*/", "")} */`, cast: "VARCHAR" };
}
function sqliteValue(v) {
  if (typeof v === "bigint")
    return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (v === null || typeof v !== "object")
    return v;
  const bytes = v.bytes;
  return bytes instanceof Uint8Array ? Buffer.from(bytes) : jsValue(v);
}
function whereSql(table, where) {
  const column = `CAST(${quoteIdentDuck(where.column)} AS VARCHAR)`;
  if ("newest" in where)
    return `${column} = (SELECT ${column} FROM ${quoteIdentDuck(table)} ORDER BY rowid DESC LIMIT 1)`;
  return `${column} IN (${where.values.map(sqlString).join(", ") || "NULL"})`;
}
async function copyTable(conn, out, table, all, rows) {
  const kept = typeof rows === "object" && rows.distinct ? all.filter((c) => rows.distinct?.includes(c.name)) : all;
  if (kept.length === 0)
    return;
  const mapped = kept.map((c) => ({ ...c, ...sqliteType(c.duck) }));
  out.exec(`CREATE TABLE ${quoteIdent(table)} (${mapped.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(", ")})`);
  if (rows === "none")
    return;
  const insert = out.prepare(`INSERT INTO ${quoteIdent(table)} VALUES (${mapped.map(() => "?").join(", ")})`);
  const select = mapped.map((c) => `CAST(${quoteIdentDuck(c.name)} AS ${c.cast})`).join(", ");
  const where = typeof rows === "object" && rows.where ? ` WHERE ${whereSql(table, rows.where)}` : "";
  const distinct = typeof rows === "object" && rows.distinct ? "DISTINCT " : "";
  const result = await conn.stream(`SELECT ${distinct}${select} FROM ${quoteIdentDuck(table)}${where}`);
  const write = out.transaction((chunk) => {
    for (const r of chunk)
      insert.run(...r.map(sqliteValue));
  });
  for (; ; ) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0)
      break;
    write(chunk.getRows());
  }
}
async function duckToSqliteCopy(duck, label, scope = () => "all") {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  let instance;
  try {
    instance = await DuckDBInstance.create(duck, { access_mode: "READ_ONLY", autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
  } catch (error) {
    throw new XvError(lockMessage(label, error) ?? `cannot open ${label}: ${errorMessage(error).split("\n")[0]}`);
  }
  const conn = await instance.connect();
  const dir = mkdtempSync(join(tmpdir(), "xv-duck-"));
  const file = join(dir, "copy.sqlite");
  const out = new Database(file);
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    out.pragma("journal_mode = OFF");
    out.pragma("synchronous = OFF");
    const cols = (await conn.runAndReadAll("SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY table_name, ordinal_position")).getRows();
    const tables = /* @__PURE__ */ new Map();
    for (const [t, c, ty] of cols)
      tables.set(t, [...tables.get(t) ?? [], { name: c, duck: ty }]);
    for (const [table, all] of tables)
      await copyTable(conn, out, table, all, scope(table, all.map((c) => c.name)));
    out.close();
    return { file, cleanup };
  } catch (error) {
    out.close();
    cleanup();
    if (error instanceof XvError)
      throw error;
    throw new XvError(`cannot read ${label} (DuckDB): ${errorMessage(error).split("\n")[0]}`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
async function withSqliteFile(path, label, scope, fn) {
  if (!isDuckDbFile(path))
    return fn(path);
  const copy = await duckToSqliteCopy(path, label, scope);
  try {
    return await fn(copy.file);
  } finally {
    copy.cleanup();
  }
}
async function runsMissingAnyEngine(src, dst, idColumn, match = {}) {
  const ids = (table, columns) => {
    const wanted = match[table] ?? [idColumn];
    return wanted.every((c) => columns.includes(c)) ? { distinct: wanted } : "none";
  };
  return withSqliteFile(src, src, ids, (from) => dst && existsSync(dst) ? withSqliteFile(dst, dst, ids, (into) => runsMissingFrom(from, into, idColumn, match)) : runsMissingFrom(from, void 0, idColumn, match));
}

export {
  duckToSqliteCopy,
  withSqliteFile,
  runsMissingAnyEngine
};
