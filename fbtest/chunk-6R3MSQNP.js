import {
  XvError,
  errorMessage
} from "./chunk-EEPF45DI.js";

// dist/adapters/sqlite.js
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import Database from "better-sqlite3";
var HEADER = "SQLite format 3\0";
function isSqliteFile(path) {
  const size = statSync(path).size;
  if (size === 0)
    return true;
  if (size < 100)
    return false;
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    return buf.toString("latin1") === HEADER;
  } finally {
    closeSync(fd);
  }
}
function openDb(path, options = {}) {
  const label = options.label ?? path;
  if (existsSync(path)) {
    if (statSync(path).isDirectory())
      throw new XvError(`${label} is a directory, not an SQLite database`);
    if (!isSqliteFile(path))
      throw new XvError(`${label} is not an SQLite database (wrong file header)`);
  } else if (!options.create) {
    throw new XvError(`result database ${label} does not exist`);
  }
  try {
    const db = new Database(path, { readonly: Boolean(options.readonly), fileMustExist: !options.create });
    db.pragma("busy_timeout = 5000");
    return db;
  } catch (error) {
    throw new XvError(`cannot open ${label}: ${errorMessage(error)}`);
  }
}
function quoteIdent(name) {
  return `"${name.replaceAll('"', '""')}"`;
}
function listTables(db) {
  try {
    return db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all().map((r) => r.name);
  } catch (error) {
    throw new XvError(`cannot read the database schema: ${errorMessage(error)}`);
  }
}
function listColumns(db, table) {
  return listColumnsIn(db, "main", table);
}
function describeTables(db) {
  return listTables(db).map((table) => ({ table, columns: listColumns(db, table) }));
}
function isNumericType(type) {
  return /INT|REAL|FLOA|DOUB|NUM|DEC|BOOL/i.test(type);
}
function summariseVersions(db, table, versionColumn, columns, only, merged = false) {
  const q = quoteIdent;
  const cols2 = columns.filter((c) => c.name !== versionColumn);
  const one = merged && only !== void 0 && only.length > 0;
  const parts = [one ? `min(CAST(${q(versionColumn)} AS TEXT)) AS v` : `CAST(${q(versionColumn)} AS TEXT) AS v`, "count(*) AS n"];
  cols2.forEach((c, i) => {
    if (isNumericType(c.type) || c.type === "") {
      parts.push(`avg(CASE WHEN typeof(${q(c.name)}) IN ('integer','real') THEN ${q(c.name)} END) AS m${i}`);
    }
    if (!isNumericType(c.type)) {
      parts.push(`CASE WHEN count(DISTINCT ${q(c.name)}) = 1 THEN CAST(min(${q(c.name)}) AS TEXT) END AS s${i}`);
    }
  });
  const where = only && only.length > 0 ? `WHERE CAST(${q(versionColumn)} AS TEXT) IN (${only.map(() => "?").join(",")})` : "";
  const sql = `SELECT ${parts.join(", ")} FROM ${q(table)} ${where}${one ? "" : " GROUP BY 1"}`;
  const rows = db.prepare(sql).all(...only ?? []).filter((r) => Number(r.n) > 0);
  return rows.map((r) => versionSummaryOf(r, cols2));
}
function versionSummaryOf(r, cols2) {
  const means = {};
  const values = {};
  cols2.forEach((c, i) => {
    const m = r[`m${i}`];
    if (typeof m === "number")
      means[c.name] = m;
    const s = r[`s${i}`];
    if (typeof s === "string" && typeof m !== "number")
      values[c.name] = s;
  });
  const integers = cols2.filter((c) => /INT/i.test(c.type)).map((c) => c.name);
  return { version: String(r.v), rows: Number(r.n), means, values, integers };
}
function listColumnsIn(db, schema, table) {
  const rows = db.prepare(`SELECT name, type, pk, "notnull" AS nn FROM pragma_table_info(?, ?)`).all(table, schema);
  return rows.map((r) => ({ name: r.name, type: r.type, pk: r.pk, notnull: Boolean(r.nn) }));
}
function tablesIn(db, schema) {
  return db.prepare(`SELECT name, sql FROM ${quoteIdent(schema)}.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all();
}
function openTarget(path, label, waitMs) {
  const db = openDb(path, { label, create: true });
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(waitMs))}`);
  db.pragma("cache_size = -65536");
  db.pragma("temp_store = FILE");
  return db;
}
function attach(db, file, schema) {
  db.prepare(`ATTACH DATABASE ? AS ${quoteIdent(schema)}`).run(file);
}
function countRows(db, schema, table) {
  return db.prepare(`SELECT count(*) AS n FROM ${quoteIdent(schema)}.${quoteIdent(table)}`).get().n;
}
function createTableLike(db, createSql) {
  db.exec(createSql);
}
function addColumn(db, table, column, type) {
  db.exec(`ALTER TABLE main.${quoteIdent(table)} ADD COLUMN ${quoteIdent(column)}${type ? ` ${type}` : ""}`);
}
var cols = (names, alias = "") => names.map((n) => `${alias}${quoteIdent(n)}`).join(", ");
function appendNewRuns(db, schema, table, columns, id) {
  const t = `main.${quoteIdent(table)}`;
  const s = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const byId = db.prepare(`INSERT INTO ${t} (${cols(columns)}) SELECT ${cols(columns)} FROM ${s} WHERE ${quoteIdent(id)} IS NOT NULL AND ${quoteIdent(id)} NOT IN (SELECT ${quoteIdent(id)} FROM ${t} WHERE ${quoteIdent(id)} IS NOT NULL)`).run().changes;
  const noId = db.prepare(`INSERT INTO ${t} (${cols(columns)}) SELECT ${cols(columns)} FROM ${s} WHERE ${quoteIdent(id)} IS NULL EXCEPT SELECT ${cols(columns)} FROM ${t} WHERE ${quoteIdent(id)} IS NULL`).run().changes;
  return byId + noId;
}
function appendNewRows(db, schema, table, columns) {
  return db.prepare(`INSERT INTO main.${quoteIdent(table)} (${cols(columns)}) SELECT ${cols(columns)} FROM ${quoteIdent(schema)}.${quoteIdent(table)} EXCEPT SELECT ${cols(columns)} FROM main.${quoteIdent(table)}`).run().changes;
}
function replaceByKey(db, schema, table, columns, keys) {
  const t = `main.${quoteIdent(table)}`;
  const s = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const k = keys.length === 1 ? cols(keys) : `(${cols(keys)})`;
  const deleted = db.prepare(`DELETE FROM ${t} WHERE ${k} IN (SELECT ${cols(keys)} FROM ${s})`).run().changes;
  const added = db.prepare(`INSERT INTO ${t} (${cols(columns)}) SELECT ${cols(columns)} FROM ${s}`).run().changes;
  return { deleted, added };
}
var STAGE = (a) => `(CASE ${a}."status" WHEN 'pending' THEN 0 WHEN 'running' THEN 1 ELSE 2 END)`;
function mergeByKey(db, schema, table, columns, keys, win) {
  const t = `main.${quoteIdent(table)}`;
  const s = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const on = (a, b) => keys.map((k) => `${a}.${quoteIdent(k)} = ${b}.${quoteIdent(k)}`).join(" AND ");
  const differs = columns.map((c) => `s.${quoteIdent(c)} IS NOT t.${quoteIdent(c)}`).join(" OR ");
  const later = `(${STAGE("s")} > ${STAGE("t")} OR (${STAGE("s")} = ${STAGE("t")} AND coalesce(s."ended_at", '') > coalesce(t."ended_at", '')))`;
  let replaced = 0;
  if (win !== "never") {
    const when = win === "lifecycle" ? `(${differs}) AND ${later}` : `(${differs})`;
    const set = columns.map((c) => `${quoteIdent(c)} = s.${quoteIdent(c)}`).join(", ");
    replaced = db.prepare(`UPDATE ${t} AS t SET ${set} FROM ${s} AS s WHERE ${on("s", "t")} AND ${when}`).run().changes;
  }
  const added = db.prepare(`INSERT INTO ${t} (${cols(columns)}) SELECT ${cols(columns, "s.")} FROM ${s} AS s WHERE NOT EXISTS (SELECT 1 FROM ${t} AS t WHERE ${on("s", "t")})`).run().changes;
  return { replaced, added };
}
function snapshotTo(db, file) {
  db.prepare("VACUUM INTO ?").run(file);
}
var DEFAULT_ID_COLUMN = "track_id";
function runsMissingFrom(src, dst, idColumn, match = {}) {
  const db = openDb(src, { readonly: true });
  const columnsOf = (table) => match[table] ?? [idColumn];
  try {
    const dstTables = /* @__PURE__ */ new Set();
    if (dst && existsSync(dst)) {
      openDb(dst, { readonly: true }).close();
      attach(db, dst, "dst");
      for (const t of tablesIn(db, "dst")) {
        const have = new Set(listColumnsIn(db, "dst", t.name).map((c) => c.name));
        if (columnsOf(t.name).every((c) => have.has(c)))
          dstTables.add(t.name);
      }
    }
    const byTable = {};
    for (const table of listTables(db)) {
      const have = new Set(listColumns(db, table).map((c) => c.name));
      const [id, ...rest] = columnsOf(table).map(quoteIdent);
      if (!id || !columnsOf(table).every((c) => have.has(c)))
        continue;
      const cols2 = [id, ...rest].join(", ");
      const mine = `SELECT ${cols2} FROM main.${quoteIdent(table)} WHERE ${id} IS NOT NULL`;
      const lacking = dstTables.has(table) ? `${mine} EXCEPT SELECT ${cols2} FROM dst.${quoteIdent(table)}` : mine;
      const n = db.prepare(`SELECT count(DISTINCT ${id}) AS n FROM (${lacking})`).get().n;
      if (n > 0)
        byTable[table] = n;
    }
    const tables = Object.keys(byTable);
    return { missing: tables.reduce((sum, t) => sum + (byTable[t] ?? 0), 0), tables, byTable };
  } finally {
    db.close();
  }
}
var SQLITE_SIDE_SUFFIXES = ["-wal", "-shm", "-journal"];
function checkpointWal(path, label) {
  let db;
  try {
    db = new Database(path, { fileMustExist: true });
    db.pragma("busy_timeout = 2000");
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    const [row] = db.pragma("wal_checkpoint(TRUNCATE)");
    return !row || row.busy === 0;
  } catch (error) {
    if (/busy|locked/i.test(errorMessage(error)))
      return false;
    throw new XvError(`cannot checkpoint ${label}: ${errorMessage(error)}`);
  } finally {
    db?.close();
  }
}

export {
  isSqliteFile,
  openDb,
  quoteIdent,
  listTables,
  describeTables,
  summariseVersions,
  versionSummaryOf,
  listColumnsIn,
  tablesIn,
  openTarget,
  attach,
  countRows,
  createTableLike,
  addColumn,
  appendNewRuns,
  appendNewRows,
  replaceByKey,
  mergeByKey,
  snapshotTo,
  DEFAULT_ID_COLUMN,
  runsMissingFrom,
  SQLITE_SIDE_SUFFIXES,
  checkpointWal
};
