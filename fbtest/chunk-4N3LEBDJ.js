import {
  checkMetrics,
  chooseResultTable,
  metricColumns
} from "./chunk-N3ADXXN7.js";
import {
  describeTables,
  quoteIdent
} from "./chunk-6R3MSQNP.js";

// dist/adapters/result-rows.js
function whereClause(filter, extra = []) {
  const conds = [...extra];
  const args = [];
  if (filter.versionColumn && filter.versions && filter.versions.length > 0) {
    conds.push(`CAST(${quoteIdent(filter.versionColumn)} AS TEXT) IN (${filter.versions.map(() => "?").join(",")})`);
    args.push(...filter.versions);
  }
  if (filter.versionColumn && filter.excludeVersions && filter.excludeVersions.length > 0) {
    conds.push(`CAST(${quoteIdent(filter.versionColumn)} AS TEXT) NOT IN (${filter.excludeVersions.map(() => "?").join(",")})`);
    args.push(...filter.excludeVersions);
  }
  for (const w of filter.where ?? []) {
    conds.push(`CAST(${quoteIdent(w.column)} AS TEXT) = ?`);
    args.push(w.value);
  }
  return { sql: conds.length > 0 ? `WHERE ${conds.join(" AND ")}` : "", args };
}
function rowAndRunCount(db, table, filter, idColumn) {
  const w = whereClause(filter);
  const runs = idColumn ? `count(DISTINCT ${quoteIdent(idColumn)})` : "count(*)";
  const r = db.prepare(`SELECT count(*) AS rows, ${runs} AS runs FROM ${quoteIdent(table)} ${w.sql}`).get(...w.args);
  return { rows: r.rows, runs: idColumn ? r.runs : r.rows };
}
function bestRow(db, table, metric, direction, filter) {
  const w = whereClause(filter, [`typeof(${quoteIdent(metric)}) IN ('integer', 'real')`]);
  const order = direction === "higher" ? "DESC" : "ASC";
  return db.prepare(`SELECT * FROM ${quoteIdent(table)} ${w.sql} ORDER BY ${quoteIdent(metric)} ${order}, rowid DESC LIMIT 1`).get(...w.args);
}
function newestRow(db, table, filter) {
  const w = whereClause(filter);
  return db.prepare(`SELECT * FROM ${quoteIdent(table)} ${w.sql} ORDER BY rowid DESC LIMIT 1`).get(...w.args);
}
function rowsOfRun(db, table, idColumn, id, limit = 1e3) {
  return db.prepare(`SELECT * FROM ${quoteIdent(table)} WHERE CAST(${quoteIdent(idColumn)} AS TEXT) = ? LIMIT ?`).all(id, limit);
}
var LONG_NAME_COLUMN = "metric_name";
var LONG_VALUE_COLUMN = "value";
function isLongTable(columns) {
  const names = columns.map((c) => c.name);
  return names.includes(LONG_NAME_COLUMN) && names.includes(LONG_VALUE_COLUMN);
}
function pivotLongTable(db, table, columns) {
  const keys = columns.filter((c) => c.name !== LONG_NAME_COLUMN && c.name !== LONG_VALUE_COLUMN && c.name !== "timestamp" && !/^(metric_id|id)$/.test(c.name));
  const metricNames = db.prepare(`SELECT DISTINCT CAST(${quoteIdent(LONG_NAME_COLUMN)} AS TEXT) AS m FROM ${quoteIdent(table)} WHERE ${quoteIdent(LONG_NAME_COLUMN)} IS NOT NULL ORDER BY 1`).all().map((r) => r.m);
  const taken = new Set(keys.map((k) => k.name));
  const metrics = metricNames.filter((m) => !taken.has(m));
  const view = `xv_pivot_${table.replace(/\W/g, "_")}`;
  const select = [
    ...keys.map((k) => quoteIdent(k.name)),
    ...metrics.map((m) => `max(CASE WHEN ${quoteIdent(LONG_NAME_COLUMN)} = '${m.replaceAll("'", "''")}' THEN ${quoteIdent(LONG_VALUE_COLUMN)} END) AS ${quoteIdent(m)}`),
    `min(rowid) AS rowid`
  ];
  db.exec(`CREATE TEMP VIEW IF NOT EXISTS ${quoteIdent(view)} AS SELECT ${select.join(", ")} FROM ${quoteIdent(table)} GROUP BY ${keys.map((k) => quoteIdent(k.name)).join(", ") || "1"}`);
  return { table: view, columns: [...keys, ...metrics.map((m) => ({ name: m, type: "REAL", pk: 0, notnull: false }))], metrics };
}
function rowsInWindow(db, table, versionColumn, version, from, to, limit = 1e3) {
  return db.prepare(`SELECT * FROM ${quoteIdent(table)} WHERE CAST(${quoteIdent(versionColumn)} AS TEXT) = ? AND julianday("timestamp") BETWEEN julianday(?) AND julianday(?) LIMIT ?`).all(version, from, to, limit);
}

// dist/domain/result-table.js
function resultTableOf(ctx, db) {
  const label = ctx.config.db;
  const tables = describeTables(db);
  const choice = chooseResultTable(tables, { table: ctx.config.table, versionColumn: ctx.config.versionColumn }, label);
  if (!choice)
    return void 0;
  const stored = tables.find((t) => t.table === choice.table)?.columns ?? [];
  if (isLongTable(stored)) {
    const pivot = pivotLongTable(db, choice.table, stored);
    checkMetrics(ctx.config.metrics, pivot.columns, choice.table, label);
    const configured = ctx.config.metrics.map((m) => m.name);
    const metrics = [...configured.filter((m) => pivot.metrics.includes(m)), ...pivot.metrics.filter((m) => !configured.includes(m))];
    return { table: pivot.table, source: choice.table, versionColumn: choice.versionColumn, columns: pivot.columns, names: pivot.columns.map((c) => c.name), metrics, long: true };
  }
  checkMetrics(ctx.config.metrics, stored, choice.table, label);
  return {
    table: choice.table,
    source: choice.table,
    versionColumn: choice.versionColumn,
    columns: stored,
    names: stored.map((c) => c.name),
    metrics: metricColumns(stored, choice.versionColumn, ctx.config.metrics),
    long: false
  };
}

export {
  rowAndRunCount,
  bestRow,
  newestRow,
  rowsOfRun,
  rowsInWindow,
  resultTableOf
};
