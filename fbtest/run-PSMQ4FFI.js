import {
  renderRun
} from "./chunk-IENRH4TZ.js";
import {
  CLAIM_NAMESPACES,
  ObjectLookup,
  RunLog,
  claimNext,
  claimTimeoutMs,
  claimVersion,
  claimsOf,
  fetchClaims,
  isOwner,
  md5File,
  pushClaim,
  releaseClaim,
  unprotect
} from "./chunk-OBDGWGJA.js";
import {
  cacheObjectCandidates,
  dataInputs,
  findCacheObject,
  parseLock,
  parsePointer,
  pointerSources,
  producedPaths
} from "./chunk-SYK6B5L3.js";
import {
  silentProgress
} from "./chunk-TJ5UTIZP.js";
import {
  PY_QUIET_INTERRUPT,
  addWorktree,
  cacheDirOf,
  dvcPython,
  findDvc,
  isExecutable,
  isLocalPath,
  mergeDvcConfig,
  pruneWorktrees,
  readDvcConfig,
  remotesFrom,
  removeWorktree,
  requireDvc,
  treeEntries,
  treeFiles,
  watchInactivity,
  withSettings
} from "./chunk-CMKTVAV3.js";
import {
  loadConfig
} from "./chunk-VL2YUCNL.js";
import {
  RUNS_TABLE,
  RUN_ARTIFACTS_TABLE,
  openRunStore,
  requireRun,
  runArtifacts,
  writeRun
} from "./chunk-4BO6BZBU.js";
import {
  withSqliteFile
} from "./chunk-WQCHLIZ2.js";
import {
  isDuckDbFile
} from "./chunk-4EA4CMZF.js";
import {
  jsonResult
} from "./chunk-DYBLBKAL.js";
import {
  isInside,
  nearest,
  resolveRev
} from "./chunk-OYB5AZOM.js";
import {
  interrupted,
  withUndo
} from "./chunk-LWLXPS5P.js";
import {
  asVersion,
  compareVersions,
  parseVersion
} from "./chunk-II2DAUAW.js";
import {
  VERSION_COLUMNS
} from "./chunk-N3ADXXN7.js";
import {
  progress,
  warn
} from "./chunk-WWW47GSY.js";
import "./chunk-3CSTKKST.js";
import {
  relayEnv,
  relayProgress
} from "./chunk-XMJSE742.js";
import "./chunk-JVFBRQ5H.js";
import {
  DEFAULT_ID_COLUMN,
  addColumn,
  appendNewRows,
  appendNewRuns,
  attach,
  countRows,
  createTableLike,
  isSqliteFile,
  listColumnsIn,
  mergeByKey,
  openTarget,
  replaceByKey,
  snapshotTo,
  tablesIn
} from "./chunk-6R3MSQNP.js";
import {
  ConflictError,
  NotFoundError,
  RefusedError,
  ToolError,
  UsageError,
  XvError,
  errorMessage,
  firstLine
} from "./chunk-EEPF45DI.js";

// dist/domain/runs.js
import { createHash as createHash3, randomBytes as randomBytes2 } from "node:crypto";
import { existsSync as existsSync9, readdirSync as readdirSync3, rmSync as rmSync9, statSync as statSync4 } from "node:fs";
import { dirname as dirname7, join as join11, relative as relative3 } from "node:path";

// dist/domain/provenance.js
import { createHash } from "node:crypto";
import { existsSync as existsSync2, readFileSync as readFileSync2, readdirSync as readdirSync2, realpathSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { basename as basename2, delimiter, dirname as dirname2, join as join2, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";

// dist/domain/provenance-python.js
import { execFile } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
var DIST_INFO = /\.dist-info$/;
function venvConfig(py) {
  const cfg = join(dirname(dirname(py)), "pyvenv.cfg");
  if (!existsSync(cfg))
    return void 0;
  const out = {};
  for (const line of readFileSync(cfg, "utf8").split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0)
      out[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return out;
}
function readHead(path, bytes = 4096) {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(bytes);
    return buf.toString("utf8", 0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}
function header(text, name) {
  for (const line of text.split("\n")) {
    if (line.trim() === "")
      break;
    if (line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      return line.slice(name.length + 1).trim();
  }
  return void 0;
}
function freezeLine(infoDir) {
  let meta;
  try {
    meta = readHead(join(infoDir, "METADATA"));
  } catch {
    return void 0;
  }
  const name = header(meta, "Name");
  const version = header(meta, "Version");
  if (!name || !version)
    return void 0;
  const direct = join(infoDir, "direct_url.json");
  if (!existsSync(direct))
    return `${name}==${version}`;
  try {
    const doc = JSON.parse(readFileSync(direct, "utf8"));
    if (!doc.url)
      return `${name}==${version}`;
    if (doc.dir_info?.editable)
      return `-e ${doc.url}`;
    if (doc.vcs_info?.vcs)
      return `${name} @ ${doc.vcs_info.vcs}+${doc.url}${doc.vcs_info.commit_id ? `@${doc.vcs_info.commit_id}` : ""}`;
    return `${name} @ ${doc.url}`;
  } catch {
    return `${name}==${version}`;
  }
}
function readVenv(py) {
  const cfg = venvConfig(py);
  if (!cfg || cfg["include-system-site-packages"] === "true")
    return void 0;
  const version = /^(\d+\.\d+\.\d+)/.exec(cfg.version ?? cfg.version_info ?? "")?.[1];
  const lib = join(dirname(dirname(py)), "lib");
  const pythons = existsSync(lib) ? readdirSync(lib).filter((d) => /^python\d/.test(d)) : [];
  const site = pythons.map((d) => join(lib, d, "site-packages")).filter((d) => existsSync(d));
  if (!version || site.length !== 1 || !site[0])
    return void 0;
  const packages = [];
  for (const entry of readdirSync(site[0])) {
    if (!DIST_INFO.test(entry))
      continue;
    const line = freezeLine(join(site[0], entry));
    if (line)
      packages.push(line);
  }
  return { version, packages };
}
function outputOf(cmd, args, cwd, timeoutMs2 = 6e4) {
  return new Promise((done) => {
    execFile(cmd, args, { cwd, timeout: timeoutMs2, maxBuffer: 32 * 1024 * 1024, encoding: "utf8" }, (error, stdout) => done(error ? void 0 : stdout));
  });
}
async function pythonEnv(py, cwd) {
  const fromFiles = basename(dirname(py)) === "bin" ? readVenv(py) : void 0;
  if (fromFiles)
    return fromFiles;
  const [version, freeze] = await Promise.all([
    outputOf(py, ["-c", "import sys; print(sys.version.split()[0])"], cwd),
    outputOf(py, ["-m", "pip", "freeze", "--all"], cwd)
  ]);
  return {
    ...version?.trim() ? { version: version.trim() } : {},
    ...freeze === void 0 ? {} : { packages: freeze.split("\n").map((l) => l.trim()).filter(Boolean) }
  };
}

// dist/domain/provenance.js
var PACKAGE_ROOT = resolve(dirname2(fileURLToPath(import.meta.url)), "..", "..");
var PARAMS_CAP = 64 * 1024;
function onPath(name) {
  if (name.includes("/"))
    return isExecutable(name) ? name : void 0;
  for (const dir of (process.env.PATH ?? "").split(delimiter))
    if (dir && isExecutable(join2(dir, name)))
      return join2(dir, name);
  return void 0;
}
function xvVersion() {
  try {
    return JSON.parse(readFileSync2(join2(PACKAGE_ROOT, "package.json"), "utf8")).version;
  } catch {
    return void 0;
  }
}
async function dvcVersionCheap(cwd) {
  const bin = findDvc();
  if (!bin)
    return void 0;
  try {
    const lib = join2(dirname2(dirname2(realpathSync(bin))), "lib");
    for (const py of readdirSync2(lib)) {
      const site = join2(lib, py, "site-packages");
      if (!existsSync2(site))
        continue;
      const info = readdirSync2(site).find((d) => /^dvc-[\d.]+.*\.dist-info$/.test(d));
      if (info)
        return info.slice(4, -".dist-info".length);
    }
  } catch {
  }
  return (await outputOf(bin, ["--version"], cwd, 3e4))?.trim().split("\n")[0];
}
function pythonOf(command) {
  const first = command[0];
  if (!first || !/^python(\d+(\.\d+)?)?$/.test(basename2(first)))
    return void 0;
  return onPath(first);
}
async function pythonInfo(command, cwd) {
  const py = pythonOf(command);
  if (!py)
    return { python_version: null, pip_hash: null, pip_freeze: null };
  const env = await pythonEnv(py, cwd);
  const list = env.packages?.sort().join("\n");
  return {
    python_version: env.version ?? null,
    pip_freeze: list ?? null,
    pip_hash: list === void 0 ? null : createHash("sha256").update(list).digest("hex").slice(0, 16)
  };
}
async function gpuInfo(cwd) {
  const smi = onPath("nvidia-smi");
  if (!smi)
    return null;
  const out = await outputOf(smi, ["--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"], cwd, 1e4);
  if (!out)
    return null;
  const header2 = await outputOf(smi, [], cwd, 1e4);
  const cuda = /CUDA Version:\s*([\d.]+)/.exec(header2 ?? "")?.[1];
  return JSON.stringify({ gpus: out.trim().split("\n"), ...cuda ? { cuda } : {} });
}
function paramsFiles(root) {
  const names = /* @__PURE__ */ new Set(["params.yaml"]);
  try {
    const doc = parseYaml(readFileSync2(join2(root, "dvc.yaml"), "utf8"));
    for (const stage of Object.values(doc?.stages ?? {}))
      for (const p of stage?.params ?? [])
        if (p && typeof p === "object")
          for (const file of Object.keys(p))
            names.add(file);
  } catch {
  }
  const out = {};
  for (const name of names) {
    const abs = join2(root, name);
    if (name.includes("..") || !existsSync2(abs))
      continue;
    try {
      out[name] = readFileSync2(abs, "utf8").slice(0, PARAMS_CAP);
    } catch {
    }
  }
  return out;
}
async function codeState(ctx, exclude) {
  const spec = [".", ...exclude.map((p) => `:(exclude)${p}`)];
  const lines = await ctx.git.statusUnder(spec);
  if (lines.length === 0)
    return { dirty: 0, diff_hash: null };
  const diff = ctx.location.head && lines.some((l) => !l.startsWith("??")) ? await ctx.git.diffFromHead(spec) : "";
  const untracked = lines.filter((l) => l.startsWith("??")).sort().join("\n");
  const hash = createHash("sha256").update(diff).update("\0").update(untracked).digest("hex").slice(0, 16);
  return { dirty: 1, diff_hash: hash };
}
function safeUser() {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? "unknown";
  }
}
async function gatherProvenance(ctx, command, branch, exclude) {
  const [code, dvc, py, gpu] = await Promise.all([codeState(ctx, exclude), dvcVersionCheap(ctx.root), pythonInfo(command, ctx.root), gpuInfo(ctx.root)]);
  const params = paramsFiles(ctx.root);
  return {
    commit_sha: ctx.location.head ?? null,
    branch: branch ?? null,
    worktree: ctx.root,
    ...code,
    host: hostname(),
    user: safeUser(),
    xv_version: xvVersion() ?? null,
    dvc_version: dvc ?? null,
    node_version: process.version,
    ...py,
    gpu,
    params: Object.keys(params).length > 0 ? JSON.stringify(params) : null
  };
}

// dist/domain/run-process.js
import { spawn } from "node:child_process";
import { constants } from "node:os";
function forwardSignals(child) {
  let interrupted2;
  const handlers = ["SIGINT", "SIGTERM", "SIGHUP"].map((signal) => {
    const handler = () => {
      interrupted2 ??= signal;
      try {
        if (child.pid)
          process.kill(-child.pid, signal);
      } catch {
      }
    };
    process.on(signal, handler);
    return [signal, handler];
  });
  return { interrupted: () => interrupted2, stop: () => handlers.forEach(([signal, handler]) => process.removeListener(signal, handler)) };
}
function runCommand(command, cwd, env, log, hooks = {}) {
  const [file, ...args] = command;
  if (file === void 0)
    return Promise.reject(new UsageError("no command to run; give it after '--', e.g. xv run -- python train.py"));
  return new Promise((resolve5) => {
    let settled = false;
    const startedAt = /* @__PURE__ */ new Date();
    const child = spawn(file, args, { cwd, env: { ...process.env, ...env }, stdio: ["inherit", "pipe", "pipe"], detached: true });
    const signals = forwardSignals(child);
    const settle = (outcome) => {
      signals.stop();
      const interrupted2 = signals.interrupted();
      if (!settled)
        resolve5({ ...outcome, ...interrupted2 ? { interrupted: interrupted2 } : {}, startedAt, endedAt: /* @__PURE__ */ new Date() });
      settled = true;
    };
    child.stdout.on("data", (chunk) => {
      ;
      (hooks.stdoutTo === "stderr" ? process.stderr : process.stdout).write(chunk);
      log.out(chunk);
    });
    child.stderr.on("data", (chunk) => {
      process.stderr.write(chunk);
      log.err(chunk);
    });
    child.once("spawn", () => hooks.onSpawn?.(startedAt));
    child.once("error", (error) => {
      const why = error.code === "ENOENT" ? `command not found: ${file}` : error.code === "EACCES" ? `not executable: ${file}` : error.message;
      settle({ exitCode: 127, startError: why });
    });
    child.once("close", (code, signal) => {
      const signo = signal ? constants.signals[signal] ?? 0 : 0;
      settle({ exitCode: code ?? 128 + signo, ...signal ? { signal } : {} });
    });
  });
}

// dist/domain/run-record-duckdb.js
import { mkdirSync as mkdirSync4, rmSync as rmSync8 } from "node:fs";
import { dirname as dirname6, join as join10, relative as relative2 } from "node:path";

// dist/adapters/merge-db.js
import { existsSync as existsSync3, rmSync } from "node:fs";
function targetKindOf(path) {
  if (existsSync3(path))
    return isDuckDbFile(path) ? "duckdb" : "sqlite";
  return /\.(duckdb|ddb)$/i.test(path) ? "duckdb" : "sqlite";
}
async function openMergeDb(path, label, waitMs) {
  if (targetKindOf(path) === "duckdb") {
    const { openDuckMergeDb } = await import("./merge-duckdb-R5J36XZ2.js");
    return openDuckMergeDb(path, label);
  }
  return openSqliteMergeDb(path, label, waitMs);
}
function openSqliteMergeDb(path, label, waitMs) {
  const db = openTarget(path, label, waitMs);
  const copies = [];
  const now = (fn) => {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  return {
    kind: "sqlite",
    async attach(file, schema, sourceLabel) {
      let attachFile = file;
      if (isDuckDbFile(file)) {
        const { duckToSqliteCopy } = await import("./result-store-convert-KQGYZ55M.js");
        const copy = await duckToSqliteCopy(file, sourceLabel);
        copies.push(copy.cleanup);
        attachFile = copy.file;
      }
      attach(db, attachFile, schema);
    },
    tables: (schema) => now(() => tablesIn(db, schema)),
    columns: (schema, table) => now(() => listColumnsIn(db, schema, table)),
    count: (schema, table) => now(() => countRows(db, schema, table)),
    createTableLike: (_schema, _table, sql) => now(() => {
      createTableLike(db, sql);
    }),
    addColumn: (table, column, type) => now(() => {
      addColumn(db, table, column, type);
    }),
    appendNewRuns: (schema, table, columns, id) => now(() => appendNewRuns(db, schema, table, columns, id)),
    appendNewRows: (schema, table, columns) => now(() => appendNewRows(db, schema, table, columns)),
    replaceByKey: (schema, table, columns, keys) => now(() => replaceByKey(db, schema, table, columns, keys)),
    mergeByKey: (schema, table, columns, keys, win) => now(() => mergeByKey(db, schema, table, columns, keys, win)),
    snapshotTo: (file) => now(() => {
      snapshotTo(db, file);
    }),
    begin: () => now(() => {
      try {
        db.exec("BEGIN IMMEDIATE");
      } catch (error) {
        throw new XvError(`${label} is locked by another writer (another xv merge?) and stayed locked; try again (${errorMessage(error)})`);
      }
    }),
    commit: () => now(() => {
      db.exec("COMMIT");
    }),
    rollback: () => now(() => {
      if (db.inTransaction)
        db.exec("ROLLBACK");
    }),
    close: () => now(() => {
      db.close();
      for (const cleanup of copies)
        cleanup();
    })
  };
}
function removeCreatedTarget(path) {
  for (const f of [path, `${path}.wal`, `${path}-journal`])
    rmSync(f, { force: true });
}

// dist/domain/merge.js
import { accessSync, appendFileSync, constants as constants3, copyFileSync as copyFileSync2, mkdirSync as mkdirSync3, readFileSync as readFileSync5, existsSync as existsSync8, realpathSync as realpathSync3, renameSync as renameSync4, rmSync as rmSync7, statSync as statSync3 } from "node:fs";
import { basename as basename7, dirname as dirname5, isAbsolute as isAbsolute4, join as join9, relative, resolve as resolve4, sep } from "node:path";

// dist/domain/at-revision.js
import { mkdtempSync as mkdtempSync2, rmSync as rmSync6, statSync as statSync2 } from "node:fs";
import { tmpdir as tmpdir2 } from "node:os";
import { basename as basename5, join as join8 } from "node:path";

// dist/domain/cache-plan.js
import { join as join6, posix } from "node:path";

// dist/domain/object-fetch.js
import { chmodSync, existsSync as existsSync6, mkdirSync as mkdirSync2, renameSync as renameSync3, rmSync as rmSync5 } from "node:fs";
import { dirname as dirname4 } from "node:path";

// dist/adapters/dvc-python-error.js
var PY_REPORT_ERROR = `except Exception as exc:
    message = " ".join(str(exc).split()) or type(exc).__name__
    cause = exc.__cause__ or exc.__context__
    if cause is not None and str(cause) and str(cause) not in message:
        message += ": " + " ".join(str(cause).split())
    print("XV-ERROR " + message, flush=True)
    sys.exit(2)
`;

// dist/adapters/dvc-fetch.js
var RemoteUnreachableError = class extends ToolError {
};
var RemoteStalledError = class extends RemoteUnreachableError {
};
var DRIVER = `${PY_QUIET_INTERRUPT}
import json, sys
step = json.loads(sys.argv[1])
try:
    from dvc.repo import Repo
    from dvc_data.hashfile.hash_info import HashInfo
    with Repo(step["root"]) as repo:
        objs = [HashInfo("md5", h) for h in step["md5s"]]
        res = repo.cloud.pull(objs, remote=step.get("remote") or None)
        print("XV-RESULT " + json.dumps({"fetched": sorted(h.value for h in res.transferred), "failed": sorted(h.value for h in res.failed)}), flush=True)
${PY_REPORT_ERROR}`;
async function runWatched(file, args, cwd, watch, progress2 = false) {
  const { execa } = await import("execa");
  const env = { DVC_NO_ANALYTICS: "1", DVC_NO_UPDATER: "1", ...progress2 ? relayEnv() : {} };
  const child = execa(file, args, { cwd, stdin: "ignore", reject: false, env });
  const relay = progress2 ? relayProgress(child.stderr) : void 0;
  const inactivity = watchInactivity(child, watch.timeoutSec);
  try {
    const res = await child;
    if (inactivity.timedOut)
      throw new RemoteStalledError("dvc", args, `DVC remote ${watch.remote} made no progress for ${watch.timeoutSec} s; gave up (raise remoteTimeout in xv.yaml to wait longer)`);
    return { exitCode: res.exitCode, stdout: res.stdout, stderr: res.stderr };
  } finally {
    relay?.stop();
    inactivity.stop();
  }
}
var CONNECT = /connect|unreachable|timed? ?out|resolve|refused|credentials|no such host|endpoint|does not exist|permission|access denied|forbidden/i;
async function fetchObjectsWithDvc(root, md5s, watch, remote) {
  const python = dvcPython();
  if (!python)
    throw new XvError("fetching single objects needs a pip-installed dvc");
  const res = await runWatched(python, ["-c", DRIVER, JSON.stringify({ root, md5s, remote })], root, watch, true);
  const result = /^XV-RESULT (.*)$/m.exec(res.stdout);
  if (result?.[1]) {
    const doc = JSON.parse(result[1]);
    const fetched = new Set(doc.fetched);
    return { fetched: md5s.filter((m) => fetched.has(m)), missing: md5s.filter((m) => !fetched.has(m)) };
  }
  const error = /^XV-ERROR (.*)$/m.exec(res.stdout)?.[1] ?? (firstLine(res.stderr) || `exit code ${res.exitCode ?? "?"}`);
  if (CONNECT.test(error))
    throw new RemoteUnreachableError("dvc", ["fetch"], error, { stderr: res.stderr, exitCode: res.exitCode });
  throw new ToolError("dvc", ["fetch"], error, { stderr: res.stderr, exitCode: res.exitCode });
}
function dvcMessages(stderr, level) {
  const out = [];
  let current;
  for (const raw of stderr.split("\n")) {
    const line = raw.trim();
    if (/^(ERROR|WARNING|INFO):/.test(line)) {
      current = line.startsWith(`${level}:`) ? [line.slice(level.length + 1).trim()] : void 0;
      if (current)
        out.push("");
    } else if (current && line && !/^<?https?:\/\//.test(line) && !/^(Is your cache up to date\?|Having any troubles)/.test(line))
      current.push(line);
    if (current)
      out[out.length - 1] = current.join(" ");
  }
  return out;
}
function dvcCause(stderr, stdout = "") {
  const [error] = dvcMessages(stderr, "ERROR").reverse();
  const warnings = dvcMessages(stderr, "WARNING");
  if (!error)
    return firstLine([...warnings, stderr, stdout].join("\n"));
  return `${error.replace(/:$/, "")}${warnings.length > 0 ? ` (${warnings.join("; ")})` : ""}`.replace(/\s+/g, " ");
}
async function runDvcWatched(root, args, watch) {
  const res = await runWatched(requireDvc(`run 'dvc ${args[0] ?? ""}'`), args, root, watch);
  if (res.exitCode === 0)
    return;
  const cause = dvcCause(res.stderr, res.stdout) || `exit code ${res.exitCode ?? "?"}`;
  throw new ToolError("dvc", args, `dvc ${args[0] ?? ""} failed: ${cause}`, { stderr: res.stderr, exitCode: res.exitCode });
}

// dist/domain/corrupt-objects.js
import { copyFileSync, mkdirSync, renameSync, rmSync as rmSync2 } from "node:fs";
import { join as join3 } from "node:path";
function setAside(ctx, path, md5) {
  const dir = join3(ctx.root, ".dvc", "tmp", "xv-corrupt");
  mkdirSync(dir, { recursive: true });
  const movedTo = join3(dir, `${md5}-${(/* @__PURE__ */ new Date()).toISOString().replaceAll(":", "")}-${process.pid}`);
  try {
    renameSync(path, movedTo);
  } catch {
    copyFileSync(path, movedTo);
    rmSync2(path, { force: true });
  }
  return { object: path, movedTo };
}
var REPORT_HASH_BUDGET = 256 * 1024 * 1024;
async function intact(path, md5) {
  return await md5File(path) === md5.toLowerCase().replace(/\.dir$/, "");
}

// dist/domain/temp-worktree.js
import { existsSync as existsSync4, mkdtempSync, readFileSync as readFileSync3, rmSync as rmSync3, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join as join4, resolve as resolve2 } from "node:path";
function shareDvcSettings(fromRoot, toRoot, cacheDir = cacheDirOf(fromRoot), linkType, config = readDvcConfig(fromRoot)) {
  if (!existsSync4(join4(toRoot, ".dvc")))
    return;
  const dvcDir = join4(fromRoot, ".dvc");
  const local = join4(dvcDir, "config.local");
  const kept = existsSync4(local) ? absoluteRemoteUrls(withoutSection(readFileSync3(local, "utf8"), "cache"), dvcDir) : "";
  const committed = join4(toRoot, ".dvc", "config");
  const layers = existsSync4(committed) ? [{ text: readFileSync3(committed, "utf8"), dir: join4(toRoot, ".dvc") }] : [];
  const seen = mergeDvcConfig([...layers, { text: kept, dir: dvcDir }]);
  const remotes = withSettings(kept, remoteSettingsMissing(config, seen));
  const cache = `[cache]
    dir = ${cacheDir}
${linkType ? `    type = ${linkType}
` : ""}`;
  writeFileSync(join4(toRoot, ".dvc", "config.local"), `${remotes.trim()}
${cache}`.trimStart());
}
function remoteSettingsMissing(config, seen) {
  const missing = {};
  const want = (section, key, value) => {
    if (seen[section]?.[key] !== value)
      (missing[section] ??= {})[key] = value;
  };
  for (const remote of remotesFrom(config)) {
    const section = `remote "${remote.name}"`;
    want(section, "url", remote.dir ?? remote.url);
    for (const [key, value] of Object.entries(remote.options))
      want(section, key, value);
  }
  if (config.core?.remote)
    want("core", "remote", config.core.remote);
  return missing;
}
function absoluteRemoteUrls(text, dvcDir) {
  let inRemote = false;
  return text.split("\n").map((line) => {
    const header2 = /^\s*\[\s*'?"?([^\]'"]+)/.exec(line);
    if (header2)
      inRemote = (header2[1] ?? "").trim() === "remote";
    const url = inRemote ? /^(\s*url\s*=\s*)(.+?)\s*$/.exec(line) : null;
    const [, key = "", value = ""] = url ?? [];
    if (!url || !isLocalPath(value) || value.startsWith("file://") || isAbsolute(value))
      return line;
    return `${key}${resolve2(dvcDir, value)}`;
  }).join("\n");
}
function withoutSection(text, section) {
  const out = [];
  let skipping = false;
  for (const line of text.split("\n")) {
    const header2 = /^\s*\[\s*'?"?([^\]'"]+)/.exec(line);
    if (header2)
      skipping = (header2[1] ?? "").trim() === section;
    if (!skipping)
      out.push(line);
  }
  return out.join("\n");
}
async function withTemporaryWorktree(ctx, rev, fn) {
  const parent = mkdtempSync(join4(tmpdir(), "xv-wt-"));
  const root = join4(parent, "tree");
  let removed = false;
  const remove = async () => {
    if (removed)
      return;
    removed = true;
    await removeWorktree(ctx.git, root, true).catch(() => void 0);
    rmSync3(parent, { recursive: true, force: true });
    await pruneWorktrees(ctx.git);
  };
  return withUndo(async (log) => {
    log.onUndo(remove);
    try {
      await addWorktree(ctx.git, root, rev);
      shareDvcSettings(ctx.root, root, ctx.cacheDir, void 0, ctx.dvcConfig);
      return await fn(root);
    } finally {
      if (!interrupted())
        await remove();
    }
  }, { quietRollback: true });
}

// dist/domain/verified-copy.js
import { createHash as createHash2, randomBytes } from "node:crypto";
import { constants as constants2, createReadStream, existsSync as existsSync5, lstatSync, renameSync as renameSync2, rmSync as rmSync4 } from "node:fs";
import { chmod, copyFile } from "node:fs/promises";
import { basename as basename3, dirname as dirname3, join as join5 } from "node:path";
async function copyHashing(src, dest, progress2 = silentProgress) {
  let from = src;
  for (const d of typeof dest === "string" ? [dest] : dest) {
    await copyFile(from, d, constants2.COPYFILE_EXCL);
    await chmod(d, 420);
    from = d;
  }
  const hash = createHash2("md5");
  let bytes = 0;
  const input = createReadStream(from, { highWaterMark: 4 * 1024 * 1024 });
  const name = basename3(from).replace(/^\.(.*)\.xv-tmp-.*$/, "$1");
  const bar = await progress2({ label: `verifying ${name}`, total: lstatSync(from).size, unit: "bytes" });
  try {
    for await (const chunk of input) {
      hash.update(chunk);
      bytes += chunk.length;
      bar.tick(chunk.length);
    }
  } finally {
    bar.stop();
  }
  return { md5: hash.digest("hex"), bytes };
}
async function writeGitBlob(ctx, oid, size, dest, label) {
  const hash = createHash2("sha1").update(`blob ${size}\0`);
  const bytes = await ctx.git.writeBlob(oid, dest, (chunk) => hash.update(chunk));
  const got = hash.digest("hex");
  if (got !== oid)
    throw new XvError(`git object ${oid} (${label}) did not verify (got ${got}); run 'git fsck' to check the repository`);
  return bytes;
}
function stagingName(out) {
  return join5(dirname3(out), `.${basename3(out)}.xv-tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
}
async function withStaging(out, fn) {
  return withUndo(async (log) => {
    const tmp = stagingName(out);
    log.onUndo(() => rmSync4(tmp, { recursive: true, force: true }));
    return fn(tmp);
  }, { quietRollback: true });
}

// dist/domain/object-fetch.js
var ObjectUnavailableError = class extends XvError {
  name = "ObjectUnavailableError";
};
function describeNeeded(needed) {
  const shown = needed.slice(0, 3).map((m) => `${m.md5} (${m.what})`);
  return shown.join(", ") + (needed.length > 3 ? ` and ${needed.length - 3} more` : "");
}
async function copyFromLocalRemote(remoteDir, cacheDir, md5, progress2, tee) {
  const src = findCacheObject(remoteDir, md5);
  if (!src)
    return false;
  const dest = cacheObjectCandidates(cacheDir, md5)[0] ?? "";
  mkdirSync2(dirname4(dest), { recursive: true });
  if (tee)
    mkdirSync2(dirname4(tee), { recursive: true });
  await withStaging(dest, async (tmp) => {
    const { md5: got } = await copyHashing(src, tee ? [tmp, tee] : tmp, progress2);
    if (got !== md5.toLowerCase().replace(/\.dir$/, ""))
      throw new XvError(`the remote's copy ${src} is corrupt: its md5 is ${got}, expected ${md5}; push it again from a machine that has a good copy`);
    chmodSync(tmp, 292);
    renameSync3(tmp, dest);
  });
  return true;
}
function unreachable(remote, cause, needed, cached) {
  const held = cached.length > 0 ? `; the local cache holds ${cached.length === needed.length ? "them" : `${cached.length} of them`} (--strategy cache uses it)` : "";
  const need = needed.length > cached.length ? `; needed from it: ${describeNeeded(needed.filter((n) => !cached.includes(n)))}` : "";
  const what = cause instanceof RemoteStalledError ? cause.message : `cannot connect to DVC remote '${remote.name}' (${remote.url}): ${cause instanceof Error ? cause.message : cause} (unreachable)`;
  return new ObjectUnavailableError(`${what}${need}${held}`);
}
async function fetchByPath(ctx, rev, path, remote) {
  const watch = { timeoutSec: ctx.config.remoteTimeout, remote: `'${remote.name}' (${remote.url})` };
  const run2 = (root) => runDvcWatched(root, ["fetch", "--", path], watch);
  if (rev.kind === "workspace")
    await run2(ctx.root);
  else
    await withTemporaryWorktree(ctx, rev.commit, run2);
}
async function fetchObjects(ctx, rev, path, needed, options = {}) {
  const cacheDir = ctx.cacheDir;
  const cached = needed.filter((n) => findCacheObject(cacheDir, n.md5));
  const remote = ctx.remote();
  if (!remote)
    throw new ObjectUnavailableError(`${needed.length} object(s) of ${path} at ${rev.name} are not in the local cache and no DVC remote is configured (missing: ${describeNeeded(needed)}); add one with 'dvc remote add -d'`);
  const localDir = remote.dir;
  const lacking = [];
  if (localDir) {
    if (!existsSync6(localDir))
      throw unreachable(remote, "the directory does not exist", needed, cached);
    for (const n of needed)
      if (!await copyFromLocalRemote(localDir, cacheDir, n.md5, ctx.progress, options.tee?.get(n.md5)))
        lacking.push(n);
    for (const n of lacking)
      options.tee?.delete(n.md5);
  } else if (dvcPython()) {
    options.tee?.clear();
    const aside = options.reread ? cached.map((n) => ({ n, ...setAside(ctx, findCacheObject(cacheDir, n.md5) ?? "", n.md5) })) : [];
    try {
      const watch = { timeoutSec: ctx.config.remoteTimeout, remote: `'${remote.name}' (${remote.url})` };
      const res = await fetchObjectsWithDvc(ctx.root, needed.map((n) => n.md5), watch);
      lacking.push(...needed.filter((n) => res.missing.includes(n.md5)));
    } catch (error) {
      for (const a of aside)
        if (!findCacheObject(cacheDir, a.n.md5))
          renameSync3(a.movedTo, a.object);
      if (error instanceof RemoteUnreachableError)
        throw unreachable(remote, error, needed, cached);
      throw new XvError(`cannot fetch ${path} at ${rev.name} from DVC remote '${remote.name}' (${remote.url}): ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const a of aside) {
      if (findCacheObject(cacheDir, a.n.md5))
        rmSync5(a.movedTo, { force: true });
      else
        renameSync3(a.movedTo, a.object);
    }
  } else {
    options.tee?.clear();
    try {
      await fetchByPath(ctx, rev, path, remote);
    } catch (error) {
      if (error instanceof RemoteUnreachableError)
        throw unreachable(remote, error, needed, cached);
      throw error;
    }
    lacking.push(...needed.filter((n) => !findCacheObject(cacheDir, n.md5)));
  }
  if (lacking.length > 0)
    throw new ObjectUnavailableError(`DVC remote '${remote.name}' (${remote.url}) lacks ${lacking.length} object(s) of ${path} at ${rev.name}: ${describeNeeded(lacking)}; push them from a machine that has them ('xv push ${rev.name}')`);
  return needed.length;
}

// dist/domain/cache-plan.js
function readManifest(store, md5, lookup = new ObjectLookup()) {
  try {
    return lookup.manifest(store, md5);
  } catch {
    throw new XvError(`cache object ${lookup.find(store, md5)?.path ?? md5} (directory manifest ${md5}) is corrupt; remove it and run the command again to fetch it from the remote`);
  }
}
function planFromCache(cacheDir, art) {
  if (!art.md5)
    throw new XvError(`${art.pointer} declares ${art.out} without an md5 (not yet committed with 'dvc commit'?); nothing to restore from the cache`);
  const lookup = new ObjectLookup();
  if (!art.md5.endsWith(".dir")) {
    const objects2 = [{ rel: "", md5: art.md5, size: art.size }];
    return { type: "file", objects: objects2, missing: lookup.find(cacheDir, art.md5) ? [] : [{ md5: art.md5, what: art.path }] };
  }
  const manifest = readManifest(cacheDir, art.md5, lookup);
  if (!manifest)
    return { type: art.type, objects: [], missing: [{ md5: art.md5, what: `${art.out}/ (directory manifest)` }] };
  const prefix = art.inside ?? "";
  let type = prefix ? "file" : "dir";
  let objects;
  const exact = prefix ? manifest.find((e) => e.relpath === prefix) : void 0;
  if (exact)
    objects = [{ rel: "", md5: exact.md5, size: exact.size }];
  else {
    type = "dir";
    const p = prefix ? `${prefix}/` : "";
    objects = manifest.filter((e) => e.relpath.startsWith(p)).map((e) => ({ rel: e.relpath.slice(p.length), md5: e.md5, size: e.size }));
    if (prefix && objects.length === 0) {
      const near = nearest(prefix, manifest.map((e) => e.relpath)).map((r) => `${art.out}/${r}`);
      throw new NotFoundError("path", `${art.path} does not exist at ${art.rev}: ${art.out} is DVC-tracked but has no ${prefix}; similar paths there: ${near.join(", ")}`);
    }
  }
  const missing = objects.filter((o) => !lookup.find(cacheDir, o.md5)).map((o) => ({ md5: o.md5, what: posix.join(art.path, o.rel) }));
  return { type, objects, missing };
}
async function ensureInCache(ctx, rev, art, mode, teeInto) {
  const cacheDir = ctx.cacheDir;
  let plan = planFromCache(cacheDir, art);
  const teed = /* @__PURE__ */ new Set();
  if (mode === "never" || mode === "missing" && plan.missing.length === 0) {
    if (plan.missing.length > 0)
      throw new XvError(`${art.path} at ${rev.name} is not in the local cache (${cacheDir}); missing: ${describeNeeded(plan.missing)}; use --strategy remote (or auto) to fetch it`);
    return { plan, fetched: 0, teed };
  }
  let fetched = 0;
  const done = /* @__PURE__ */ new Set();
  for (let round = 0; round < 2; round++) {
    const manifest = art.md5?.endsWith(".dir") ? [{ md5: art.md5, what: `${art.out ?? art.path}/ (directory manifest)` }] : [];
    const all = [...manifest, ...plan.objects.map((o) => ({ md5: o.md5, what: posix.join(art.path, o.rel) }))];
    const want = (mode === "all" ? all : plan.missing).filter((n) => !done.has(n.md5));
    if (want.length === 0)
      break;
    const tee = /* @__PURE__ */ new Map();
    const rels = /* @__PURE__ */ new Map();
    for (const o of teeInto && plan.objects.length > 0 ? plan.objects : []) {
      if (tee.has(o.md5) || !want.some((n) => n.md5 === o.md5))
        continue;
      tee.set(o.md5, plan.type === "file" ? teeInto ?? "" : join6(teeInto ?? "", o.rel));
      rels.set(o.md5, o.rel);
    }
    fetched += await fetchObjects(ctx, rev, art.path, want, { reread: mode === "all", tee });
    for (const md5 of tee.keys())
      teed.add(rels.get(md5) ?? "");
    for (const n of want)
      done.add(n.md5);
    plan = planFromCache(cacheDir, art);
  }
  if (plan.missing.length > 0)
    throw new XvError(`${plan.missing.length} object(s) of ${art.path} at ${rev.name} are still missing from the cache after fetching: ${describeNeeded(plan.missing)}`);
  return { plan, fetched, teed };
}

// dist/domain/locate.js
import { existsSync as existsSync7, readFileSync as readFileSync4, realpathSync as realpathSync2, statSync } from "node:fs";
import { basename as basename4, isAbsolute as isAbsolute2, join as join7, posix as posix2 } from "node:path";
function ancestors(path) {
  const parts = path.split("/");
  const out = [];
  for (let i = parts.length - 1; i > 0; i--)
    out.push(parts.slice(0, i).join("/"));
  return out;
}
function joinRel(dir, p) {
  return posix2.normalize(dir ? `${dir}/${p}` : p).replace(/\/$/, "");
}
function declaredOuts(file, text) {
  const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
  const outs = basename4(file) === "dvc.lock" ? parseLock(text) : parsePointer(text);
  return outs.map((out) => ({ pointer: file, out, outPath: joinRel(dir, out.path) }));
}
async function dvcOutsAt(ctx, rev) {
  const files = rev.kind === "workspace" ? (await ctx.git.lsFiles([])).filter((f) => existsSync7(join7(ctx.root, f))) : (await treeFiles(ctx.git, rev.commit)).filter((e) => e.type === "blob").map((e) => e.path);
  const hits = [];
  for (const f of files.filter((f2) => f2.endsWith(".dvc") || basename4(f2) === "dvc.lock")) {
    try {
      hits.push(...declaredOuts(f, await readAt(ctx, rev, f) ?? ""));
    } catch {
    }
  }
  return hits.sort((a, b) => a.outPath.localeCompare(b.outPath));
}
async function readAt(ctx, rev, file) {
  if (rev.kind === "commit")
    return (await ctx.git.showFile(rev.commit, file))?.toString("utf8");
  const abs = join7(ctx.root, file);
  return existsSync7(abs) && statSync(abs).isFile() ? readFileSync4(abs, "utf8") : void 0;
}
async function followGitSymlinks(ctx, rev, path) {
  let current = path;
  for (let hop = 0; hop < 16; hop++) {
    const prefixes = [...ancestors(current).reverse(), current];
    const entries = await treeEntries(ctx.git, rev.commit, prefixes);
    const link = prefixes.map((p) => entries.find((e) => e.path === p)).find((e) => e?.mode === "120000");
    if (!link)
      return current;
    const target = (await ctx.git.showFile(rev.commit, link.path))?.toString("utf8") ?? "";
    const resolved = posix2.normalize(posix2.join(posix2.dirname(link.path), target));
    if (isAbsolute2(target) || resolved === ".." || resolved.startsWith("../"))
      throw new RefusedError(`PATH ${path} is a symlink at ${rev.name} (${link.path} \u2192 ${target}) that points outside the repository; refusing to follow it`);
    current = posix2.normalize(resolved + current.slice(link.path.length));
  }
  throw new XvError(`PATH ${path} at ${rev.name} has too many levels of symbolic links`);
}
function matchOut(hits, path) {
  return hits.find((h) => h.outPath === path) ?? hits.find((h) => path.startsWith(`${h.outPath}/`));
}
function pointerCandidates(path) {
  const ups = ancestors(path);
  return [`${path}.dvc`, ...ups.map((a) => `${a}.dvc`), "dvc.lock", ...ups.map((a) => `${a}/dvc.lock`)];
}
async function findPointer(ctx, rev, path, known) {
  const candidates = pointerCandidates(path);
  const present = rev.kind === "workspace" ? candidates : (known ?? await treeEntries(ctx.git, rev.commit, candidates)).filter((e) => e.type === "blob").map((e) => e.path);
  for (const file of candidates.filter((c) => present.includes(c))) {
    const text = await readAt(ctx, rev, file);
    if (text === void 0)
      continue;
    let hits;
    try {
      hits = declaredOuts(file, text);
    } catch {
      throw new XvError(`cannot parse ${file} at ${rev.name}; it is not a valid DVC ${file.endsWith(".lock") ? "lock" : "pointer"} file`);
    }
    const hit = matchOut(hits, path);
    if (hit)
      return hit;
  }
  return matchOut(await dvcOutsAt(ctx, rev), path);
}
async function similarPaths(ctx, rev, path) {
  const names = rev.kind === "workspace" ? await ctx.git.lsFiles([]) : (await treeFiles(ctx.git, rev.commit)).map((e) => e.path);
  const all = /* @__PURE__ */ new Set();
  for (const n of names) {
    all.add(n.endsWith(".dvc") ? n.slice(0, -4) : n);
    for (const a of ancestors(n))
      all.add(a);
  }
  const base = basename4(path);
  const byBase = [...all].filter((n) => basename4(n) === base);
  return [.../* @__PURE__ */ new Set([...byBase, ...nearest(path, [...all], 3)])].slice(0, 3);
}
async function locateInWorkspace(ctx, rev, path) {
  const abs = join7(ctx.root, path);
  if (existsSync7(abs)) {
    const real = realpathSync2(abs);
    if (!isInside(realpathSync2(ctx.root), real))
      throw new RefusedError(`PATH ${path} is a symlink that points outside the repository (${real}); refusing to follow it`);
    const st = statSync(real);
    const hit = await findPointer(ctx, rev, path);
    return {
      rev: rev.name,
      path,
      source: "workspace",
      type: st.isDirectory() ? "dir" : "file",
      size: st.isFile() ? st.size : void 0,
      md5: hit && hit.outPath === path ? hit.out.md5 : void 0,
      pointer: hit?.pointer
    };
  }
  const near = await similarPaths(ctx, rev, path);
  throw new NotFoundError("path", `${path} does not exist in the working copy${near.length > 0 ? `; similar paths: ${near.join(", ")}` : ""}`);
}
async function locateArtifact(ctx, rev, path) {
  if (rev.kind === "workspace")
    return locateInWorkspace(ctx, rev, path);
  let entries = await treeEntries(ctx.git, rev.commit, [...ancestors(path), path, ...pointerCandidates(path)]);
  let real = path;
  if ([...ancestors(path), path].some((p) => entries.find((e) => e.path === p)?.mode === "120000")) {
    real = await followGitSymlinks(ctx, rev, path);
    entries = await treeEntries(ctx.git, rev.commit, [real, ...pointerCandidates(real)]);
  }
  const entry = entries.find((e) => e.path === real);
  if (entry?.type === "blob") {
    const obj = await ctx.git.objectAt(rev.commit, real);
    return { rev: rev.name, path: real, source: "git", type: "file", oid: entry.oid, size: obj?.size };
  }
  const hit = await findPointer(ctx, rev, real, entries);
  if (hit) {
    const insidePath = hit.outPath === real ? "" : real.slice(hit.outPath.length + 1);
    return {
      rev: rev.name,
      path: real,
      source: "dvc",
      type: hit.out.isDir && !insidePath ? "dir" : "file",
      md5: hit.out.md5,
      size: insidePath ? void 0 : hit.out.size,
      pointer: hit.pointer,
      out: hit.outPath,
      inside: insidePath
    };
  }
  if (entry?.type === "tree")
    return { rev: rev.name, path: real, source: "git", type: "dir", oid: entry.oid };
  const near = await similarPaths(ctx, rev, real);
  throw new NotFoundError("path", `${path} does not exist at ${rev.name}${near.length > 0 ? `; similar paths there: ${near.join(", ")}` : ""} (see 'git ls-tree -r --name-only ${rev.name}')`);
}

// dist/domain/at-revision.js
async function readableFileAt(ctx, rev, path) {
  let art;
  try {
    art = await locateArtifact(ctx, rev, path);
  } catch (error) {
    if (error instanceof NotFoundError && error.what === "path")
      return void 0;
    throw error;
  }
  if (art.type === "dir")
    throw new UsageError(`${path} is a directory at ${rev.name}, not a file`);
  if (art.source === "workspace")
    return { file: join8(ctx.root, art.path), source: "workspace", cleanup: () => {
    } };
  if (art.source === "git") {
    const dir = mkdtempSync2(join8(tmpdir2(), "xv-read-"));
    const file2 = join8(dir, basename5(path));
    try {
      await writeGitBlob(ctx, art.oid ?? "", art.size ?? 0, file2, `${path} at ${rev.name}`);
    } catch (error) {
      rmSync6(dir, { recursive: true, force: true });
      throw error;
    }
    return { file: file2, source: "git", cleanup: () => rmSync6(dir, { recursive: true, force: true }) };
  }
  const { plan } = await ensureInCache(ctx, rev, art, "missing");
  const obj = plan.objects[0];
  let file = obj && findCacheObject(ctx.cacheDir, obj.md5);
  if (!obj || !file)
    throw new XvError(`${path} at ${rev.name} is not in the local cache after fetching it`);
  let moved;
  if (!await soundObject(file, obj.md5, obj.size)) {
    moved = setAside(ctx, file, obj.md5);
    await fetchObjects(ctx, rev, path, [{ md5: obj.md5, what: `${path} at ${rev.name}` }]);
    file = findCacheObject(ctx.cacheDir, obj.md5);
    if (!file || !await soundObject(file, obj.md5, obj.size))
      throw new XvError(`corrupt cache object ${moved.object} (${path} at ${rev.name}) was set aside to ${moved.movedTo}, and the fetched copy does not verify either`);
  }
  return { file, source: "dvc", cleanup: () => {
  }, repaired: moved };
}
var VERIFY_LIMIT = 512 * 1024 * 1024;
async function soundObject(file, md5, size) {
  const actual = statSync2(file).size;
  if (size !== void 0 && actual !== size)
    return false;
  return actual > VERIFY_LIMIT || await intact(file, md5);
}

// dist/domain/merge-runs.js
var KEYS = {
  [RUNS_TABLE]: ["run_id"],
  [RUN_ARTIFACTS_TABLE]: ["run_id", "role", "path"]
};
var RUN_RECORD_MATCH = { [RUNS_TABLE]: ["run_id", "status", "ended_at"] };
function runTableRule(table, columns, strategy) {
  const keys = KEYS[table];
  if (!keys || !keys.every((k) => columns.includes(k)))
    return void 0;
  if (strategy === "rebase")
    return { keys, win: "differs" };
  return { keys, win: table === RUNS_TABLE && columns.includes("status") ? "lifecycle" : "never" };
}
async function mergeRunTable(db, schema, table, columns, rule, total) {
  const { replaced, added } = await db.mergeByKey(schema, table, columns, rule.keys, rule.win);
  return { replaced, added, skipped: total - added - replaced, matchedBy: `id:${rule.keys.join(",")}` };
}

// dist/domain/merge-table.js
function affinityOf(declared) {
  const t = declared.toUpperCase();
  if (t === "")
    return "ANY";
  if (t.includes("INT"))
    return "INTEGER";
  if (t.includes("CHAR") || t.includes("CLOB") || t.includes("TEXT"))
    return "TEXT";
  if (t.includes("BLOB"))
    return "BLOB";
  if (t.includes("REAL") || t.includes("FLOA") || t.includes("DOUB"))
    return "REAL";
  return "NUMERIC";
}
var NUMERIC = /* @__PURE__ */ new Set(["INTEGER", "REAL", "NUMERIC"]);
var TEMPORAL = /DATE|TIME/i;
function typesCompatible(target, source) {
  const a = affinityOf(target);
  const b = affinityOf(source);
  if (a === "ANY" || b === "ANY" || a === b)
    return true;
  if (TEMPORAL.test(target) && b === "TEXT" || TEMPORAL.test(source) && a === "TEXT")
    return true;
  return NUMERIC.has(a) && NUMERIC.has(b);
}
function chooseKeys(columns, keys, table, label) {
  const names = columns.map((c) => c.name);
  if (keys && keys.length > 0) {
    const missing = keys.find((k) => !names.includes(k));
    if (missing)
      throw new XvError(`key column '${missing}' not found in table '${table}' of ${label}; columns: ${names.join(", ")}`);
    return keys;
  }
  const v = VERSION_COLUMNS.find((c) => names.includes(c)) ?? names.find((c) => /version$/i.test(c));
  return v ? [v] : void 0;
}
async function prepareTable(db, schema, table, srcCols, label, report) {
  if (!(await db.tables("main")).some((t) => t.name === table.name)) {
    await db.createTableLike(schema, table.name, table.sql);
    report.created = true;
    return;
  }
  const tgtCols = await db.columns("main", table.name);
  for (const c of srcCols) {
    const t = tgtCols.find((x) => x.name === c.name);
    if (t && !typesCompatible(t.type, c.type))
      throw new XvError(`column '${c.name}' of table '${table.name}' is ${c.type || "untyped"} in ${label} but ${t.type} in the target; the types cannot be reconciled (convert one side first)`);
  }
  for (const c of srcCols) {
    if (tgtCols.some((x) => x.name === c.name))
      continue;
    await db.addColumn(table.name, c.name, c.type);
    report.columnsAdded.push(c.name);
  }
}
async function rebaseRows(db, plan, report) {
  const { schema, table, names, rebaseKeys: keys } = plan;
  if (!keys) {
    report.added = await db.appendNewRows(schema, table, names);
    report.matchedBy = "new table";
    return report;
  }
  const tgtNames = (await db.columns("main", table)).map((c) => c.name);
  const missing = keys.find((k) => !tgtNames.includes(k));
  if (missing)
    throw new XvError(`key column '${missing}' not found in table '${table}' of the target; columns: ${tgtNames.join(", ")}`);
  const { deleted, added } = await db.replaceByKey(schema, table, names, keys);
  return Object.assign(report, { replaced: deleted, added, matchedBy: `key:${keys.join(",")}` });
}
async function appendRows(db, plan, options, report) {
  const { schema, table, names, total, label } = plan;
  const id = options.idColumn ?? DEFAULT_ID_COLUMN;
  if (names.includes(id)) {
    report.added = await db.appendNewRuns(schema, table, names, id);
    report.matchedBy = `id:${id}`;
  } else if (options.idColumn) {
    throw new XvError(`id column '${id}' not found in table '${table}' of ${label}; columns: ${names.join(", ")}`);
  } else {
    report.added = await db.appendNewRows(schema, table, names);
    report.matchedBy = "whole rows";
  }
  report.skipped = total - report.added;
  return report;
}
async function mergeTable(db, schema, spec, table, options) {
  const srcCols = await db.columns(schema, table.name);
  const names = srcCols.map((c) => c.name);
  const report = { table: table.name, source: spec, created: false, added: 0, skipped: 0, replaced: 0, columnsAdded: [], matchedBy: "" };
  const total = await db.count(schema, table.name);
  const runRule = runTableRule(table.name, names, options.strategy);
  const rebaseKeys = options.strategy === "rebase" && !runRule ? chooseKeys(srcCols, options.keys, table.name, spec) : void 0;
  const exists = (await db.tables("main")).some((t) => t.name === table.name);
  if (options.strategy === "rebase" && exists && !rebaseKeys && !runRule) {
    return Object.assign(report, { skipped: total, matchedBy: "no key: unchanged" });
  }
  await prepareTable(db, schema, table, srcCols, spec, report);
  const plan = { schema, table: table.name, names, total, label: spec, runRule, rebaseKeys };
  if (runRule)
    return Object.assign(report, await mergeRunTable(db, schema, table.name, names, runRule, total));
  if (options.strategy === "rebase")
    return rebaseRows(db, plan, report);
  return appendRows(db, plan, options, report);
}

// dist/domain/worktree-names.js
import { basename as basename6, isAbsolute as isAbsolute3, resolve as resolve3 } from "node:path";
var EXPERIMENT_PREFIX = "exp-";
var EXPLORE_PREFIX = "explore-";
var BRANCH_PREFIX = "exp/";
function kindOf(rec, mainRoot) {
  const base = basename6(rec.path);
  if (resolve3(rec.path) === resolve3(mainRoot))
    return { kind: "main", name: "main" };
  if (base.startsWith(EXPERIMENT_PREFIX))
    return { kind: "experiment", name: base.slice(EXPERIMENT_PREFIX.length) };
  if (base.startsWith(EXPLORE_PREFIX))
    return { kind: "explore", name: base.slice(EXPLORE_PREFIX.length) };
  return { kind: "other", name: base };
}
function matchWorktree(records, mainRoot, name, kinds) {
  const wanted = name.replace(/\/+$/, "");
  if (!wanted)
    return void 0;
  for (const rec of records) {
    const k = kindOf(rec, mainRoot);
    if (kinds && !kinds.includes(k.kind))
      continue;
    const matches = (k.kind === "experiment" || k.kind === "main") && k.name === wanted || basename6(rec.path) === wanted || rec.branch === `${BRANCH_PREFIX}${wanted}` || isAbsolute3(wanted) && resolve3(wanted) === resolve3(rec.path);
    if (matches)
      return { ...rec, ...k };
  }
  return void 0;
}

// dist/domain/merge.js
async function resolveSource(ctx, spec, cwd) {
  const asPath = isAbsolute4(spec) ? spec : resolve4(cwd, spec);
  if (existsSync8(asPath) && statSync3(asPath).isFile())
    return { spec, file: asPath, kind: "path", cleanup: () => {
    } };
  const trees = await ctx.git.worktrees();
  const others = ["experiment", "explore", "other"];
  const tree = matchWorktree(trees, ctx.mainRoot, spec, others);
  if (tree) {
    const db = join9(tree.path, loadConfig(tree.path).db);
    if (!existsSync8(db))
      throw new XvError(`worktree ${basename7(tree.path)} has no result database at ${db}`);
    return { spec, file: db, kind: "worktree", cleanup: () => {
    } };
  }
  if (asVersion(spec, ctx.config.prefix)) {
    const rev = await resolveRev(ctx, spec);
    const readable = await readableFileAt(ctx, rev, ctx.config.db);
    if (!readable)
      throw new XvError(`${ctx.config.db} did not exist at ${spec}; nothing to merge from that version`);
    return { spec, file: readable.file, kind: "version", cleanup: readable.cleanup };
  }
  const names = trees.filter((w) => kindOf(w, ctx.mainRoot).kind !== "main").map((w) => basename7(w.path));
  throw new XvError(`no database, worktree or version named '${spec}'; give a database path, a worktree (${names.join(", ") || "none"}) or an experiment tag`);
}
function same(a, b) {
  try {
    return realpathSync3(a) === realpathSync3(b);
  } catch {
    return resolve4(a) === resolve4(b);
  }
}
function inside(parent, child) {
  const rel = relative(parent, child);
  return rel === "" || !rel.startsWith("..") && !isAbsolute4(rel);
}
function realOrSelf(p) {
  try {
    return realpathSync3(p);
  } catch {
    return resolve4(p);
  }
}
function checkTarget(ctx, target, label) {
  const dir = dirname5(target);
  if (!existsSync8(dir))
    throw new NotFoundError("path", `the folder of target ${label} (${dir}) does not exist; create it first (mkdir -p ${dir}) or choose another --into`);
  if (!statSync3(dir).isDirectory())
    throw new UsageError(`the folder of target ${label} (${dir}) is not a directory; choose another --into`);
  const real = existsSync8(target) ? realOrSelf(target) : join9(realOrSelf(dir), basename7(target));
  const gitDirs = [ctx.location.commonDir, join9(ctx.root, ".git")].map(realOrSelf);
  if (real.split(sep).includes(".git") || gitDirs.some((g) => inside(g, real)))
    throw new RefusedError(`target ${label} is inside git's own directory (.git); choose a database in the working tree`);
  if (![ctx.root, ctx.mainRoot].map(realOrSelf).some((r) => inside(r, real)))
    throw new RefusedError(`target ${label} is outside the repository (${ctx.root}); choose a database inside it`);
}
function checkWritable(target) {
  try {
    if (existsSync8(target))
      accessSync(target, constants3.W_OK);
    accessSync(dirname5(target), constants3.W_OK);
  } catch {
    throw new XvError(`target ${target} is read-only (the file or its folder); make it writable or choose another with --into`);
  }
}
function excludeFromGit(ctx, file) {
  const inTree = [ctx.root, ctx.mainRoot].some((r) => !relative(r, file).startsWith(".."));
  if (!inTree)
    return;
  const pattern = "*.bak-[0-9]*T[0-9]*Z*";
  const exclude = join9(ctx.location.commonDir, "info", "exclude");
  const text = existsSync8(exclude) ? readFileSync5(exclude, "utf8") : "";
  if (text.split("\n").includes(pattern))
    return;
  mkdirSync3(dirname5(exclude), { recursive: true });
  appendFileSync(exclude, `${text && !text.endsWith("\n") ? "\n" : ""}# xv merge backups
${pattern}
`);
}
function backupPath(file) {
  const stamp = (/* @__PURE__ */ new Date()).toISOString().replace(/[-:]/g, "");
  const base = `${file}.bak-${stamp}-p${process.pid}`;
  let candidate = base;
  for (let n = 2; existsSync8(candidate); n++)
    candidate = `${base}-${n}`;
  return candidate;
}
function checkMergeTarget(ctx, options, cwd) {
  if (options.sources.length === 0)
    throw new XvError("name at least one source: a database path, a worktree name or an experiment tag");
  const target = options.into ? resolve4(cwd, options.into) : ctx.dbPath;
  const label = options.into ?? ctx.config.db;
  if (options.strategy === "rebase" && !options.yes && !options.dryRun)
    throw new XvError("rebase replaces rows of the target; run again with --yes (a backup is written first), or --dry-run to see what it would do");
  checkTarget(ctx, target, label);
  if (existsSync8(target) && !isSqliteFile(target) && !isDuckDbFile(target))
    throw new XvError(`target ${label} is neither an SQLite nor a DuckDB database (wrong file header)`);
  if (options.strategy === "rebase" && !existsSync8(target))
    throw new XvError(`target ${label} does not exist; nothing to rebase (use --strategy merge to create it)`);
  if (!options.dryRun)
    checkWritable(target);
  return { target, label };
}
async function resolveChecked(ctx, spec, cwd, target) {
  const src = await resolveSource(ctx, spec, cwd);
  if (existsSync8(target.file) && same(src.file, target.file)) {
    src.cleanup();
    throw new XvError(`source '${spec}' is the target itself (${target.label}); nothing to merge`);
  }
  if (!isSqliteFile(src.file) && !isDuckDbFile(src.file)) {
    src.cleanup();
    throw new XvError(`source '${spec}' (${src.file}) is neither an SQLite nor a DuckDB database (wrong file header)`);
  }
  return src;
}
async function attachSources(db, resolved, tables) {
  for (const [i, s] of resolved.entries()) {
    await db.attach(s.file, `src${i}`, `source '${s.spec}'`);
    const names = (await db.tables(`src${i}`)).map((t) => t.name);
    for (const t of tables ?? [])
      if (!names.includes(t))
        throw new XvError(`table '${t}' not found in ${s.spec}; tables: ${names.join(", ") || "(none)"}`);
  }
}
async function mergeAll(db, resolved, options, report, label) {
  await db.begin();
  try {
    for (const [i, s] of resolved.entries()) {
      for (const t of await db.tables(`src${i}`)) {
        if (options.tables && !options.tables.includes(t.name))
          continue;
        report.tables.push(await mergeTable(db, `src${i}`, s.spec, t, options));
      }
    }
    if (options.dryRun) {
      await db.rollback();
      return false;
    }
    await db.commit();
    return true;
  } catch (error) {
    await db.rollback().catch(() => void 0);
    if (report.backup)
      rmSync7(report.backup, { force: true });
    if (error instanceof XvError)
      throw error;
    if (error.code === "SQLITE_FULL" || /No space left|disk is full/i.test(errorMessage(error)))
      throw new XvError(`the disk is full; ${label} was left exactly as it was (free space and run again)`);
    throw new XvError(`merge into ${label} failed and was rolled back: ${errorMessage(error).split("\n")[0] ?? ""}`);
  }
}
async function mergeInto(ctx, options, resolved, report, label) {
  const target = report.target;
  const existed = existsSync8(target);
  const db = await openMergeDb(target, label, options.waitMs ?? 6e4);
  let committed = false;
  try {
    await attachSources(db, resolved, options.tables);
    if (options.strategy === "rebase" && !options.dryRun) {
      report.backup = backupPath(target);
      await db.snapshotTo(report.backup);
      excludeFromGit(ctx, report.backup);
    }
    committed = await mergeAll(db, resolved, options, report, label);
  } finally {
    await db.close();
    if (!existed && !committed)
      removeCreatedTarget(target);
  }
}
async function mergeDatabases(ctx, options, cwd = process.cwd()) {
  const { target, label } = checkMergeTarget(ctx, options, cwd);
  const resolved = [];
  try {
    for (const spec of options.sources)
      resolved.push(await resolveChecked(ctx, spec, cwd, { file: target, label }));
    const report = {
      target,
      strategy: options.strategy,
      dryRun: options.dryRun,
      sources: resolved.map((s) => ({ spec: s.spec, file: s.file, kind: s.kind })),
      tables: []
    };
    if (options.dryRun && !existsSync8(target))
      throw new XvError(`target ${label} does not exist yet; a real merge creates it (nothing to preview)`);
    if (existsSync8(target)) {
      if (!options.dryRun)
        unprotect(target);
      await mergeInto(ctx, options, resolved, report, label);
      return report;
    }
    return await withUndo(async (log) => {
      log.onUndo(() => removeCreatedTarget(target));
      await mergeInto(ctx, options, resolved, report, label);
      return report;
    }, { quietRollback: true });
  } finally {
    for (const s of resolved)
      s.cleanup();
  }
}

// dist/domain/run-record-duckdb.js
function runRecordFile(ctx, runId) {
  if (targetKindOf(ctx.dbPath) !== "duckdb")
    return void 0;
  const dir = dirname6(ctx.config.db);
  const file = join10(ctx.root, dir === "." ? "results" : dir, "runs", `${runId}.record.db`);
  mkdirSync4(dirname6(file), { recursive: true });
  return file;
}
async function publishRunRecord(ctx, file) {
  await mergeDatabases(ctx, { sources: [file], into: ctx.dbPath, strategy: "merge", tables: [RUNS_TABLE, RUN_ARTIFACTS_TABLE], yes: true, dryRun: false }, ctx.root);
}
async function finishRunRecord(ctx, file) {
  try {
    await publishRunRecord(ctx, file);
    for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`])
      rmSync8(f, { force: true });
    return void 0;
  } catch (error) {
    const rel = relative2(process.cwd(), file);
    return `the run record could not be written to ${ctx.config.db} (${errorMessage(error)}); it is kept in ${rel}: xv merge ${rel} --table ${RUNS_TABLE} --table ${RUN_ARTIFACTS_TABLE}`;
  }
}

// dist/domain/run-versions.js
function ownerOf(ctx) {
  return { worktree: ctx.root };
}
async function currentBranch(ctx) {
  return ctx.git.currentBranch();
}
async function claimRemote(ctx) {
  if (!ctx.config.push)
    return void 0;
  const remotes = await ctx.git.remotes();
  return remotes.includes("origin") ? "origin" : remotes[0];
}
var timeoutMs = claimTimeoutMs;
async function publish(ctx, remote, claim, fresh) {
  if (!remote || !fresh)
    return;
  const outcome = await pushClaim(ctx.git, remote, claim, timeoutMs(ctx));
  if (outcome !== "taken")
    return;
  await releaseClaim(ctx.git, claim.version, claim.oid);
  throw new ConflictError(`${claim.version} was just claimed on ${remote} by another clone; use another version (see 'xv next')`);
}
async function claimNextShared(ctx, bump, request) {
  const remote = await claimRemote(ctx);
  if (remote)
    await fetchClaims(ctx.git, remote, timeoutMs(ctx));
  for (let attempt = 0; ; attempt++) {
    const got = await claimNext(ctx.git, ctx.config.prefix, bump, { owner: ownerOf(ctx), ...request });
    try {
      await publish(ctx, remote, got.claim, true);
      return got;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 5)
        throw error;
      if (remote)
        await fetchClaims(ctx.git, remote, timeoutMs(ctx));
    }
  }
}
async function openClaims(ctx) {
  const refs = await ctx.git.refsUnder([...CLAIM_NAMESPACES, "refs/tags/", "refs/heads/"]);
  const tagged = new Set(refs.filter((r) => r.ref.startsWith("refs/tags/")).map((r) => r.ref.slice("refs/tags/".length)));
  const branch = refs.find((r) => r.head && r.ref.startsWith("refs/heads/"))?.ref.slice("refs/heads/".length);
  const owner = ownerOf(ctx);
  const open = (await claimsOf(ctx.git, refs)).filter((c) => !c.remote && isOwner(c, owner) && !tagged.has(c.version)).flatMap((claim) => {
    const version = asVersion(claim.version, ctx.config.prefix);
    return version ? [{ claim, version }] : [];
  }).sort((a, b) => compareVersions(a.version, b.version));
  return { open, branch };
}
async function claimRunVersion(ctx, request) {
  const owner = ownerOf(ctx);
  if (request.version === void 0 && !request.bump) {
    const { open, branch: branch2 } = await openClaims(ctx);
    if (open[0])
      return { version: open[0].version, status: "owned", branch: branch2 };
    const { version: version2 } = await claimNextShared(ctx, "minor", { ...branch2 ? { branch: branch2 } : {}, by: "run", runId: request.runId });
    return { version: version2, status: "claimed", branch: branch2 };
  }
  const branch = await currentBranch(ctx);
  if (request.version !== void 0) {
    const version2 = parseVersion(request.version, ctx.config.prefix);
    const outcome = await claimVersion(ctx.git, { version: version2, owner, branch, by: "run", runId: request.runId });
    await publish(ctx, await claimRemote(ctx), outcome.claim, outcome.status === "claimed");
    return { version: version2, status: outcome.status, branch };
  }
  const { version } = await claimNextShared(ctx, request.bump ?? "minor", { ...branch ? { branch } : {}, by: "run", runId: request.runId });
  return { version, status: "claimed", branch };
}

// dist/domain/runs.js
function newRunId() {
  const t = (/* @__PURE__ */ new Date()).toISOString().replace(/[-:]/g, "").slice(2, 13);
  return `r${t.replace("T", "-")}-${randomBytes2(3).toString("hex")}`;
}
function resultsDir(ctx) {
  const dir = dirname7(ctx.config.db);
  return dir === "." ? "results" : dir;
}
async function hashPath(abs) {
  if (!existsSync9(abs))
    return void 0;
  if (!statSync4(abs).isDirectory())
    return md5File(abs);
  const lines = [];
  const walk = async (dir) => {
    for (const e of readdirSync3(dir, { withFileTypes: true })) {
      const p = join11(dir, e.name);
      if (e.isDirectory())
        await walk(p);
      else if (e.isFile())
        lines.push(`${relative3(abs, p)} ${await md5File(p)}`);
    }
  };
  await walk(abs);
  return `${createHash3("md5").update(lines.sort().join("\n")).digest("hex")}.dir`;
}
async function outputHashes(ctx, runId) {
  const out = [];
  for (const path of producedPaths(ctx.config)) {
    if (path === ctx.config.db)
      continue;
    const md5 = await hashPath(join11(ctx.root, path)).catch(() => void 0);
    if (md5)
      out.push({ run_id: runId, role: "output", path, md5 });
  }
  return out;
}
async function planCommand(ctx, options) {
  if (options.rerun === void 0) {
    if (options.command.length === 0)
      throw new UsageError("no command to run; give it after '--', e.g. xv run -- python train.py");
    return { command: options.command, seed: options.seed, name: options.name, version: options.version };
  }
  if (options.command.length > 0)
    throw new UsageError("--rerun repeats the recorded command; give no command after --");
  const rerun = options.rerun;
  return withSqliteFile(ctx.dbPath, ctx.config.db, () => "all", (file) => {
    const db = openRunStore(file, ctx.config.db, false);
    try {
      const previous = requireRun(db, rerun, ctx.config.db);
      const command = JSON.parse(previous.command);
      return { command, previous, seed: options.seed ?? previous.seed ?? void 0, name: options.name ?? previous.name ?? void 0, version: options.version };
    } finally {
      db?.close();
    }
  });
}
async function openRun(ctx, options, plan, runId) {
  let wanted = plan.version;
  if (wanted === void 0 && !options.bump && plan.previous && !await ctx.git.tagExists(plan.previous.version))
    wanted = plan.previous.version;
  const sourcesPromise = pointerSources(ctx);
  const claimed = await claimRunVersion(ctx, { version: wanted, bump: options.bump, runId });
  const version = claimed.version.tag;
  const recordFile = runRecordFile(ctx, runId);
  let db;
  try {
    db = openRunStore(recordFile ?? ctx.dbPath, ctx.config.db, true);
    const sources = await sourcesPromise;
    const inputs = dataInputs(sources, ctx.config).map((o) => ({ run_id: runId, role: "input", path: o.path, md5: o.md5 }));
    const run2 = { db, record: pendingRecord(ctx, plan, runId, version, claimed.branch), inputs, warnings: changedInputs(db, inputs, plan.previous), ...recordFile ? { recordFile } : {} };
    if (recordFile) {
      writeRun(db, run2.record, inputs);
      await publishRunRecord(ctx, recordFile);
    }
    return run2;
  } catch (error) {
    db?.close();
    if (recordFile)
      rmSync9(recordFile, { force: true });
    if (claimed.status === "claimed")
      await releaseClaim(ctx.git, version);
    throw error;
  }
}
function changedInputs(db, inputs, previous) {
  if (!previous)
    return [];
  const before = new Map(runArtifacts(db, previous.run_id).filter((a) => a.role === "input").map((a) => [a.path, a.md5]));
  const changed = inputs.filter((i) => before.has(i.path) && before.get(i.path) !== i.md5).map((i) => i.path);
  return changed.length > 0 ? [`inputs changed since ${previous.run_id}: ${changed.join(", ")}`] : [];
}
function pendingRecord(ctx, plan, runId, version, branch) {
  return {
    run_id: runId,
    name: plan.name ?? null,
    version,
    status: "pending",
    command: JSON.stringify(plan.command),
    cwd: process.cwd(),
    started_at: null,
    ended_at: null,
    duration_s: null,
    exit_code: null,
    signal: null,
    error_tail: null,
    commit_sha: ctx.location.head ?? null,
    branch: branch ?? null,
    worktree: ctx.root,
    dirty: 0,
    diff_hash: null,
    host: "",
    user: "",
    xv_version: null,
    dvc_version: null,
    python_version: null,
    node_version: process.version,
    pip_hash: null,
    pip_freeze: null,
    gpu: null,
    seed: plan.seed ?? null,
    params: null,
    log_path: null,
    rerun_of: plan.previous?.run_id ?? null,
    created_at: (/* @__PURE__ */ new Date()).toISOString()
  };
}
function execute(run2, plan, log, options, warn2) {
  const { record } = run2;
  const env = { XV_VERSION: record.version, XV_RUN_ID: record.run_id, ...plan.seed !== void 0 ? { XV_SEED: plan.seed } : {} };
  return runCommand(plan.command, process.cwd(), env, log, {
    stdoutTo: options.stdoutToStderr ? "stderr" : "stdout",
    onSpawn: (startedAt) => {
      try {
        writeRun(run2.db, { ...record, status: "running", started_at: startedAt.toISOString() }, run2.inputs);
      } catch (error) {
        warn2(`could not record the start of run ${record.run_id}: ${errorMessage(error)}`);
      }
    }
  });
}
async function recordOutcome(ctx, run2, outcome, log, provenance) {
  const { record } = run2;
  const status = outcome.interrupted ? "cancelled" : outcome.exitCode === 0 && !outcome.startError ? "completed" : "failed";
  const logPath = log.write(ctx.root, resultsDir(ctx), record.run_id);
  const [prov, outputs] = await Promise.all([provenance, outputHashes(ctx, record.run_id)]);
  const final = {
    ...record,
    ...prov,
    status,
    started_at: outcome.startedAt.toISOString(),
    ended_at: outcome.endedAt.toISOString(),
    duration_s: Math.round((outcome.endedAt.getTime() - outcome.startedAt.getTime()) / 10) / 100,
    exit_code: outcome.exitCode,
    signal: outcome.interrupted ?? outcome.signal ?? null,
    error_tail: status === "completed" ? null : outcome.startError ?? (log.stderrTail() || null),
    log_path: logPath
  };
  try {
    writeRun(run2.db, final, [...run2.inputs, ...outputs]);
  } catch (error) {
    throw new XvError(`cannot record run ${record.run_id} in ${ctx.config.db}: ${errorMessage(error)}`);
  }
  return final;
}
function reportOf(run2, plan, warnings) {
  return {
    runId: run2.run_id,
    version: run2.version,
    status: run2.status,
    exitCode: run2.exit_code ?? 1,
    durationS: run2.duration_s ?? 0,
    log: run2.log_path ?? "",
    command: plan.command,
    ...plan.previous ? { rerunOf: plan.previous.run_id } : {},
    ...run2.error_tail ? { error: run2.error_tail.split("\n").slice(-1)[0] } : {},
    warnings
  };
}
async function runExperiment(ctx, options, hooks = {}) {
  const warn2 = hooks.warn ?? (() => {
  });
  const plan = await planCommand(ctx, options);
  const run2 = await openRun(ctx, options, plan, newRunId());
  const { db, record } = run2;
  let final;
  try {
    for (const w of run2.warnings)
      warn2(w);
    hooks.step?.(`run ${record.run_id} \u2192 ${record.version}: ${plan.command.join(" ")}`);
    const exclude = [join11(resultsDir(ctx), "runs"), ...["", "-journal", "-wal", "-shm", ".wal"].map((s) => `${ctx.config.db}${s}`)];
    const provenance = gatherProvenance(ctx, plan.command, record.branch ?? void 0, exclude);
    const log = new RunLog();
    const outcome = await execute(run2, plan, log, options, warn2);
    final = await recordOutcome(ctx, run2, outcome, log, provenance);
  } finally {
    db.close();
  }
  const unpublished = run2.recordFile ? await finishRunRecord(ctx, run2.recordFile) : void 0;
  if (unpublished) {
    run2.warnings.push(unpublished);
    warn2(unpublished);
  }
  const report = reportOf(final, plan, run2.warnings);
  if (final.status === "completed" && options.tag) {
    const { tagExperiment } = await import("./tagging-NKAJUEKY.js");
    report.tag = await tagExperiment(ctx, { version: record.version, bump: "minor", description: options.message, dryRun: false, push: options.push, commit: true }, { step: hooks.step });
  }
  return report;
}

// dist/actions/run.js
async function run(command, flags, io) {
  if (flags.message !== void 0 && !flags.tag)
    throw new UsageError("-m is the tag description; use it with --tag");
  const ctx = await io.openRepo({ needCommit: true });
  const report = await runExperiment(ctx, {
    command,
    version: flags.version,
    bump: flags.bump,
    tag: flags.tag ?? false,
    message: flags.message,
    name: flags.name,
    seed: flags.seed,
    rerun: flags.rerun,
    push: !flags["no-push"],
    stdoutToStderr: io.json
  }, { step: progress, warn });
  process.stderr.write(`${renderRun(report)}
`);
  if (report.status !== "completed")
    process.exitCode = report.status === "cancelled" ? 130 : report.exitCode > 0 && report.exitCode < 256 ? report.exitCode : 1;
  return jsonResult("run", report);
}
export {
  run
};
