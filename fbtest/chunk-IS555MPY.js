import {
  bestRow,
  resultTableOf,
  rowsInWindow,
  rowsOfRun
} from "./chunk-4N3LEBDJ.js";
import {
  RUNS_TABLE,
  RUN_ARTIFACTS_TABLE,
  RUN_STATUSES,
  countRuns,
  noSuchRun,
  openRunStore,
  queryRuns,
  requireRun,
  runArtifacts
} from "./chunk-4BO6BZBU.js";
import {
  withSqliteFile
} from "./chunk-WQCHLIZ2.js";
import {
  retractedVersions
} from "./chunk-ASMXSKYY.js";
import {
  parseVersion
} from "./chunk-II2DAUAW.js";
import {
  directionOf,
  isBookkeeping,
  isMetricName
} from "./chunk-N3ADXXN7.js";
import {
  asText,
  roundSane
} from "./chunk-3CSTKKST.js";
import {
  openDb
} from "./chunk-6R3MSQNP.js";
import {
  NotFoundError,
  UsageError
} from "./chunk-EEPF45DI.js";

// dist/domain/run-query.js
import { existsSync } from "node:fs";
var DEFAULT_RUN_LIMIT = 50;
function parseWhere(items = []) {
  return items.map((item) => {
    const eq = item.indexOf("=");
    if (eq <= 0)
      throw new UsageError(`--where wants COLUMN=VALUE, got '${item}'`);
    return { column: item.slice(0, eq).trim(), value: item.slice(eq + 1) };
  });
}
function isoDate(text, flag) {
  if (text === void 0)
    return void 0;
  const t = Date.parse(text);
  if (!Number.isFinite(t))
    throw new UsageError(`${flag} wants a date (2026-11-23 or an ISO time), got '${text}'`);
  return new Date(t).toISOString();
}
async function listRuns(ctx, query) {
  if (query.status !== void 0 && !RUN_STATUSES.includes(query.status))
    throw new UsageError(`--status must be one of ${RUN_STATUSES.join(", ")}; got '${query.status}'`);
  const filter = {
    ...query.status ? { status: query.status } : {},
    ...query.version ? { version: parseVersion(query.version, ctx.config.prefix).tag } : {},
    since: isoDate(query.since, "--since"),
    until: isoDate(query.until, "--until"),
    ...query.commit ? { commit: query.commit } : {},
    where: parseWhere(query.where),
    limit: query.limit ?? DEFAULT_RUN_LIMIT
  };
  if (query.input) {
    const at = query.input.lastIndexOf("@");
    if (at > 0) {
      const path = query.input.slice(0, at).replace(/\/+$/, "");
      const version = parseVersion(query.input.slice(at + 1), ctx.config.prefix);
      const { trackedAtRevs } = await import("./lineage-KZZ6IYBD.js");
      const tracked = (await trackedAtRevs(ctx, [version.tag], { path })).get(version.tag);
      if (!tracked)
        throw new NotFoundError("version", `no experiment tag ${version.tag}; see 'xv list'`);
      const hit = tracked[0];
      if (!hit)
        throw new NotFoundError("path", `${path} is not tracked by DVC at ${version.tag}`);
      filter.inputMd5 = hit.md5;
    } else if (/^[0-9a-f]{6,32}(\.dir)?$/i.test(query.input))
      filter.inputMd5 = query.input.toLowerCase();
    else
      filter.inputPath = query.input.replace(/\/+$/, "");
  }
  const limit = filter.limit ?? DEFAULT_RUN_LIMIT;
  if (!existsSync(ctx.dbPath))
    return { runs: [], total: 0, limit, noDatabase: ctx.config.db };
  return withSqliteFile(ctx.dbPath, ctx.config.db, runTablesOnly, (file) => {
    const db = openRunStore(file, ctx.config.db, false);
    if (!db)
      return { runs: [], total: 0, limit, noDatabase: ctx.config.db };
    try {
      return { runs: queryRuns(db, filter), total: countRuns(db), limit };
    } finally {
      db.close();
    }
  });
}
var runTablesOnly = (table) => table === RUNS_TABLE || table === RUN_ARTIFACTS_TABLE ? "all" : "none";
async function showRun(ctx, runId) {
  if (!existsSync(ctx.dbPath))
    throw noSuchRun(runId, ctx.config.db);
  return withSqliteFile(ctx.dbPath, ctx.config.db, () => "all", (file) => showRunIn(ctx, file, runId));
}
function showRunIn(ctx, file, runId) {
  const db = openRunStore(file, ctx.config.db, false);
  if (!db)
    throw noSuchRun(runId, ctx.config.db);
  try {
    const run = requireRun(db, runId, ctx.config.db);
    const artifacts = runArtifacts(db, runId);
    const t = resultTableOf(ctx, db);
    const idColumn = t?.names.find((c) => c === "track_id" || c === "run_id");
    let rows = t && idColumn ? rowsOfRun(db, t.table, idColumn, runId) : [];
    if (t && rows.length === 0 && run.started_at && run.ended_at && t.names.includes("timestamp"))
      rows = rowsInWindow(db, t.table, t.versionColumn, run.version, run.started_at, run.ended_at);
    return {
      run: { ...run, command: JSON.parse(run.command), params: run.params ? JSON.parse(run.params) : {} },
      inputs: artifacts.filter((a) => a.role === "input"),
      outputs: artifacts.filter((a) => a.role === "output"),
      rows,
      ...t ? { table: t.source } : {}
    };
  } finally {
    db.close();
  }
}
async function bestRun(ctx, options) {
  const retractedPromise = options.all ? Promise.resolve(/* @__PURE__ */ new Map()) : retractedVersions(ctx.git);
  retractedPromise.catch(() => {
  });
  const label = ctx.config.db;
  return withSqliteFile(ctx.dbPath, label, () => "all", (file) => bestRunIn(ctx, file, options, retractedPromise));
}
async function bestRunIn(ctx, file, options, retractedPromise) {
  const label = ctx.config.db;
  const db = openDb(file, { readonly: true, label });
  try {
    const t = resultTableOf(ctx, db);
    if (!t)
      throw new NotFoundError("table", `no table of ${label} has a version column; nothing to rank`);
    if (!t.names.includes(options.metric))
      throw new NotFoundError("metric", `unknown metric '${options.metric}' in table '${t.source}' of ${label}; metrics: ${t.metrics.join(", ") || "(none)"}`);
    const where = parseWhere(options.where);
    for (const w of where)
      if (!t.names.includes(w.column))
        throw new NotFoundError("column", `unknown column '${w.column}' in table '${t.source}' of ${label}; columns: ${t.names.join(", ")}`);
    const direction = options.direction ?? directionOf(options.metric, ctx.config.metrics);
    const version = options.version ? parseVersion(options.version, ctx.config.prefix) : void 0;
    const filter = { versionColumn: t.versionColumn, ...version ? { versions: [version.tag, version.semver] } : {}, where };
    let row = bestRow(db, t.table, options.metric, direction, filter);
    const retracted = await retractedPromise;
    if (row && retracted.has(String(row[t.versionColumn])))
      row = bestRow(db, t.table, options.metric, direction, { ...filter, excludeVersions: [...retracted.keys()] });
    if (!row)
      throw new NotFoundError("run", `no row of '${t.table}' has a number in '${options.metric}'${version ? ` for ${version.tag}` : ""}${where.length > 0 ? " with those --where filters" : ""}`);
    const idColumn = t.names.find((c) => c === "track_id" || c === "run_id");
    const params = {};
    const metrics = {};
    const metricSet = /* @__PURE__ */ new Set([...t.metrics, ...t.names.filter((c) => isMetricName(c))]);
    for (const c of t.names) {
      if (isBookkeeping(c, t.versionColumn))
        continue;
      const v = row[c];
      if (metricSet.has(c)) {
        if (typeof v === "number")
          metrics[c] = roundSane(v);
      } else
        params[c] = typeof v === "number" ? roundSane(v) : v;
    }
    return {
      metric: options.metric,
      direction,
      value: roundSane(row[options.metric]),
      version: String(row[t.versionColumn]),
      ...idColumn && row[idColumn] != null ? { run: asText(row[idColumn]) } : {},
      table: t.source,
      params,
      metrics
    };
  } finally {
    db.close();
  }
}

export {
  listRuns,
  showRun,
  bestRun
};
