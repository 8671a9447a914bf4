import {
  claimTagVersion,
  consumeClaim,
  isOwner,
  isRunLog,
  keepWritesPrivate,
  listClaims,
  nextFreeVersion
} from "./chunk-OBDGWGJA.js";
import {
  dataInputsHash,
  findCacheObject,
  parsePointer,
  pointerSources
} from "./chunk-SYK6B5L3.js";
import {
  cacheDirOf,
  commitIndex,
  defaultRemote,
  indexTree,
  localRemoteDir,
  preloadProcessRunner,
  pushRefspecs,
  requireDvc,
  restoreIndex,
  stagePaths,
  statusEntries,
  undoCommit,
  upstreamOf
} from "./chunk-CMKTVAV3.js";
import {
  parseYaml,
  toYaml
} from "./chunk-VL2YUCNL.js";
import {
  bestRow,
  newestRow,
  resultTableOf,
  rowAndRunCount
} from "./chunk-4N3LEBDJ.js";
import {
  withSqliteFile
} from "./chunk-WQCHLIZ2.js";
import {
  checkpointForHashing
} from "./chunk-4EA4CMZF.js";
import {
  SUMMARY_FILE,
  SUMMARY_PARAMS_FILE,
  SUMMARY_SCHEMA
} from "./chunk-YADO2MUO.js";
import {
  withUndo
} from "./chunk-LWLXPS5P.js";
import {
  asVersion,
  freeAlternatives,
  parseVersion
} from "./chunk-II2DAUAW.js";
import {
  VERSION_COLUMNS,
  directionOf,
  fieldName,
  isBookkeeping
} from "./chunk-N3ADXXN7.js";
import {
  asText,
  formatNumber,
  formatParam,
  formatTagMessage,
  roundSane
} from "./chunk-3CSTKKST.js";
import "./chunk-XMJSE742.js";
import "./chunk-JVFBRQ5H.js";
import {
  SQLITE_SIDE_SUFFIXES,
  checkpointWal,
  isSqliteFile,
  openDb,
  summariseVersions
} from "./chunk-6R3MSQNP.js";
import {
  ConflictError,
  RefusedError,
  XvError,
  errorMessage
} from "./chunk-EEPF45DI.js";

// dist/domain/tagging.js
import { existsSync as existsSync7, readFileSync as readFileSync6, statSync as statSync3, writeFileSync as writeFileSync3 } from "node:fs";
import { join as join6 } from "node:path";

// dist/domain/artifacts-config.js
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
function stageOutputs(root) {
  const file = join(root, "dvc.yaml");
  const outs = /* @__PURE__ */ new Map();
  if (!existsSync(file))
    return outs;
  let doc;
  try {
    doc = parseYaml(readFileSync(file, "utf8"));
  } catch {
    return outs;
  }
  for (const [stage, body] of Object.entries(doc?.stages ?? {})) {
    for (const o of body?.outs ?? []) {
      if (typeof o === "string")
        outs.set(o.replace(/\/$/, ""), stage);
      else if (o && typeof o === "object")
        for (const k of Object.keys(o))
          outs.set(k.replace(/\/$/, ""), stage);
    }
  }
  return outs;
}
async function planArtifacts(ctx) {
  const stages = stageOutputs(ctx.root);
  const plan = { add: [], stageOuts: [], missing: [] };
  for (const raw of ctx.config.artifacts) {
    const path = raw.replace(/\/+$/, "");
    if (!existsSync(join(ctx.root, path))) {
      if (!raw.endsWith("/"))
        plan.missing.push(path);
    } else if (stages.has(path))
      plan.stageOuts.push(path);
    else
      plan.add.push(path);
  }
  if (plan.add.length > 0) {
    const inGit = await ctx.git.lsFiles(plan.add);
    if (inGit.length > 0)
      throw new XvError(`${inGit[0]} is tracked by git, so DVC cannot take it; untrack it once with 'git rm --cached -- ${inGit[0]}' and run xv tag again`);
  }
  return plan;
}

// dist/domain/publish-branch.js
async function branchTarget(git, remote) {
  const branch = await git.currentBranch();
  if (!branch)
    return void 0;
  const upstream = await upstreamOf(git, branch);
  if (upstream && upstream.remote === remote)
    return { branch, refspec: `refs/heads/${branch}:${upstream.ref}`, setUpstream: false };
  return { branch, refspec: `refs/heads/${branch}:refs/heads/${branch}`, setUpstream: !upstream };
}
async function publishWithBranch(git, remote, target, refspecs, timeoutMs) {
  const all = [...target ? [target.refspec] : [], ...refspecs];
  const outcome = await pushRefspecs(git, remote, all, { setUpstream: target?.setUpstream, timeoutMs });
  if (target) {
    const dest = target.refspec.slice(target.refspec.indexOf(":") + 1);
    const rejected = outcome.rejected.find((r) => r.ref === dest);
    if (rejected)
      outcome.branchRejected = rejected.reason;
    else if (outcome.accepted.includes(dest))
      outcome.branchPushed = target.branch;
  }
  return outcome;
}

// dist/domain/tag-summary.js
import { existsSync as existsSync3, mkdirSync, writeFileSync as writeFileSync2 } from "node:fs";
import { dirname, join as join3 } from "node:path";

// dist/domain/dvc-interop.js
import { isMap, isSeq, parseDocument } from "yaml";
function summaryPlotPoints(summary) {
  return [{ version: summary.version, ...summary.metrics }];
}

// dist/domain/tag-undo.js
import { existsSync as existsSync2, readdirSync, readFileSync as readFileSync2, rmSync, statSync, writeFileSync } from "node:fs";
import { join as join2 } from "node:path";
function snapshotFiles(root, files) {
  const saved = files.map((file) => {
    const abs = join2(root, file);
    return { abs, text: existsSync2(abs) ? readFileSync2(abs) : void 0 };
  });
  return {
    restore() {
      for (const { abs, text } of saved) {
        if (text === void 0)
          rmSync(abs, { force: true });
        else
          writeFileSync(abs, text);
      }
    }
  };
}
function removePartialObjects(ctx, remote, pointers, since) {
  const dir = remote ? localRemoteDir(remote.url) : void 0;
  if (!dir)
    return;
  const prefixes = /* @__PURE__ */ new Set();
  let anyDir = false;
  for (const pointer of pointers) {
    const abs = join2(ctx.root, pointer);
    if (!existsSync2(abs))
      continue;
    try {
      for (const out of parsePointer(readFileSync2(abs, "utf8"))) {
        if (out.md5)
          prefixes.add(out.md5.slice(0, 2));
        anyDir ||= out.isDir;
      }
    } catch {
    }
  }
  const folders = existsSync2(join2(dir, "files", "md5")) ? readdirSync(join2(dir, "files", "md5")) : [];
  for (const folder of folders) {
    if (!anyDir && !prefixes.has(folder))
      continue;
    const full = join2(dir, "files", "md5", folder);
    for (const name of readdirSync(full)) {
      if (!name.endsWith(".tmp"))
        continue;
      const st = statSync(join2(full, name), { throwIfNoEntry: false });
      if (st && st.mtimeMs >= since - 1e3)
        rmSync(join2(full, name), { force: true });
    }
  }
}
async function settled(work, ms, kill) {
  const done = work.then(() => true, () => true);
  const wait = (t) => Promise.race([done, new Promise((r) => setTimeout(() => r(false), t).unref())]);
  if (!await wait(ms)) {
    kill();
    await wait(1e3);
  }
}

// dist/domain/tag-summary.js
var MAX_METRIC_FIELDS = 4;
var MAX_PARAM_FIELDS = 8;
var MODEL = /^(params_)?(model|model_name|model_type|arch|architecture)$/i;
var RUN_ID_COLUMNS = ["track_id", "run_id"];
function scalar(value) {
  if (value === null || value === void 0)
    return null;
  if (typeof value === "number")
    return roundSane(value);
  if (typeof value === "boolean" || typeof value === "string")
    return value;
  if (typeof value === "bigint")
    return Number(value);
  return asText(value);
}
function roundAll(record) {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, roundSane(v)]));
}
async function summariseVersion(ctx, version) {
  const empty = { schema: SUMMARY_SCHEMA, version: version.tag, runs: 0, rows: 0, metrics: {}, means: {}, params: {} };
  const label = ctx.config.db;
  if (!existsSync3(ctx.dbPath))
    return { summary: { ...empty, note: "no result database" }, warnings: [`no result database at ${label}; the tag says 'no runs'`] };
  const versionColumns = [...ctx.config.versionColumn ? [ctx.config.versionColumn] : [], ...VERSION_COLUMNS];
  const rowsOfVersion = (_table, columns) => {
    const column = versionColumns.find((c) => columns.includes(c)) ?? columns.find((c) => /version$/i.test(c));
    return column ? { where: { column, values: [version.tag, version.semver] } } : "none";
  };
  return withSqliteFile(ctx.dbPath, label, rowsOfVersion, (file) => summariseFile(ctx, file, version, empty));
}
function summariseFile(ctx, file, version, empty) {
  const label = ctx.config.db;
  const db = openDb(file, { readonly: true, label });
  try {
    const t = resultTableOf(ctx, db);
    if (!t)
      return { summary: { ...empty, note: "no result table" }, warnings: [`no table of ${label} has a version column; the tag says 'no runs'`] };
    const { table, versionColumn, columns, names, metrics } = t;
    const idColumn = RUN_ID_COLUMNS.find((c) => names.includes(c));
    const filter = { versionColumn, versions: [version.tag, version.semver] };
    const counts = rowAndRunCount(db, table, filter, idColumn);
    const base = { ...empty, table: t.source, versionColumn };
    if (counts.rows === 0)
      return { summary: { ...base, note: `no rows labelled ${version.tag}` }, warnings: [`no rows with ${versionColumn} = ${version.tag} in ${label}; the tag says 'no runs'`] };
    const primary = ctx.config.metrics[0]?.name ?? metrics[0];
    const direction = primary ? directionOf(primary, ctx.config.metrics) : "higher";
    const row = (primary ? bestRow(db, table, primary, direction, filter) : void 0) ?? newestRow(db, table, filter) ?? {};
    const [means] = summariseVersions(db, table, versionColumn, columns.filter((c) => metrics.includes(c.name)), filter.versions, true);
    const best = {};
    const params = {};
    for (const name of names) {
      if (isBookkeeping(name, versionColumn))
        continue;
      const value = row[name];
      if (metrics.includes(name)) {
        if (typeof value === "number")
          best[name] = roundSane(value);
      } else
        params[name] = scalar(value);
    }
    const bestValue = primary ? row[primary] : void 0;
    const runId = idColumn ? row[idColumn] : void 0;
    return {
      summary: {
        ...base,
        runs: counts.runs,
        rows: counts.rows,
        ...primary && typeof bestValue === "number" ? { best: { ...runId !== void 0 && runId !== null ? { run: asText(runId) } : {}, metric: primary, direction, value: roundSane(bestValue) } } : {},
        metrics: best,
        means: roundAll(means?.means ?? {}),
        params
      },
      warnings: []
    };
  } finally {
    db.close();
  }
}
function messageFields(summary, configured) {
  const fields = {};
  if (summary.runs === 0) {
    fields.runs = "0";
  } else {
    let metricCount = 0;
    let paramCount = 0;
    const putMetric = (name) => {
      const key = fieldName(name);
      const value = summary.metrics[name];
      if (key in fields || value === void 0 || metricCount >= MAX_METRIC_FIELDS)
        return;
      fields[key] = formatNumber(value, Number.isInteger(value));
      metricCount++;
    };
    const putParam = (name) => {
      const key = fieldName(name);
      const value = formatParam(summary.params[name]);
      if (key in fields || value === "" || paramCount >= MAX_PARAM_FIELDS)
        return;
      fields[key] = value;
      paramCount++;
    };
    for (const name of configured)
      if (name in summary.metrics)
        putMetric(name);
    for (const name of Object.keys(summary.params))
      if (MODEL.test(name))
        putParam(name);
    for (const name of Object.keys(summary.metrics))
      putMetric(name);
    for (const name of Object.keys(summary.params))
      putParam(name);
    fields.runs = String(summary.runs);
  }
  if (summary.data)
    fields.data = summary.data;
  return fields;
}
var SUMMARY_FILES = [SUMMARY_FILE, SUMMARY_PARAMS_FILE];
async function tagResults(ctx, version) {
  const { summary, warnings } = await summariseVersion(ctx, version);
  return { fields: messageFields(summary, ctx.config.metrics.map((m) => m.name)), summary, warnings };
}
function tagMessageOf(ctx, results, description, sources) {
  const data = dataInputsHash(sources, ctx.config);
  return formatTagMessage({ fields: { ...results.fields, ...data ? { data } : {} }, description });
}
function writeTagSummary(ctx, results, sources, log) {
  const data = dataInputsHash(sources, ctx.config);
  const summary = { ...results.summary, ...data ? { data } : {} };
  const saved = snapshotFiles(ctx.root, SUMMARY_FILES);
  log.onUndo(() => saved.restore(), SUMMARY_FILE);
  for (const [file, text] of [
    [SUMMARY_FILE, `${JSON.stringify({ ...summary, plot: summaryPlotPoints(summary) }, null, 2)}
`],
    // plot: one record for `dvc plots`
    [SUMMARY_PARAMS_FILE, Object.keys(summary.params).length > 0 ? toYaml(summary.params) : "{}\n"]
  ]) {
    const abs = join3(ctx.root, file);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync2(abs, text);
  }
}

// dist/domain/tag-guards.js
import { existsSync as existsSync5, lstatSync, readdirSync as readdirSync3, readFileSync as readFileSync4, readlinkSync as readlinkSync2, realpathSync, statSync as statSync2, statfsSync } from "node:fs";
import { basename, dirname as dirname2, join as join4, resolve, sep } from "node:path";

// dist/adapters/processes.js
import { existsSync as existsSync4, readFileSync as readFileSync3, readdirSync as readdirSync2, readlinkSync } from "node:fs";
function commandOf(pid) {
  try {
    const argv = readFileSync3(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    const line = argv.join(" ").replace(/\s+/g, " ").trim();
    return line.length > 60 ? `${line.slice(0, 57)}...` : line || `pid ${pid}`;
  } catch {
    return `pid ${pid}`;
  }
}
function openForWriting(pid, fd) {
  try {
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync3(`/proc/${pid}/fdinfo/${fd}`, "utf8"))?.[1];
    return flags === void 0 || (Number.parseInt(flags, 8) & 3) !== 0;
  } catch {
    return false;
  }
}
function writersOf(paths) {
  if (!existsSync4("/proc/self/fd"))
    return [];
  const wanted = new Set(paths);
  const holders = [];
  for (const pid of readdirSync2("/proc")) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid)
      continue;
    let fds;
    try {
      fds = readdirSync2(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (wanted.has(target) && openForWriting(pid, fd)) {
        holders.push({ pid: Number(pid), command: commandOf(Number(pid)) });
        break;
      }
    }
  }
  return holders;
}

// dist/domain/tag-guards.js
function inside(path, dir) {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}
function resolvedPath(abs) {
  try {
    return realpathSync(abs);
  } catch {
    const st = lstatSync(abs, { throwIfNoEntry: false });
    if (st?.isSymbolicLink())
      return resolve(resolvedPath(dirname2(abs)) ?? dirname2(abs), readlinkSync2(abs));
    const parent = dirname2(abs);
    if (parent === abs)
      return void 0;
    const real = resolvedPath(parent);
    return real === void 0 ? void 0 : join4(real, basename(abs));
  }
}
function checkInsideRepo(ctx, artifacts) {
  const root = realpathSync(ctx.root);
  const cache = resolvedPath(cacheDirOf(ctx.root)) ?? cacheDirOf(ctx.root);
  const named = [...artifacts.map((a) => ({ path: a, what: "artifact" })), { path: ctx.config.db, what: "db" }];
  for (const { path, what } of named) {
    const abs = resolve(ctx.root, path);
    const fix = what === "db" ? "set 'db' in xv.yaml to a path inside it" : "list paths inside it under 'artifacts' in xv.yaml";
    if (!inside(abs, ctx.root))
      throw new RefusedError(`${what} '${path}' in xv.yaml is outside the repository; ${fix}`);
    const real = resolvedPath(abs);
    if (real && !inside(real, root) && !inside(real, cache))
      throw new RefusedError(`${what} '${path}' resolves outside the repository (${real}); copy the file into the repository instead of linking to it`);
  }
}
function settleSqliteFiles(ctx, paths, options) {
  for (const path of new Set(paths)) {
    const abs = join4(ctx.root, path);
    const sides = ["-wal", "-journal"].map((s) => abs + s).filter((f) => existsSync5(f));
    if (sides.length === 0 || !statSync2(abs, { throwIfNoEntry: false })?.isFile() || !isSqliteFile(abs))
      continue;
    const writers = writersOf([realpathSync(abs), ...sides.map((f) => realpathSync(f))]);
    const first = writers[0];
    if (first) {
      throw new ConflictError(`${path} is still open for writing by process ${first.pid} (${first.command}); let it finish (or close the database), then run xv tag again`);
    }
    if (options.checkpoint && !checkpointWal(abs, path))
      throw new ConflictError(`${path} is in use: another connection kept its write-ahead log from being checkpointed; close it, then run xv tag again`);
  }
}
function bytesToCache(abs) {
  const st = lstatSync(abs, { throwIfNoEntry: false });
  if (!st || st.isSymbolicLink())
    return 0;
  if (st.isFile())
    return st.nlink > 1 ? 0 : st.size;
  if (!st.isDirectory())
    return 0;
  let total = 0;
  for (const entry of readdirSync3(abs))
    total += bytesToCache(join4(abs, entry));
  return total;
}
function newArtifactBytes(root, path) {
  const abs = join4(root, path);
  const pointer = `${abs}.dvc`;
  if (existsSync5(pointer)) {
    try {
      const [out] = parsePointer(readFileSync4(pointer, "utf8"));
      const st = statSync2(abs);
      if (out?.md5 && !out.isDir && out.size === st.size && findCacheObject(cacheDirOf(root), out.md5))
        return 0;
    } catch {
    }
  }
  return bytesToCache(abs);
}
function existingAncestor(path) {
  let p = path;
  while (!existsSync5(p) && dirname2(p) !== p)
    p = dirname2(p);
  return p;
}
var MARGIN = 1024 * 1024;
function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
function checkFreeSpace(needs) {
  const byDevice = /* @__PURE__ */ new Map();
  for (const need of needs) {
    if (need.bytes <= 0)
      continue;
    const dir = existingAncestor(need.dir);
    const dev = statSync2(dir).dev;
    const entry = byDevice.get(dev) ?? { dir, bytes: 0, what: [] };
    entry.bytes += need.bytes;
    if (!entry.what.includes(need.what))
      entry.what.push(need.what);
    byDevice.set(dev, entry);
  }
  for (const { dir, bytes, what } of byDevice.values()) {
    const fs = statfsSync(dir);
    const free = fs.bavail * fs.bsize;
    if (free < bytes + MARGIN)
      throw new XvError(`not enough free disk space for xv tag on ${dir}: ${mb(bytes)} needed (${what.join(" + ")}), ${mb(free)} free; free some space (or move the DVC cache with 'dvc cache dir') and run it again`);
  }
}

// dist/domain/tag-staging.js
import { closeSync, existsSync as existsSync6, lstatSync as lstatSync2, openSync, readFileSync as readFileSync5, readSync } from "node:fs";
import { basename as basename2, dirname as dirname3, join as join5, posix } from "node:path";
var ARTIFACT_FOLDERS = ["models", "data", "results"];
var DATA_EXTENSIONS = /\.(bin|pt|pth|ckpt|safetensors|onnx|pb|h5|hdf5|keras|tflite|pkl|pickle|joblib|npy|npz|parquet|arrow|feather|db|sqlite3?|duckdb|gguf|mlmodel|tar|gz|zip|7z)$/i;
function sqliteIgnoreLines(db) {
  const lines = SQLITE_SIDE_SUFFIXES.map((s) => `*.db${s}`);
  if (!db.endsWith(".db"))
    lines.push(...SQLITE_SIDE_SUFFIXES.map((s) => `/${db}${s}`));
  return lines;
}
function missingIgnoreLines(root, db) {
  const file = join5(root, ".gitignore");
  const have = new Set(existsSync6(file) ? readFileSync5(file, "utf8").split("\n").map((l) => l.trim()) : []);
  return sqliteIgnoreLines(db).filter((l) => !have.has(l));
}
function isSideFile(path, db) {
  if (path === `${db}.wal`)
    return true;
  return SQLITE_SIDE_SUFFIXES.some((s) => path.endsWith(s) && (path.slice(0, -s.length) === db || /\.(db|sqlite3?)$/i.test(path.slice(0, -s.length))));
}
function under(path, dir) {
  return path === dir || path.startsWith(`${dir}/`);
}
function isBinary(abs) {
  const fd = openSync(abs, "r");
  try {
    const buf = Buffer.alloc(8e3);
    const head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
    if (head.includes(0))
      return true;
    let control = 0;
    for (const byte of head)
      if (byte < 32 && ![9, 10, 12, 13, 27].includes(byte))
        control++;
    return head.length > 0 && control / head.length > 0.1;
  } finally {
    closeSync(fd);
  }
}
async function planStaging(ctx, artifacts) {
  const dvcOwned = [...artifacts.add, ...artifacts.stageOuts];
  const folders = /* @__PURE__ */ new Set([...ARTIFACT_FOLDERS, ...ctx.config.artifacts.map((a) => a.replace(/\/+$/, "")).map((a) => a.includes("/") ? dirname3(a) : a)]);
  const artifactNames = new Set(ctx.config.artifacts.map((a) => basename2(a.replace(/\/+$/, ""))));
  const files = [];
  const offenders = [];
  for (const { code, path } of await statusEntries(ctx.git)) {
    if (dvcOwned.some((a) => under(path, a)) || isSideFile(path, ctx.config.db))
      continue;
    files.push(path);
    if (code[1] === "D" || code[0] === "D" && code[1] === " ")
      continue;
    const abs = join5(ctx.root, path);
    const st = lstatSync2(abs, { throwIfNoEntry: false });
    if (!st?.isFile())
      continue;
    if (st.size > ctx.config.maxGitFileSize)
      offenders.push({ path, why: `${(st.size / 1024 / 1024).toFixed(1)} MB, above maxGitFileSize` });
    else if (path !== ctx.config.db && !isRunLog(path, ctx.config.db) && ([...folders].some((f) => under(path, f)) || DATA_EXTENSIONS.test(path) || artifactNames.has(basename2(path))) && isBinary(abs))
      offenders.push({ path, why: "a binary data file" });
  }
  const first = offenders[0];
  if (first) {
    const more = offenders.length > 1 ? ` (and ${offenders.length - 1} more: ${offenders.slice(1, 4).map((o) => o.path).join(", ")}${offenders.length > 4 ? ", \u2026" : ""})` : "";
    throw new RefusedError(`xv tag would commit ${first.path} into git (${first.why})${more}; track it with DVC (add it to 'artifacts' in xv.yaml), list it in .gitignore, or delete it`);
  }
  const dvcFiles = /* @__PURE__ */ new Set();
  for (const a of artifacts.add) {
    dvcFiles.add(`${a}.dvc`);
    dvcFiles.add(posix.join(posix.dirname(a), ".gitignore"));
  }
  for (const a of artifacts.stageOuts)
    dvcFiles.add(posix.join(posix.dirname(a), ".gitignore"));
  if (artifacts.stageOuts.length > 0)
    dvcFiles.add("dvc.lock");
  return { files, dvcFiles: [...dvcFiles].filter((f) => !files.includes(f)) };
}

// dist/domain/tagging.js
function readResultFields(ctx, version) {
  return tagResults(ctx, version);
}
function noRunsResults(version, fields) {
  const note = Object.entries(fields).map(([k, v]) => `${k}=${v}`).join(" ");
  return {
    fields: { ...fields, runs: "0" },
    summary: { schema: SUMMARY_SCHEMA, version: version.tag, runs: 0, rows: 0, metrics: {}, means: {}, params: {}, ...note ? { note } : {} },
    warnings: []
  };
}
async function resultsFor(ctx, options, version) {
  return options.noRuns ? noRunsResults(version, options.noRuns.fields) : readResultFields(ctx, version);
}
function tagMessage(ctx, results, description, sources) {
  return tagMessageOf(ctx, results, description, sources);
}
async function predictVersion(ctx, requested, bump) {
  const tags = (await ctx.git.listTagNames()).map((t) => asVersion(t, ctx.config.prefix)).filter((v) => Boolean(v));
  if (requested) {
    if (tags.some((t) => t.tag === requested.tag))
      throw new XvError(`tag ${requested.tag} already exists; the next free version is ${freeAlternatives(requested, tags, ctx.config.prefix).join(" or ")} (or run 'xv tag' to pick it)`);
    return requested;
  }
  const mine = (await listClaims(ctx.git)).filter((c) => !c.remote && isOwner(c, { worktree: ctx.root }) && !tags.some((t) => t.tag === c.version));
  const owned = mine.map((c) => asVersion(c.version, ctx.config.prefix)).find((v) => Boolean(v));
  return owned ?? nextFreeVersion(ctx.git, ctx.config.prefix, bump);
}
async function planTag(ctx, options) {
  const requested = options.version === void 0 ? void 0 : parseVersion(options.version, ctx.config.prefix);
  checkInsideRepo(ctx, ctx.config.artifacts.map((a) => a.replace(/\/+$/, "")));
  const pushing = options.push && ctx.config.push;
  const empty = { add: [], stageOuts: [], missing: [] };
  const [version, artifacts, gitRemotes] = await Promise.all([
    predictVersion(ctx, requested, options.bump),
    options.commit ? planArtifacts(ctx) : Promise.resolve(empty),
    pushing ? ctx.git.remotes() : Promise.resolve([])
  ]);
  const warnings = artifacts.missing.length > 0 ? [`configured artifacts not found, skipped: ${artifacts.missing.join(", ")}`] : [];
  const tracked = [...artifacts.add, ...artifacts.stageOuts];
  if (tracked.length > 0) {
    if (!ctx.hasDvc())
      throw new XvError(`artifacts are configured (${tracked.join(", ")}) but DVC is not initialised here; run 'xv init' first`);
    requireDvc(`track the configured artifacts (${tracked.join(", ")})`);
  }
  const sqliteFiles = options.commit ? [ctx.config.db, ...artifacts.add.filter((a) => a !== ctx.config.db)] : [];
  settleSqliteFiles(ctx, sqliteFiles, { checkpoint: false });
  const staging = options.commit ? await planStaging(ctx, artifacts) : { files: [], dvcFiles: [] };
  if (options.commit)
    staging.files.push(...SUMMARY_FILES.filter((f) => !staging.files.includes(f)));
  const gitRemote = gitRemotes.includes("origin") ? "origin" : gitRemotes[0];
  const plan = {
    options,
    ...requested ? { requested } : {},
    version,
    artifacts,
    staging,
    ignoreLines: options.commit ? missingIgnoreLines(ctx.root, ctx.config.db) : [],
    sqliteFiles,
    dvcRemote: pushing && ctx.hasDvc() ? defaultRemote(ctx.root) : void 0,
    gitRemote,
    branch: gitRemote ? await branchTarget(ctx.git, gitRemote) : void 0,
    results: await resultsFor(ctx, options, version),
    warnings
  };
  if (!options.commit && (await ctx.git.statusLines()).length > 0)
    plan.warnings.push("uncommitted changes are not part of the tag (--no-commit)");
  checkFreeSpace(spaceNeeds(ctx, plan));
  return plan;
}
function spaceNeeds(ctx, plan) {
  const toCache = [...plan.artifacts.add, ...plan.artifacts.stageOuts].reduce((sum, a) => sum + newArtifactBytes(ctx.root, a), 0);
  const staged = plan.staging.files.reduce((sum, f) => sum + (statSync3(join6(ctx.root, f), { throwIfNoEntry: false })?.size ?? 0), 0);
  const needs = [
    { dir: ctx.cacheDir, bytes: toCache, what: "DVC cache" },
    { dir: ctx.location.commonDir, bytes: staged, what: "git objects" }
  ];
  const remote = plan.dvcRemote;
  if (remote && /^(\/|file:\/\/)/.test(remote.url))
    needs.push({ dir: remote.url.replace(/^file:\/\//, ""), bytes: toCache, what: `DVC remote '${remote.name}'` });
  return needs;
}
function describeSteps(plan, version, commitMessage) {
  const steps = [`claim ${version} (refs/xv/claims/${version}${plan.gitRemote ? `, pushed create-only to ${plan.gitRemote}` : ""})`];
  if (plan.ignoreLines.length > 0)
    steps.push(`add to .gitignore: ${plan.ignoreLines.join(" ")}`);
  const { add, stageOuts } = plan.artifacts;
  if (add.length > 0)
    steps.push(`dvc add ${add.join(" ")}`);
  if (stageOuts.length > 0)
    steps.push(`dvc commit --force ${stageOuts.join(" ")} (outputs of dvc.yaml stages, recorded in dvc.lock)`);
  if (plan.options.commit) {
    const files = [...plan.staging.files, ...plan.staging.dvcFiles, ...plan.ignoreLines.length > 0 && !plan.staging.files.includes(".gitignore") ? [".gitignore"] : []];
    steps.push(files.length > 0 ? `git add -- ${files.join(" ")}` : "git add: nothing to stage");
    steps.push(`git commit -m ${JSON.stringify(commitMessage)} (when something is staged)`);
  }
  steps.push(`git tag -a ${version}`);
  if (plan.dvcRemote)
    steps.push(`dvc push (remote '${plan.dvcRemote.name}')`);
  if (plan.gitRemote)
    steps.push(`git push ${plan.branch?.setUpstream ? "--set-upstream " : ""}${plan.gitRemote} ${plan.branch ? `${plan.branch.branch} ` : ""}${version}`);
  return steps;
}
function commitMessageOf(version, description) {
  return `experiment: ${version}${description ? ` - ${description}` : ""}`;
}
async function tagExperiment(ctx, options, hooks = {}) {
  if (!options.dryRun)
    preloadProcessRunner();
  const plan = await planTag(ctx, options);
  if (!options.dryRun)
    return executeTag(ctx, plan, hooks);
  const description = options.description?.trim();
  const results = plan.results;
  for (const w of [...plan.warnings, ...results.warnings])
    hooks.warn?.(w);
  return {
    version: plan.version.tag,
    message: tagMessage(ctx, results, description, await pointerSources(ctx)),
    dryRun: true,
    steps: describeSteps(plan, plan.version.tag, commitMessageOf(plan.version.tag, description)),
    staged: [...plan.staging.files, ...plan.staging.dvcFiles],
    warnings: [...plan.warnings, ...results.warnings],
    dvcPushed: false
  };
}
async function startDvc(ctx, plan, log, say) {
  const { add, stageOuts } = plan.artifacts;
  const remote = plan.dvcRemote;
  const run = { work: Promise.resolve(void 0), since: Date.now() };
  const pointers = plan.staging.dvcFiles.filter((f) => f.endsWith(".dvc") || f === "dvc.lock");
  if (add.length + stageOuts.length === 0) {
    if (remote)
      run.work = ctx.dvc().push().then(() => void 0, (error) => errorMessage(error));
    return run;
  }
  const files = snapshotFiles(ctx.root, plan.staging.dvcFiles);
  log.onUndo(() => files.restore(), `dvc add (${[...add, ...stageOuts].join(", ")})`);
  say(`dvc add ${[...add, ...stageOuts].join(" ")}${remote ? ` + dvc push \u2192 ${remote.name}` : ""}`);
  let markAdded;
  const added = new Promise((resolve2) => {
    markAdded = resolve2;
  });
  run.work = ctx.dvc().addAndPush({ add, commit: stageOuts, push: Boolean(remote) }, markAdded, (kill) => {
    run.kill = kill;
    return log.trackChild(kill);
  });
  log.onUndo(() => removePartialObjects(ctx, remote, pointers, run.since));
  log.onUndo(() => stopDvc(run));
  await Promise.race([added, run.work]);
  return run;
}
async function stopDvc(run) {
  await settled(run.work, 5e3, () => run.kill?.("SIGKILL"));
}
async function commitAndTag(ctx, plan, claimed, message, log, say) {
  const version = claimed.version.tag;
  const head = ctx.location.head;
  if (!head)
    throw new XvError("the repository has no commit to tag");
  let commit = head;
  const staged = [];
  if (plan.options.commit) {
    const index = await indexTree(ctx.git);
    log.onUndo(() => restoreIndex(ctx.git, index), "staged files");
    staged.push(...plan.staging.files, ...plan.staging.dvcFiles.filter((f) => existsSync7(join6(ctx.root, f))));
    if (plan.ignoreLines.length > 0 && !staged.includes(".gitignore"))
      staged.push(".gitignore");
    await stagePaths(ctx.git, staged);
    staged.splice(0, staged.length, ...await ctx.git.stagedPaths());
    if (staged.length > 0) {
      const subject = commitMessageOf(version, plan.options.description?.trim());
      say(`git commit: ${subject}`);
      let kill;
      const committing = commitIndex(ctx.git, subject, (k) => log.trackChild(kill = k));
      log.onUndo(async () => {
        await settled(committing, 3e3, () => kill?.("SIGKILL"));
        const now = await ctx.git.revParse("HEAD");
        if (!now || now === head || await ctx.git.revParse("HEAD^") !== head)
          return false;
        await undoCommit(ctx.git, now, head);
      }, "commit");
      commit = await committing;
    }
  }
  const text = await message();
  say(`git tag -a ${version}: ${text}`);
  log.onUndo(async () => {
    if (await ctx.git.revParse(`refs/tags/${version}^{commit}`) === commit)
      await ctx.git.deleteTag(version);
  }, `tag ${version}`);
  await ctx.git.createAnnotatedTag(version, text || version);
  return { commit, staged, message: text };
}
async function executeTag(ctx, plan, hooks = {}) {
  const say = hooks.step ?? (() => {
  });
  const description = plan.options.description?.trim();
  let dvc;
  const local = await withUndo(async (log) => {
    const claimed = await claimTagVersion(ctx, plan.requested, plan.options.bump, plan.gitRemote, log);
    settleSqliteFiles(ctx, plan.sqliteFiles, { checkpoint: true });
    if (existsSync7(ctx.dbPath))
      await checkpointForHashing(ctx.dbPath, ctx.config.db);
    const results = claimed.version.tag === plan.version.tag ? plan.results : await resultsFor(ctx, plan.options, claimed.version);
    if (plan.ignoreLines.length > 0) {
      const ignore = snapshotFiles(ctx.root, [".gitignore"]);
      log.onUndo(() => ignore.restore(), ".gitignore");
      const file = join6(ctx.root, ".gitignore");
      const text = existsSync7(file) ? readFileSync6(file, "utf8") : "";
      writeFileSync3(file, `${text}${text && !text.endsWith("\n") ? "\n" : ""}# SQLite side files (xv): never versioned
${plan.ignoreLines.join("\n")}
`);
    }
    if (plan.options.commit)
      writeTagSummary(ctx, results, await pointerSources(ctx), log);
    dvc = await startDvc(ctx, plan, log, say);
    const message = async () => tagMessage(ctx, results, description, await pointerSources(ctx));
    const done = await commitAndTag(ctx, plan, claimed, message, log, say);
    await consumeClaim(ctx, claimed);
    return { ...done, claimed, warnings: [...plan.warnings, ...claimed.warnings, ...results.warnings] };
  });
  for (const w of local.warnings)
    hooks.warn?.(w);
  const version = local.claimed.version.tag;
  const report = { version, message: local.message, commit: local.commit, dryRun: false, steps: [], staged: local.staged, warnings: local.warnings, dvcPushed: false };
  return publish(ctx, plan, local.claimed, dvc, report, { ...hooks, step: say });
}
async function publish(ctx, plan, claimed, dvc, report, hooks) {
  const version = report.version;
  const say = hooks.step ?? (() => {
  });
  return withUndo(async (log) => {
    if (dvc.kill)
      log.trackChild(dvc.kill);
    log.onUndo(() => removePartialObjects(ctx, plan.dvcRemote, plan.staging.dvcFiles, dvc.since));
    log.cannotUndo(`tag ${version} is local, not published`, `xv push ${version}`);
    const pushFailure = await dvc.work.catch((error) => errorMessage(error));
    await keepWritesPrivate(ctx.root, ctx.config);
    if (pushFailure)
      throw new XvError(`tag ${version} was created locally but publishing failed (${pushFailure}); finish with: xv push ${version}`);
    report.dvcPushed = Boolean(plan.dvcRemote);
    if (!plan.gitRemote)
      return report;
    say(`git push ${plan.gitRemote} ${plan.branch ? `${plan.branch.branch} ` : ""}${version}`);
    const refspecs = [`refs/tags/${version}:refs/tags/${version}`, ...claimed.onRemote ? [`:refs/xv/claims/${version}`] : []];
    const outcome = await publishWithBranch(ctx.git, plan.gitRemote, plan.branch, refspecs, ctx.config.remoteTimeout * 1e3);
    const tagRejected = outcome.rejected.find((r) => r.ref === `refs/tags/${version}`);
    if (outcome.unreachable || tagRejected || !outcome.accepted.includes(`refs/tags/${version}`))
      throw new XvError(`tag ${version} was created locally but publishing failed (${outcome.unreachable ?? tagRejected?.reason ?? "git push did not take the tag"}); finish with: xv push ${version}`);
    report.gitPushed = plan.gitRemote;
    report.branchPushed = outcome.branchPushed;
    if (outcome.branchRejected) {
      const warning = `branch ${plan.branch?.branch} was not pushed to ${plan.gitRemote} (${outcome.branchRejected}); the tag was. Pull, then 'git push'`;
      report.warnings.push(warning);
      hooks.warn?.(warning);
    }
    return report;
  }, { quietRollback: true });
}
export {
  noRunsResults,
  pointerSources,
  tagExperiment
};
