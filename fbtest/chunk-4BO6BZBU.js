import {
  listTables,
  openDb,
  quoteIdent
} from "./chunk-6R3MSQNP.js";
import {
  NotFoundError,
  RefusedError,
  XvError,
  errorMessage
} from "./chunk-EEPF45DI.js";

// dist/adapters/run-store.js
import { existsSync, lstatSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
var RUNS_TABLE = "xv_runs";
var RUN_ARTIFACTS_TABLE = "xv_run_artifacts";
var RUN_STATUSES = ["pending", "running", "completed", "failed", "cancelled"];
var COLUMNS = [
  ["run_id", "TEXT PRIMARY KEY"],
  ["name", "TEXT"],
  ["version", "TEXT NOT NULL"],
  ["status", "TEXT NOT NULL"],
  ["command", "TEXT NOT NULL"],
  ["cwd", "TEXT"],
  ["started_at", "TEXT"],
  ["ended_at", "TEXT"],
  ["duration_s", "REAL"],
  ["exit_code", "INTEGER"],
  ["signal", "TEXT"],
  ["error_tail", "TEXT"],
  ["commit_sha", "TEXT"],
  ["branch", "TEXT"],
  ["worktree", "TEXT"],
  ["dirty", "INTEGER"],
  ["diff_hash", "TEXT"],
  ["host", "TEXT"],
  ["user", "TEXT"],
  ["xv_version", "TEXT"],
  ["dvc_version", "TEXT"],
  ["python_version", "TEXT"],
  ["node_version", "TEXT"],
  ["pip_hash", "TEXT"],
  ["pip_freeze", "TEXT"],
  ["gpu", "TEXT"],
  ["seed", "TEXT"],
  ["params", "TEXT"],
  ["log_path", "TEXT"],
  ["rerun_of", "TEXT"],
  ["created_at", "TEXT NOT NULL"]
];
var CREATE = [
  `CREATE TABLE IF NOT EXISTS ${RUNS_TABLE} (${COLUMNS.map(([n, t]) => `${quoteIdent(n)} ${t}`).join(", ")})`,
  `CREATE INDEX IF NOT EXISTS xv_runs_version ON ${RUNS_TABLE} (version)`,
  `CREATE INDEX IF NOT EXISTS xv_runs_created ON ${RUNS_TABLE} (created_at)`,
  `CREATE TABLE IF NOT EXISTS ${RUN_ARTIFACTS_TABLE} (run_id TEXT NOT NULL, role TEXT NOT NULL, path TEXT NOT NULL, md5 TEXT NOT NULL, PRIMARY KEY (run_id, role, path))`,
  `CREATE INDEX IF NOT EXISTS xv_run_artifacts_md5 ON ${RUN_ARTIFACTS_TABLE} (md5)`
];
function openRunStore(path, label, writable) {
  if (!writable && !existsSync(path))
    return void 0;
  if (writable) {
    mkdirSync(dirname(path), { recursive: true });
    const st = existsSync(path) ? lstatSync(path) : void 0;
    if (st && (st.isSymbolicLink() || st.nlink > 1))
      throw new RefusedError(`${label} is linked to the DVC cache (${st.isSymbolicLink() ? "symlink" : "hardlink"}); make it a private copy first: dvc unprotect ${label}`);
  }
  const db = openDb(path, { readonly: !writable, create: writable, label });
  if (writable) {
    try {
      db.pragma("busy_timeout = 10000");
      db.exec(CREATE.join(";\n"));
    } catch (error) {
      db.close();
      throw new XvError(`cannot create the run tables in ${label}: ${errorMessage(error)}`);
    }
  }
  return db;
}
function hasRunTables(db) {
  return listTables(db).includes(RUNS_TABLE);
}
var UPSERT_RUN = (() => {
  const names = COLUMNS.map(([n]) => n);
  const set = names.filter((n) => n !== "run_id").map((n) => `${quoteIdent(n)} = excluded.${quoteIdent(n)}`);
  return `INSERT INTO ${RUNS_TABLE} (${names.map(quoteIdent).join(", ")}) VALUES (${names.map((n) => `@${n}`).join(", ")}) ON CONFLICT (run_id) DO UPDATE SET ${set.join(", ")}`;
})();
function writeRun(db, record, artifacts = []) {
  const run = db.prepare(UPSERT_RUN);
  const artifact = db.prepare(`INSERT OR REPLACE INTO ${RUN_ARTIFACTS_TABLE} (run_id, role, path, md5) VALUES (?, ?, ?, ?)`);
  db.transaction(() => {
    run.run(record);
    for (const r of artifacts)
      artifact.run(r.run_id, r.role, r.path, r.md5);
  })();
}
function getRun(db, runId) {
  if (!hasRunTables(db))
    return void 0;
  return db.prepare(`SELECT * FROM ${RUNS_TABLE} WHERE run_id = ?`).get(runId);
}
function requireRun(db, runId, label) {
  const run = db ? getRun(db, runId) : void 0;
  if (!run)
    throw noSuchRun(runId, label);
  return run;
}
function noSuchRun(runId, label) {
  return new NotFoundError("run", `no run '${runId}' in ${label}; see 'xv runs'`);
}
function runArtifacts(db, runId) {
  if (!listTables(db).includes(RUN_ARTIFACTS_TABLE))
    return [];
  return db.prepare(`SELECT * FROM ${RUN_ARTIFACTS_TABLE} WHERE run_id = ? ORDER BY role, path`).all(runId);
}
function queryRuns(db, filter) {
  if (!hasRunTables(db))
    return [];
  const conds = [];
  const args = [];
  const exact = [
    ["status = ?", filter.status],
    ["version = ?", filter.version],
    ["created_at >= ?", filter.since],
    ["created_at <= ?", filter.until],
    ["commit_sha LIKE ?", filter.commit && `${filter.commit}%`]
  ];
  for (const [cond, value] of exact) {
    if (!value)
      continue;
    conds.push(cond);
    args.push(value);
  }
  if (filter.inputMd5 || filter.inputPath) {
    const sub = [];
    if (filter.inputMd5) {
      sub.push("md5 LIKE ?");
      args.push(`${filter.inputMd5}%`);
    }
    if (filter.inputPath) {
      sub.push("path = ?");
      args.push(filter.inputPath);
    }
    conds.push(`run_id IN (SELECT run_id FROM ${RUN_ARTIFACTS_TABLE} WHERE role = 'input' AND ${sub.join(" AND ")})`);
  }
  for (const w of filter.where ?? []) {
    if (!COLUMNS.some(([n]) => n === w.column))
      throw new XvError(`unknown run column '${w.column}'; columns: ${COLUMNS.map(([n]) => n).join(", ")}`);
    conds.push(`CAST(${quoteIdent(w.column)} AS TEXT) = ?`);
    args.push(w.value);
  }
  const where = conds.length > 0 ? `WHERE ${conds.join(" AND ")}` : "";
  const limit = filter.limit ? `LIMIT ${Math.floor(filter.limit)}` : "";
  return db.prepare(`SELECT * FROM ${RUNS_TABLE} ${where} ORDER BY created_at DESC, rowid DESC ${limit}`).all(...args);
}
function countRuns(db) {
  if (!hasRunTables(db))
    return 0;
  return db.prepare(`SELECT count(*) AS n FROM ${RUNS_TABLE}`).get().n;
}
function runsWithOutput(db, md5) {
  if (!hasRunTables(db))
    return [];
  return db.prepare(`SELECT r.* FROM ${RUNS_TABLE} r JOIN ${RUN_ARTIFACTS_TABLE} a ON a.run_id = r.run_id WHERE a.role = 'output' AND a.md5 = ? ORDER BY r.created_at`).all(md5);
}

export {
  RUNS_TABLE,
  RUN_ARTIFACTS_TABLE,
  RUN_STATUSES,
  openRunStore,
  writeRun,
  requireRun,
  noSuchRun,
  runArtifacts,
  queryRuns,
  countRuns,
  runsWithOutput
};
