import {
  isDuckDbFile
} from "./chunk-4EA4CMZF.js";
import {
  lockMessage,
  quoteIdentDuck,
  sqlString
} from "./chunk-JVFBRQ5H.js";
import {
  describeTables,
  quoteIdent
} from "./chunk-6R3MSQNP.js";
import {
  XvError,
  errorMessage
} from "./chunk-EEPF45DI.js";

// dist/adapters/merge-duckdb.js
import { copyFileSync } from "node:fs";

// dist/adapters/sqlite-to-duckdb.js
import Database from "better-sqlite3";
var CHUNK = 2048;
function kindOf(seen, declared) {
  if (seen.text)
    return "VARCHAR";
  if (seen.blob)
    return seen.real || seen.int ? "VARCHAR" : "BLOB";
  if (seen.real)
    return "DOUBLE";
  if (seen.int)
    return "BIGINT";
  const t = declared.toUpperCase();
  if (t.includes("INT"))
    return "BIGINT";
  if (/REAL|FLOA|DOUB|NUM|DEC/.test(t))
    return "DOUBLE";
  if (t.includes("BLOB"))
    return "BLOB";
  return "VARCHAR";
}
function convert(kind, blob) {
  switch (kind) {
    case "BIGINT": {
      return (v) => v === null || v === void 0 ? null : typeof v === "bigint" ? v : BigInt(Math.trunc(Number(v)));
    }
    case "DOUBLE": {
      return (v) => v === null || v === void 0 ? null : Number(v);
    }
    case "BLOB": {
      return (v) => v === null || v === void 0 ? null : blob(v);
    }
    default: {
      return (v) => v === null || v === void 0 ? null : Buffer.isBuffer(v) ? v.toString("hex") : typeof v === "string" ? v : typeof v === "number" || typeof v === "bigint" ? v.toString() : JSON.stringify(v);
    }
  }
}
async function streamSqliteInto(conn, file, catalog) {
  const api = await import("@duckdb/node-api");
  const types = { BIGINT: api.BIGINT, DOUBLE: api.DOUBLE, VARCHAR: api.VARCHAR, BLOB: api.BLOB };
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    for (const { table, columns } of describeTables(db)) {
      const q = (c) => quoteIdent(c);
      const probe = columns.map((c, i) => ["text", "blob", "real", "integer"].map((t) => `max(typeof(${q(c.name)}) = '${t}') AS "${t}${i}"`).join(", "));
      const seen = probe.length > 0 ? db.prepare(`SELECT ${probe.join(", ")} FROM ${q(table)}`).get() : {};
      const kinds = columns.map((c, i) => kindOf({ text: seen[`text${i}`] ?? 0, blob: seen[`blob${i}`] ?? 0, real: seen[`real${i}`] ?? 0, int: seen[`integer${i}`] ?? 0 }, c.type));
      await conn.run(`CREATE TABLE ${quoteIdentDuck(catalog)}.main.${quoteIdentDuck(table)} (${columns.map((c, i) => `${quoteIdentDuck(c.name)} ${kinds[i] ?? "VARCHAR"}`).join(", ")})`);
      if (columns.length === 0)
        continue;
      await appendRows(conn, db, { table, catalog, kinds, types });
    }
  } finally {
    db.close();
  }
}
async function appendRows(conn, db, target) {
  const api = await import("@duckdb/node-api");
  const { table, catalog, kinds, types } = target;
  const converters = kinds.map((k) => convert(k, (b) => api.blobValue(b)));
  const chunkTypes = kinds.map((k) => types[k]);
  const appender = await conn.createAppender(table, "main", catalog);
  const stmt = db.prepare(`SELECT * FROM ${quoteIdent(table)}`).raw(true).safeIntegers(true);
  let cols = kinds.map(() => []);
  let n = 0;
  const flush = () => {
    if (n === 0)
      return;
    const chunk = api.DuckDBDataChunk.create(chunkTypes, n);
    chunk.setColumns(cols);
    appender.appendDataChunk(chunk);
    cols = kinds.map(() => []);
    n = 0;
  };
  try {
    for (const row of stmt.iterate()) {
      for (let i = 0; i < converters.length; i++)
        cols[i]?.push(converters[i](row[i]));
      if (++n === CHUNK)
        flush();
    }
    flush();
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

// dist/adapters/merge-duckdb.js
var firstLine = (error) => errorMessage(error).split("\n")[0] ?? "";
var list = (names, alias = "") => names.map((n) => `${alias}${quoteIdentDuck(n)}`).join(", ");
var STAGE = (a) => `(CASE ${a}."status" WHEN 'pending' THEN 0 WHEN 'running' THEN 1 ELSE 2 END)`;
async function openDuckMergeDb(path, label) {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  let instance;
  try {
    instance = await DuckDBInstance.create(path, { access_mode: "READ_WRITE", autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
  } catch (error) {
    throw new XvError(lockMessage(label, error) ?? `cannot open ${label}: ${firstLine(error)}`);
  }
  const conn = await instance.connect();
  const [row] = (await conn.runAndReadAll("SELECT current_database() AS d")).getRows();
  const target = typeof row?.[0] === "string" ? row[0] : "main";
  return new DuckMergeDb(path, instance, conn, target);
}
var DuckMergeDb = class {
  path;
  instance;
  conn;
  target;
  kind = "duckdb";
  open = false;
  constructor(path, instance, conn, target) {
    this.path = path;
    this.instance = instance;
    this.conn = conn;
    this.target = target;
  }
  /** Runs a statement; the number of rows it changed. */
  async run(sql, params = []) {
    try {
      return (params.length > 0 ? await this.conn.run(sql, params) : await this.conn.run(sql)).rowsChanged;
    } catch (error) {
      throw new Error(firstLine(error));
    }
  }
  async rows(sql, params = []) {
    return (params.length > 0 ? await this.conn.runAndReadAll(sql, params) : await this.conn.runAndReadAll(sql)).getRowObjectsJS();
  }
  catalog(schema) {
    return schema === "main" ? this.target : schema;
  }
  /** A table of the target (`main`) or of an attached source, fully qualified. */
  T(schema, table) {
    return `${quoteIdentDuck(this.catalog(schema))}.main.${quoteIdentDuck(table)}`;
  }
  async attach(file, schema, sourceLabel) {
    try {
      if (isDuckDbFile(file)) {
        await this.conn.run(`ATTACH ${sqlString(file)} AS ${quoteIdentDuck(schema)} (READ_ONLY)`);
      } else {
        await this.conn.run(`ATTACH ':memory:' AS ${quoteIdentDuck(schema)}`);
        await streamSqliteInto(this.conn, file, schema);
      }
    } catch (error) {
      throw new XvError(lockMessage(sourceLabel, error) ?? `cannot read ${sourceLabel}: ${firstLine(error)}`);
    }
  }
  async tables(schema) {
    const found = await this.rows("SELECT table_name AS name FROM information_schema.tables WHERE table_catalog = ? AND table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1", [this.catalog(schema)]);
    return found.map((r) => ({ name: String(r.name), sql: "" }));
  }
  async columns(schema, table) {
    const found = await this.rows("SELECT column_name AS c, data_type AS t, is_nullable AS n FROM information_schema.columns WHERE table_catalog = ? AND table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", [this.catalog(schema), table]);
    return found.map((r) => ({ name: String(r.c), type: String(r.t), pk: 0, notnull: r.n === "NO" }));
  }
  async count(schema, table) {
    return Number((await this.rows(`SELECT count(*) AS n FROM ${this.T(schema, table)}`))[0]?.n ?? 0);
  }
  async createTableLike(schema, table) {
    await this.run(`CREATE TABLE ${this.T("main", table)} AS SELECT * FROM ${this.T(schema, table)} LIMIT 0`);
  }
  async addColumn(table, column, type) {
    await this.run(`ALTER TABLE ${this.T("main", table)} ADD COLUMN ${quoteIdentDuck(column)} ${type || "VARCHAR"}`);
  }
  async appendNewRuns(schema, table, columns, id) {
    const [t, s, i] = [this.T("main", table), this.T(schema, table), quoteIdentDuck(id)];
    const nulls = Number((await this.rows(`SELECT count(*) AS n FROM ${s} WHERE ${i} IS NULL`))[0]?.n ?? 0);
    const byId = await this.run(`INSERT INTO ${t} (${list(columns)}) SELECT ${list(columns, "s.")} FROM ${s} AS s WHERE ${nulls > 0 ? `s.${i} IS NOT NULL AND ` : ""}NOT EXISTS (SELECT 1 FROM ${t} AS t WHERE t.${i} = s.${i})`);
    if (nulls === 0)
      return byId;
    const noId = await this.run(`INSERT INTO ${t} (${list(columns)}) SELECT ${list(columns)} FROM ${s} WHERE ${i} IS NULL EXCEPT SELECT ${list(columns)} FROM ${t} WHERE ${i} IS NULL`);
    return byId + noId;
  }
  async appendNewRows(schema, table, columns) {
    const [t, s] = [this.T("main", table), this.T(schema, table)];
    return this.run(`INSERT INTO ${t} (${list(columns)}) SELECT ${list(columns)} FROM ${s} EXCEPT SELECT ${list(columns)} FROM ${t}`);
  }
  async replaceByKey(schema, table, columns, keys) {
    const [t, s] = [this.T("main", table), this.T(schema, table)];
    const on = keys.map((k) => `s.${quoteIdentDuck(k)} = t.${quoteIdentDuck(k)}`).join(" AND ");
    const deleted = await this.run(`DELETE FROM ${t} AS t WHERE EXISTS (SELECT 1 FROM ${s} AS s WHERE ${on})`);
    const added = await this.run(`INSERT INTO ${t} (${list(columns)}) SELECT ${list(columns)} FROM ${s}`);
    return { deleted, added };
  }
  async mergeByKey(schema, table, columns, keys, win) {
    const [t, s] = [this.T("main", table), this.T(schema, table)];
    const on = keys.map((k) => `s.${quoteIdentDuck(k)} = t.${quoteIdentDuck(k)}`).join(" AND ");
    let replaced = 0;
    if (win !== "never") {
      const differs = columns.map((c) => `s.${quoteIdentDuck(c)} IS DISTINCT FROM t.${quoteIdentDuck(c)}`).join(" OR ");
      const later = `(${STAGE("s")} > ${STAGE("t")} OR (${STAGE("s")} = ${STAGE("t")} AND coalesce(CAST(s."ended_at" AS VARCHAR), '') > coalesce(CAST(t."ended_at" AS VARCHAR), '')))`;
      const when = win === "lifecycle" ? `(${differs}) AND ${later}` : `(${differs})`;
      replaced = await this.run(`UPDATE ${t} AS t SET ${columns.map((c) => `${quoteIdentDuck(c)} = s.${quoteIdentDuck(c)}`).join(", ")} FROM ${s} AS s WHERE ${on} AND ${when}`);
    }
    const added = await this.run(`INSERT INTO ${t} (${list(columns)}) SELECT ${list(columns, "s.")} FROM ${s} AS s WHERE NOT EXISTS (SELECT 1 FROM ${t} AS t WHERE ${on})`);
    return { replaced, added };
  }
  async snapshotTo(file) {
    await this.run("CHECKPOINT");
    copyFileSync(this.path, file);
  }
  async begin() {
    await this.run("BEGIN TRANSACTION");
    this.open = true;
  }
  async commit() {
    await this.run("COMMIT");
    this.open = false;
  }
  async rollback() {
    if (this.open)
      await this.run("ROLLBACK");
    this.open = false;
  }
  async close() {
    await this.conn.run("CHECKPOINT").catch(() => void 0);
    this.conn.closeSync();
    this.instance.closeSync();
  }
};
export {
  openDuckMergeDb
};
