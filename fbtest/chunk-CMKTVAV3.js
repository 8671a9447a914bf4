import {
  relayEnv,
  relayProgress
} from "./chunk-XMJSE742.js";
import {
  ToolError,
  XvError
} from "./chunk-EEPF45DI.js";

// dist/adapters/dvc-config.js
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
function parseDvcIni(text) {
  const out = {};
  let section;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";"))
      continue;
    const sec = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (sec?.[1] !== void 0) {
      const name = sec[1].replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1");
      section = out[name] ??= {};
      continue;
    }
    const eq = line.indexOf("=");
    if (eq > 0 && section) {
      const value = line.slice(eq + 1).trim().replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1");
      section[line.slice(0, eq).trim()] = value;
    }
  }
  return out;
}
function sectionHeader(section) {
  return section.includes('"') ? `['${section}']` : `[${section}]`;
}
var HEADER = /^\s*\[\s*(.+?)\s*\]\s*$/;
function withSettings(text, settings) {
  const lines = text.split("\n");
  const nameOf = (line) => HEADER.exec(line)?.[1]?.replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1");
  for (const [section, values] of Object.entries(settings)) {
    let at = lines.findIndex((line) => nameOf(line) === section);
    if (at < 0)
      at = lines.push(sectionHeader(section)) - 1;
    const next = lines.findIndex((line, i) => i > at && HEADER.test(line));
    const end = next < 0 ? lines.length : next;
    for (const [key, value] of Object.entries(values)) {
      const line = `    ${key} = ${value}`;
      const old = lines.slice(at + 1, end).findIndex((l) => l.split("=")[0]?.trim() === key);
      if (old >= 0)
        lines[at + 1 + old] = line;
      else
        lines.splice(at + 1, 0, line);
    }
  }
  return lines.join("\n");
}
function isLocalPath(url) {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || url.startsWith("file://");
}
function localRemoteDir(url) {
  if (!isLocalPath(url))
    return void 0;
  return url.startsWith("file://") ? url.slice(7) : url;
}
function mergeDvcConfig(layers) {
  const merged = {};
  for (const layer of layers) {
    for (const [name, values] of Object.entries(parseDvcIni(layer.text))) {
      const target = merged[name] ??= {};
      for (const [k, v] of Object.entries(values)) {
        const isPath = name === "cache" && k === "dir" || name.startsWith("remote ") && k === "url";
        const local = isPath ? localRemoteDir(v) : void 0;
        target[k] = local !== void 0 && !isAbsolute(local) ? resolve(layer.dir, local) : v;
      }
    }
  }
  return merged;
}
function worktreeConfigLayers(root) {
  const dir = join(root, ".dvc");
  const layers = [];
  for (const file of [join(dir, "config"), join(dir, "config.local")]) {
    if (existsSync(file))
      layers.push({ text: readFileSync(file, "utf8"), dir });
  }
  return layers;
}
function readDvcConfig(root) {
  return mergeDvcConfig(worktreeConfigLayers(root));
}
function cacheDirFrom(config, root) {
  const dir = config.cache?.dir;
  if (dir)
    return localRemoteDir(dir) ?? dir;
  return join(root, ".dvc", "cache");
}
function cacheDirOf(root) {
  return cacheDirFrom(readDvcConfig(root), root);
}
function remoteFrom(config, name) {
  const chosen = name ?? config.core?.remote;
  if (!chosen)
    return void 0;
  const { url, ...options } = config[`remote "${chosen}"`] ?? {};
  if (!url)
    return void 0;
  return { name: chosen, url, options, dir: localRemoteDir(url) };
}
function remotesFrom(config) {
  const names = Object.keys(config).filter((s) => s.startsWith('remote "')).map((s) => s.slice('remote "'.length, -1));
  const first = config.core?.remote;
  names.sort((a, b) => Number(b === first) - Number(a === first));
  return names.map((n) => remoteFrom(config, n)).filter((r) => r !== void 0);
}
function defaultRemote(root) {
  return remoteFrom(readDvcConfig(root));
}
function committedDvcConfigText(root) {
  const git = (args) => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  for (const rev of ["HEAD", void 0]) {
    try {
      const at = rev ?? git(["for-each-ref", "--sort=-creatordate", "--count=1", "--format=%(refname)", "refs/tags"]).trim();
      if (at)
        return git(["cat-file", "blob", `${at}:.dvc/config`]);
    } catch {
    }
  }
  return void 0;
}

// dist/adapters/dvc.js
import { existsSync as existsSync2, readFileSync as readFileSync3 } from "node:fs";
import { delimiter, dirname, join as join2, resolve as resolve2 } from "node:path";
import { fileURLToPath } from "node:url";

// dist/fs-access.js
import { accessSync, constants } from "node:fs";
function can(path, mode) {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}
var isExecutable = (path) => can(path, constants.X_OK);

// dist/adapters/inactivity.js
import { readFileSync as readFileSync2 } from "node:fs";
function ioCounter(pid) {
  try {
    const text = readFileSync2(`/proc/${pid}/io`, "utf8");
    let total = 0;
    for (const m of text.matchAll(/^(rchar|wchar):\s*(\d+)$/gm))
      total += Number(m[2]);
    return total;
  } catch {
    return void 0;
  }
}
function watchInactivity(child, seconds) {
  let last = Date.now();
  let counter = child.pid === void 0 ? void 0 : ioCounter(child.pid);
  let timedOut = false;
  const moved = () => {
    last = Date.now();
  };
  child.stdout?.on("data", moved);
  child.stderr?.on("data", moved);
  const periodMs = Math.max(100, Math.min(1e3, seconds * 1e3 / 4));
  let killer;
  const timer = setInterval(() => {
    const now = child.pid === void 0 ? void 0 : ioCounter(child.pid);
    if (now !== void 0 && now !== counter) {
      counter = now;
      moved();
    }
    if (Date.now() - last >= seconds * 1e3 && !timedOut) {
      timedOut = true;
      child.kill("SIGTERM");
      killer = setTimeout(() => child.kill("SIGKILL"), 2e3);
      killer.unref();
    }
  }, periodMs);
  timer.unref();
  return {
    get timedOut() {
      return timedOut;
    },
    stop() {
      clearInterval(timer);
      if (killer)
        clearTimeout(killer);
      child.stdout?.removeListener("data", moved);
      child.stderr?.removeListener("data", moved);
    }
  };
}

// dist/adapters/dvc.js
var INSTALL_HINT = "install it with 'bash scripts/install-dvc.sh' (from the xv checkout) or 'pip install dvc', or set XV_DVC to its path";
var PACKAGE_ROOT = resolve2(dirname(fileURLToPath(import.meta.url)), "..", "..");
var cachedBinary;
function findDvc() {
  if (cachedBinary !== void 0)
    return cachedBinary ?? void 0;
  const fromEnv = process.env.XV_DVC;
  let found;
  if (fromEnv)
    found = isExecutable(fromEnv) ? fromEnv : void 0;
  else {
    for (const dir of (process.env.PATH ?? "").split(delimiter)) {
      if (dir && isExecutable(join2(dir, "dvc"))) {
        found = join2(dir, "dvc");
        break;
      }
    }
    if (!found && isExecutable(join2(PACKAGE_ROOT, ".venv", "bin", "dvc")))
      found = join2(PACKAGE_ROOT, ".venv", "bin", "dvc");
  }
  cachedBinary = found ?? null;
  return found;
}
function requireDvc(why) {
  const bin = findDvc();
  if (!bin) {
    const env = process.env.XV_DVC ? ` (XV_DVC=${process.env.XV_DVC} is not executable)` : "";
    throw new XvError(`dvc is needed to ${why} but was not found${env}; ${INSTALL_HINT}`);
  }
  return bin;
}
function preloadProcessRunner() {
  void import("execa");
}
function isDvcRepo(root) {
  return existsSync2(join2(root, ".dvc", "config")) || existsSync2(join2(root, ".dvc"));
}
function targetArgs(targets) {
  return targets.length > 0 ? ["--", ...targets] : [];
}
var Dvc = class {
  root;
  knownConfig;
  /** CONFIG: the worktree's DVC config when the caller has read it already (RepoContext). */
  constructor(root, config) {
    this.root = root;
    this.knownConfig = config;
  }
  async run(args, options = {}) {
    const bin = requireDvc(options.what ?? `run 'dvc ${args[0]}'`);
    const remote = isRemoteOperation(args);
    const argv = remote ? args.filter((a) => a !== "--quiet" && a !== "-q") : args;
    const { execa } = await import("execa");
    const child = execa(bin, argv, {
      cwd: this.root,
      stdin: "ignore",
      reject: false,
      env: { DVC_NO_ANALYTICS: "1", DVC_NO_UPDATER: "1", ...options.progress ? relayEnv() : {} },
      ...options.signal ? { cancelSignal: options.signal } : {}
    });
    const relay = options.progress ? relayProgress(child.stderr) : void 0;
    const watch = remote ? watchInactivity(child, remoteTimeoutSeconds) : void 0;
    const res = await child.finally(() => relay?.stop());
    watch?.stop();
    if (watch?.timedOut)
      throw remoteTimeoutError(`dvc ${args[0]}`, args, this.remoteOf(args));
    if (res.exitCode !== 0 || res.failed) {
      const detail = dvcErrorCause(`${res.stderr}
${res.stdout}`) || res.shortMessage || "failed";
      throw new ToolError("dvc", args, `dvc ${args[0]} failed: ${detail}`, { stderr: res.stderr, exitCode: res.exitCode });
    }
    return res.stdout;
  }
  // ---- the DVC verbs xv runs, each spelled once ------------------------------------------------
  /** `dvc push` of the workspace's outputs (a remote operation: DVC's ERROR line is kept). */
  async push(options = {}, targets = []) {
    await this.run(["push", "--quiet", ...targetArgs(targets)], { what: "push the artifacts", ...options });
  }
  /** `dvc checkout` of TARGETS (every output when none) from the cache; quiet unless DVC's progress is shown. */
  async checkout(options = {}, targets = []) {
    const { force, ...run } = options;
    await this.run(["checkout", ...force ? ["--force"] : [], ...run.progress ? [] : ["--quiet"], ...targetArgs(targets)], { what: "check out the artifacts", ...run });
  }
  /** `dvc pull` of TARGETS (every output when none) that the cache lacks. */
  async pull(options = {}, targets = []) {
    await this.run(["pull", "--quiet", ...targetArgs(targets)], { what: "fetch the artifacts", ...options });
  }
  /** `dvc init` in the root. */
  async init() {
    await this.run(["init", "--quiet"], { what: "initialise DVC" });
  }
  /** `dvc remote add --default NAME URL`. */
  async addDefaultRemote(name, url) {
    await this.run(["remote", "add", "--default", name, url], { what: "add the DVC remote" });
  }
  /** `dvc cache dir --local DIR` (this clone's cache, not committed). */
  async setLocalCacheDir(dir) {
    await this.run(["cache", "dir", "--local", dir], { what: "set the cache directory" });
  }
  /**
   * `dvc add` (and `dvc commit --force` of stage outputs) then `dvc push`, in ONE DVC process
   * through DVC's own Python API (the same code the CLI runs), which saves a DVC start-up
   * (~0.5 s) over two commands. `onAdded` fires once the cache holds the objects, so the caller
   * can commit and tag while the push runs. Falls back to the two CLI commands when dvc is not a
   * Python entry point. Resolves with the push error message, if the push (only) failed.
   */
  async addAndPush(step, onAdded = () => {
  }, track) {
    const python = dvcPython();
    if (!python) {
      if (step.revs)
        throw new XvError("pushing the objects of other revisions needs a pip-installed dvc");
      if (step.add.length > 0)
        await this.run(["add", ...step.add], { what: "track the artifacts", progress: true });
      if (step.commit.length > 0)
        await this.run(["commit", "--force", "--quiet", ...step.commit], { what: "record the stage outputs" });
      onAdded();
      if (!step.push)
        return void 0;
      try {
        await this.push({ progress: true });
        return void 0;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    }
    const { execa } = await import("execa");
    const child = execa(python, ["-c", DRIVER, JSON.stringify({ ...step, config: localRemoteOverrides(this.config()) })], {
      cwd: this.root,
      stdin: "ignore",
      reject: false,
      env: { DVC_NO_ANALYTICS: "1", DVC_NO_UPDATER: "1", ...relayEnv() }
    });
    const relay = relayProgress(child.stderr);
    const forget = track?.((signal = "SIGINT") => child.kill(signal));
    const state = { added: false };
    let buffer = "";
    const watch = step.push || step.revs ? watchInactivity(child, remoteTimeoutSeconds) : void 0;
    child.stdout.on("data", (chunk) => {
      buffer += chunk.toString();
      if (!state.added && buffer.includes("XV-ADDED\n")) {
        state.added = true;
        onAdded();
      }
    });
    const res = await child.finally(() => {
      forget?.();
      relay.stop();
    });
    watch?.stop();
    if (watch?.timedOut) {
      if (state.added)
        return remoteTimeoutError("dvc push", [], this.remoteOf([])).message;
      throw remoteTimeoutError("dvc add");
    }
    const out = res.stdout;
    const failure = /^XV-ERROR (\w+) (.*)$/m.exec(out);
    if (failure) {
      const message = `dvc ${failure[1]} failed: ${failure[2]}`;
      if (failure[1] === "push")
        return message;
      throw new XvError(message);
    }
    if (res.exitCode !== 0 || !out.includes("XV-DONE")) {
      throw new XvError(`dvc failed: ${dvcErrorCause(`${res.stderr}
${out}`) || `exit code ${res.exitCode ?? "?"}`}`);
    }
    return void 0;
  }
  config() {
    return this.knownConfig ?? readDvcConfig(this.root);
  }
  /** The remote a command line talks to: `-r NAME`, else the default remote. */
  remoteOf(args) {
    const flag = args.findIndex((a) => a === "-r" || a === "--remote");
    return remoteFrom(this.config(), flag >= 0 ? args[flag + 1] : void 0);
  }
};
var PY_QUIET_INTERRUPT = `import sys
sys.excepthook = (lambda hook: lambda kind, value, tb: None if issubclass(kind, KeyboardInterrupt) else hook(kind, value, tb))(sys.excepthook)
`;
var DRIVER = `${PY_QUIET_INTERRUPT}
import json, sys
step = json.loads(sys.argv[1])
phase = "add"
try:
    from dvc.repo import Repo
    # Local remotes by absolute path: reading an older revision's config from git, DVC would
    # resolve a relative URL against the git tree's root ("/store").
    with Repo(config=step.get("config") or None) as repo:
        if step["add"]:
            repo.add(step["add"])
        phase = "commit"
        for target in step["commit"]:
            repo.commit(target, force=True)
        print("XV-ADDED", flush=True)
        phase = "push"
        if step.get("revs"):
            repo.push(revs=step["revs"], workspace=False)
        elif step["push"]:
            repo.push()  # everything the workspace references: a tag is never published without its data
    print("XV-DONE", flush=True)
except Exception as exc:
    message = " ".join(str(exc).split()) or type(exc).__name__
    cause = exc.__cause__
    if cause is not None and str(cause):
        message += ": " + " ".join(str(cause).split())
    print(f"XV-ERROR {phase} {message}", flush=True)
    sys.exit(2)
`;
function localRemoteOverrides(config) {
  const remote = {};
  for (const r of remotesFrom(config))
    if (r.dir !== void 0)
      remote[r.name] = { url: r.dir };
  if (Object.keys(remote).length === 0)
    return {};
  return config.core?.remote ? { remote, core: { remote: config.core.remote } } : { remote };
}
function dvcPython() {
  const bin = findDvc();
  if (!bin)
    return void 0;
  try {
    const head = readFileSync3(bin, { encoding: "latin1" }).slice(0, 300).split("\n")[0] ?? "";
    const python = /^#!\s*(\S*python[\d.]*)\s*$/.exec(head)?.[1];
    return python && isExecutable(python) ? python : void 0;
  } catch {
    return void 0;
  }
}
function dvcErrorCause(text) {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l && !/^Having any troubles\?/.test(l));
  const err = lines.filter((l) => l.startsWith("ERROR:")).pop();
  return (err ?? lines.pop() ?? "").replace(/^ERROR:\s*/, "").replace(/^unexpected error - /, "");
}
var REMOTE_COMMANDS = /* @__PURE__ */ new Set(["push", "pull", "fetch", "get", "import", "update"]);
function isRemoteOperation(args) {
  return REMOTE_COMMANDS.has(args[0] ?? "") || args[0] === "status" && (args.includes("--cloud") || args.includes("-c"));
}
var remoteTimeoutSeconds = 120;
function setRemoteTimeout(seconds) {
  remoteTimeoutSeconds = seconds;
}
function remoteTimeoutError(what, args = [], remote) {
  const who = remote ? `DVC remote '${remote.name}' (${remote.url})` : "the remote";
  return new ToolError("dvc", args, `${what} gave up: no progress for ${remoteTimeoutSeconds} s (${who} is not answering); check the remote, or raise remoteTimeout in xv.yaml`);
}

// dist/adapters/git-failure.js
var FIELD = "";
var RECORD = "";
function firstGitLine(stderr) {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  const fatal = lines.find((l) => l.startsWith("fatal:") || l.startsWith("error:"));
  return (fatal ?? lines[0] ?? "no message").replace(/^(fatal|error):\s*/, "");
}

// dist/adapters/git-stage.js
async function statusEntries(git) {
  const res = await git.exec(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"]);
  if (res.exitCode !== 0)
    throw new XvError(`git status failed: ${firstGitLine(res.stderr)}`);
  return res.stdout.split("\0").filter((rec) => rec.length > 3).map((rec) => ({ code: rec.slice(0, 2), path: rec.slice(3) }));
}
async function indexTree(git) {
  const res = await git.exec(["write-tree"]);
  if (res.exitCode !== 0)
    throw new XvError(`the index has unmerged paths (${firstGitLine(res.stderr)}); resolve them before 'xv tag'`);
  return res.stdout.trim();
}
async function restoreIndex(git, tree) {
  const res = await git.exec(["read-tree", tree]);
  if (res.exitCode !== 0)
    throw new XvError(`git read-tree failed: ${firstGitLine(res.stderr)}`);
}
async function stagePaths(git, paths) {
  if (paths.length === 0)
    return;
  const res = await git.exec(["--literal-pathspecs", "add", "-A", "--pathspec-from-file=-", "--pathspec-file-nul"], { input: `${paths.join("\0")}\0` });
  if (res.exitCode !== 0)
    throw new XvError(`git add failed: ${firstGitLine(res.stderr)}`);
}
async function undoCommit(git, expected, previous) {
  const res = await git.exec(["update-ref", "-m", "xv: undo experiment commit", "HEAD", previous, expected]);
  if (res.exitCode !== 0)
    throw new XvError(`HEAD moved since xv committed (${firstGitLine(res.stderr)})`);
}
async function upstreamOf(git, branch) {
  const res = await git.exec(["for-each-ref", "--format=%(upstream:remotename)%00%(upstream:remoteref)", `refs/heads/${branch}`]);
  const [remote = "", ref = ""] = res.stdout.trim().split("\0");
  return remote && ref ? { remote, ref } : void 0;
}
async function pushRefspecs(git, remote, refspecs, options = {}) {
  const args = ["push", "--porcelain", ...options.setUpstream ? ["--set-upstream"] : [], remote, ...refspecs];
  const res = await git.exec(args, { timeoutMs: options.timeoutMs });
  const outcome = { accepted: [], rejected: [] };
  for (const line of res.stdout.split("\n")) {
    const m = /^([ +\-*=!])\t([^\t]*):([^\t]*)\t?(.*)$/.exec(line);
    if (!m)
      continue;
    const dest = m[3] ?? "";
    if (m[1] === "!")
      outcome.rejected.push({ ref: dest, reason: (m[4] ?? "").replace(/^\[rejected\]\s*/, "").trim() || "rejected" });
    else
      outcome.accepted.push(dest);
  }
  if (res.exitCode !== 0 && outcome.accepted.length === 0 && outcome.rejected.length === 0)
    outcome.unreachable = res.timedOut ? `no answer from ${remote} within ${Math.round((options.timeoutMs ?? 0) / 1e3)} s` : firstGitLine(res.stderr);
  return outcome;
}
async function commitIndex(git, message, track) {
  const { execa } = await import("execa");
  const child = execa("git", ["commit", "-q", "-m", message], { cwd: git.cwd, reject: false, stdin: "ignore" });
  const forget = track?.((signal = "SIGTERM") => child.kill(signal));
  const res = await child.finally(() => forget?.());
  if (res.exitCode !== 0)
    throw new XvError(`git commit failed: ${firstGitLine(res.stderr || res.stdout)}`);
  return (await git.raw(["rev-parse", "HEAD"])).trim();
}

// dist/adapters/git.js
import { dirname as dirname2, isAbsolute as isAbsolute2, resolve as resolve4 } from "node:path";

// dist/adapters/git-objects.js
import { spawn as spawn2 } from "node:child_process";
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";

// dist/adapters/git-runner.js
import { spawn } from "node:child_process";
var GitRunner = class {
  cwd;
  sg;
  constructor(cwd) {
    this.cwd = cwd;
  }
  simpleGit() {
    this.sg ??= import("simple-git").then(({ simpleGit }) => (
      // A non-zero exit is a failure even when git printed nothing on stderr (simple-git's default
      // treats that as success).
      simpleGit({
        baseDir: this.cwd,
        trimmed: false,
        errors: (error, result) => {
          if (result.exitCode === 0)
            return void 0;
          return error ?? Buffer.concat([...result.stdErr, ...result.stdOut]);
        }
      })
    ));
    return this.sg;
  }
  /** Runs git with an argument array (simple-git) and returns stdout (ToolError on a non-zero exit). */
  async raw(args) {
    try {
      return await (await this.simpleGit()).raw(args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ToolError("git", args, `git ${args[0] ?? ""} failed: ${firstGitLine(message)}`, { stderr: message });
    }
  }
  /** Like raw, but returns undefined when git exits non-zero. */
  async tryRaw(args) {
    try {
      return await (await this.simpleGit()).raw(args);
    } catch {
      return void 0;
    }
  }
  /** A start-up read as a plain child process: stdout, or undefined when git exits non-zero (`run` throws instead). */
  async read(args) {
    const res = await this.exec(args);
    return res.exitCode === 0 ? res.stdout : void 0;
  }
  /** Runs git and returns stdout; a non-zero exit is a ToolError carrying git's first error line. */
  async run(args, options = {}) {
    const res = await ((options.input === void 0 ? takePrefetched(this.cwd, args) : void 0) ?? this.exec(args, options));
    if (res.exitCode !== 0)
      throw new ToolError("git", args, `git ${args[0] ?? ""} failed: ${firstGitLine(res.stderr || res.stdout)}`, { stderr: res.stderr, exitCode: res.exitCode });
    return res.stdout;
  }
  /**
   * Runs git as a plain child process: exit code, stdout and stderr, never throwing for a non-zero
   * exit; git never prompts. A timeout ends git (SIGTERM, SIGKILL 5 s later) and says `timedOut`;
   * SIGNAL aborts it.
   */
  exec(args, options = {}) {
    return spawnGit(this.cwd, args, options);
  }
};
var prefetch;
var locatedFrom = /* @__PURE__ */ new Map();
function prefetchGit(cwd, args) {
  prefetch = { cwd, args: args.join("\0"), result: spawnGit(cwd, [...args]) };
}
function noteLocated(root, cwd) {
  locatedFrom.set(root, cwd);
}
function takePrefetched(root, args) {
  const p = prefetch;
  if (!p || p.args !== args.join("\0") || locatedFrom.get(root) !== p.cwd)
    return void 0;
  prefetch = void 0;
  return p.result;
}
function spawnGit(cwd, args, options = {}) {
  return new Promise((done) => {
    const env = options.interactive ? process.env : { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? "ssh -o BatchMode=yes" };
    const child = spawn("git", args, { cwd, env, stdio: [options.input === void 0 ? "ignore" : "pipe", "pipe", "pipe"] });
    const out = [];
    const err = [];
    let timedOut = false;
    let killer;
    const stop = () => {
      child.kill("SIGTERM");
      killer ??= setTimeout(() => child.kill("SIGKILL"), 5e3).unref();
    };
    const timer = options.timeoutMs ? setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs) : void 0;
    options.signal?.addEventListener("abort", stop, { once: true });
    if (options.signal?.aborted)
      stop();
    child.stdout?.on("data", (c) => out.push(c));
    child.stderr?.on("data", (c) => err.push(c));
    const finish = (exitCode, stderr) => {
      if (timer)
        clearTimeout(timer);
      if (killer)
        clearTimeout(killer);
      options.signal?.removeEventListener("abort", stop);
      done({ exitCode, stdout: Buffer.concat(out).toString("utf8"), stderr: stderr ?? Buffer.concat(err).toString("utf8"), timedOut });
    };
    child.once("error", (error) => finish(1, error.message));
    child.once("close", (code) => finish(code ?? 1));
    if (child.stdin) {
      child.stdin.on("error", () => {
      });
      child.stdin.end(options.input);
    }
  });
}

// dist/adapters/git-objects.js
var GitObjects = class extends GitRunner {
  /** Content of PATH at REV as a buffer, or undefined when absent. */
  async showFile(rev, path) {
    try {
      const { execa } = await import("execa");
      const out = await execa("git", ["cat-file", "blob", `${rev}:${path}`], {
        cwd: this.cwd,
        encoding: "buffer",
        stripFinalNewline: false
      });
      return Buffer.from(out.stdout);
    } catch {
      return void 0;
    }
  }
  /** Object id and type of REV:PATH, or undefined when PATH does not exist at REV. */
  async objectAt(rev, path) {
    try {
      const { execa } = await import("execa");
      const res = await execa("git", ["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"], {
        cwd: this.cwd,
        input: `${rev}:${path}
`
      });
      const [oid = "", type, size] = res.stdout.trim().split(" ");
      if (!type || type === "missing" || !size)
        return void 0;
      return { oid, type, size: Number(size) };
    } catch {
      return void 0;
    }
  }
  /** Streams a blob into a file; returns the bytes written. */
  async writeBlob(oid, dest, onChunk) {
    const { execa } = await import("execa");
    const child = execa("git", ["cat-file", "blob", oid], { cwd: this.cwd, buffer: false, encoding: "buffer" });
    let bytes = 0;
    child.stdout.on("data", (chunk) => {
      bytes += chunk.length;
      onChunk?.(chunk);
    });
    await Promise.all([pipeline(child.stdout, createWriteStream(dest)), child]);
    return bytes;
  }
  /** Tag names only (one for-each-ref). */
  async listTagNames() {
    const res = await this.exec(["for-each-ref", "--format=%(refname:strip=2)", "refs/tags"]);
    if (res.exitCode !== 0)
      throw new XvError(`git for-each-ref failed: ${firstGitLine(res.stderr)}`);
    return res.stdout.split("\n").filter(Boolean);
  }
  /** Writes TEXT as a blob object; returns its id. */
  async hashObject(text) {
    const res = await this.exec(["hash-object", "-w", "--stdin"], { input: text });
    if (res.exitCode !== 0)
      throw new XvError(`git hash-object failed: ${firstGitLine(res.stderr)}`);
    return res.stdout.trim();
  }
  /** Contents of several objects in one `cat-file --batch`; missing ones are absent from the map. */
  async catFileBatch(oids) {
    const result = /* @__PURE__ */ new Map();
    if (oids.length === 0)
      return result;
    const buf = await batchRead(this.cwd, `${oids.join("\n")}
`);
    let off = 0;
    for (const oid of oids) {
      const nl = buf.indexOf(10, off);
      if (nl < 0)
        break;
      const header = buf.toString("utf8", off, nl).split(" ");
      off = nl + 1;
      if (header[1] === "missing" || header.length < 3)
        continue;
      const size = Number(header[2]);
      result.set(oid, buf.subarray(off, off + size));
      off += size + 1;
    }
    return result;
  }
  /** Creates REF at OID only if REF does not exist (atomic); false when it already exists. */
  async createRefIfAbsent(ref, oid) {
    const res = await this.exec(["update-ref", "--no-deref", ref, oid, ""]);
    if (res.exitCode === 0)
      return true;
    if (/exists|reference already|unable to lock|cannot lock/i.test(res.stderr))
      return false;
    throw new XvError(`git update-ref failed: ${firstGitLine(res.stderr)}`);
  }
  /** Deletes REF (only if it still points at OID, when given); false when it did not exist or moved. */
  async deleteRefIfMatches(ref, oid) {
    const res = await this.exec(["update-ref", "-d", ref, ...oid ? [oid] : []]);
    return res.exitCode === 0;
  }
  /**
   * Pushes OID to REF on REMOTE only if the remote does not have REF yet
   * (`--force-with-lease=REF:`): 'taken' when it has one, 'unreachable' when the remote cannot be reached.
   */
  async pushRefCreateOnly(remote, ref, oid, timeoutMs) {
    const res = await this.exec(["push", "--porcelain", `--force-with-lease=${ref}:`, remote, `${oid}:${ref}`], { timeoutMs });
    if (res.exitCode === 0)
      return "pushed";
    if (res.timedOut)
      return "unreachable";
    if (/stale info|\[rejected\]|already exists|fetch first|non-fast-forward/i.test(res.stdout + res.stderr))
      return "taken";
    return "unreachable";
  }
  /** Deletes REF on REMOTE. */
  async deleteRemoteRef(remote, ref, timeoutMs) {
    const res = await this.exec(["push", "--porcelain", remote, `:${ref}`], { timeoutMs });
    if (res.exitCode !== 0)
      throw new XvError(`git push --delete ${ref} failed: ${firstGitLine(res.stderr)}`);
  }
  /** Fetches REFSPECS from REMOTE (with --prune when asked); false when the remote could not be reached. */
  async fetchRefs(remote, refspecs, timeoutMs, prune = false) {
    const res = await this.exec(["fetch", "--quiet", "--no-tags", ...prune ? ["--prune"] : [], remote, ...refspecs], { timeoutMs });
    return res.exitCode === 0;
  }
};
function batchRead(cwd, input) {
  return new Promise((done) => {
    const chunks = [];
    const child = spawn2("git", ["cat-file", "--batch"], { cwd, stdio: ["pipe", "pipe", "ignore"] });
    child.stdout.on("data", (c) => chunks.push(c));
    child.on("error", () => done(Buffer.alloc(0)));
    child.on("close", () => done(Buffer.concat(chunks)));
    child.stdin.on("error", () => {
    });
    child.stdin.end(input);
  });
}

// dist/adapters/git-index.js
import { readFileSync as readFileSync4, statSync } from "node:fs";
import { join as join3, resolve as resolve3 } from "node:path";
function indexPaths(root) {
  try {
    let gitDir = join3(root, ".git");
    const st = statSync(gitDir, { throwIfNoEntry: false });
    if (!st)
      return void 0;
    if (st.isFile()) {
      const pointer = /^gitdir: (.*)$/m.exec(readFileSync4(gitDir, "utf8"))?.[1];
      if (pointer === void 0)
        return void 0;
      gitDir = resolve3(root, pointer.trim());
    }
    const buf = readFileSync4(join3(gitDir, "index"));
    if (buf.toString("latin1", 0, 4) !== "DIRC")
      return void 0;
    const version = buf.readUInt32BE(4);
    if (version !== 2 && version !== 3)
      return void 0;
    const count = buf.readUInt32BE(8);
    const paths = [];
    let off = 12;
    for (let i = 0; i < count; i++) {
      const mode = buf.readUInt32BE(off + 24);
      if (![33188, 33261, 40960, 57344].includes(mode))
        return void 0;
      const flags = buf.readUInt16BE(off + 60);
      const start = off + 62 + (version === 3 && flags & 16384 ? 2 : 0);
      const nameLength = flags & 4095;
      const end = nameLength < 4095 ? start + nameLength : buf.indexOf(0, start);
      if (end < 0 || end >= buf.length || buf[end] !== 0)
        return void 0;
      paths.push(buf.toString("utf8", start, end));
      off += end - off + 8 & ~7;
    }
    while (off + 8 <= buf.length - 20) {
      const sig = buf.toString("latin1", off, off + 4);
      if (sig === "link" || sig === "sdir")
        return void 0;
      off += 8 + buf.readUInt32BE(off + 4);
    }
    return paths;
  } catch {
    return void 0;
  }
}

// dist/adapters/git-read.js
function parseTreeEntries(out) {
  const entries = [];
  for (const rec of out.split("\0")) {
    if (!rec)
      continue;
    const tab = rec.indexOf("	");
    const [mode = "", type = "", oid = "", size] = rec.slice(0, tab).split(/\s+/);
    entries.push({ mode, type, oid, size: size && size !== "-" ? Number(size) : void 0, path: rec.slice(tab + 1) });
  }
  return entries;
}
async function treeEntries(git, rev, paths) {
  if (paths.length === 0)
    return [];
  const out = await git.raw(["ls-tree", "-z", "--full-tree", rev, "--", ...paths]);
  const wanted = new Set(paths);
  return parseTreeEntries(out).filter((e) => wanted.has(e.path));
}
async function treeFiles(git, rev, paths = []) {
  const out = await git.raw(["ls-tree", "-r", "-z", "--long", "--full-tree", rev, "--", ...paths]);
  return parseTreeEntries(out);
}

// dist/adapters/git-worktrees.js
async function addWorktree(git, path, rev, branch, signal) {
  const how = branch ? ["-b", branch] : ["--detach"];
  const res = await git.exec(["worktree", "add", "--quiet", ...how, "--", path, rev], { signal });
  if (res.exitCode !== 0) {
    const args = ["worktree", "add", ...how, "--", path, rev];
    throw new ToolError("git", args, `git worktree add failed: ${firstGitLine(res.stderr)}`, { stderr: res.stderr, exitCode: res.exitCode });
  }
}
async function removeWorktree(git, path, force) {
  await git.raw(["worktree", "remove", ...force ? ["--force", "--force"] : [], "--", path]);
}
async function pruneWorktrees(git) {
  await git.tryRaw(["worktree", "prune"]);
}
async function gitQuick(cwd, args) {
  const res = await spawnGit(cwd, args);
  return res.exitCode === 0 ? res.stdout : void 0;
}
async function lsFilesOf(root, pathspecs) {
  const out = await gitQuick(root, ["ls-files", "-z", "--full-name", "--", ...pathspecs]);
  return (out ?? "").split("\0").filter(Boolean);
}

// dist/adapters/git.js
var TAG_LIST_ARGS = [
  "for-each-ref",
  // %(object) (the tagged object, read from the tag itself) is cheaper than peeling with %(*objectname).
  `--format=${["%(refname:strip=2)", "%(objecttype)", "%(object)", "%(objectname)", "%(creatordate:iso-strict)", "%(taggername)", "%(contents:subject)"].join(FIELD)}${RECORD}`,
  "refs/tags"
];
var Git = class _Git extends GitObjects {
  /** Finds the repository around cwd; fails with one line outside a repository. */
  static async locate(cwd) {
    const git = new _Git(cwd);
    const withHead = await git.read(["rev-parse", "--show-toplevel", "--git-common-dir", "--verify", "HEAD^{commit}"]);
    const out = withHead ?? await git.read(["rev-parse", "--show-toplevel", "--git-common-dir"]);
    if (out === void 0)
      throw new XvError(`not inside a git repository (${cwd}); run 'xv init' to create one, or cd into your project`);
    const [top, common = ".git", headLine] = out.trim().split("\n");
    if (!top || top.startsWith("fatal"))
      throw new XvError("not inside a git work tree; xv needs a checkout, not a bare repository");
    const commonDir = isAbsolute2(common) ? common : resolve4(cwd, common);
    const mainRoot = commonDir.endsWith("/.git") ? dirname2(commonDir) : top;
    noteLocated(top, cwd);
    const head = withHead !== void 0 && /^[0-9a-f]{40,64}$/.test(headLine ?? "") ? headLine : void 0;
    return { root: top, mainRoot, commonDir, head };
  }
  async revParse(rev) {
    const out = await this.tryRaw(["rev-parse", "--verify", "-q", "--end-of-options", rev]);
    return out?.trim() || void 0;
  }
  /** Every tag under refs/tags in one for-each-ref call. */
  /** Starts listTags' read in CWD now (bin/run.js, before `xv list` loads); listTags takes it. */
  static prefetchTags(cwd) {
    prefetchGit(cwd, TAG_LIST_ARGS);
  }
  async listTags() {
    const out = await this.run([...TAG_LIST_ARGS]);
    const tags = [];
    for (const rec of out.split(RECORD)) {
      const line = rec.startsWith("\n") ? rec.slice(1) : rec;
      if (!line)
        continue;
      const [name = "", type = "", object = "", objectname = "", date = "", tagger = "", subject = ""] = line.split(FIELD);
      tags.push({ name, type, commit: type === "tag" ? object : objectname, date, tagger, subject });
    }
    return tags;
  }
  async tagExists(name) {
    const out = await this.tryRaw(["for-each-ref", "--format=%(refname)", `refs/tags/${name}`]);
    return (out ?? "").split("\n").includes(`refs/tags/${name}`);
  }
  async createAnnotatedTag(name, message, rev = "HEAD") {
    await this.raw(["tag", "-a", "-m", message, name, rev]);
  }
  async deleteTag(name) {
    await this.raw(["tag", "-d", name]);
  }
  async addAll() {
    await this.raw(["add", "-A"]);
  }
  async hasStagedChanges() {
    const out = await this.raw(["diff", "--cached", "--name-only"]);
    return out.trim().length > 0;
  }
  async commit(message) {
    await this.raw(["commit", "-q", "-m", message]);
    return (await this.raw(["rev-parse", "HEAD"])).trim();
  }
  /** `git status --porcelain` lines (untracked included). */
  async statusLines() {
    const out = await this.raw(["status", "--porcelain", "--untracked-files=normal"]);
    return out.split("\n").filter(Boolean);
  }
  async remotes() {
    const out = await this.raw(["remote"]);
    return out.split("\n").map((s) => s.trim()).filter(Boolean);
  }
  /** Tag names present on a remote (one ls-remote). */
  async remoteTags(remote, timeoutMs) {
    let out;
    if (timeoutMs === void 0)
      out = await this.raw(["ls-remote", "--tags", "--refs", remote]);
    else {
      const res = await this.exec(["ls-remote", "--tags", "--refs", remote], { timeoutMs });
      if (res.timedOut)
        throw new XvError(`git ls-remote ${remote} gave up after ${String(timeoutMs / 1e3)} s (the remote is not answering)`);
      if (res.exitCode !== 0)
        throw new XvError(`git ls-remote ${remote} failed: ${firstGitLine(res.stderr)}`);
      out = res.stdout;
    }
    const tags = /* @__PURE__ */ new Map();
    for (const line of out.split("\n")) {
      const [sha = "", ref] = line.split("	");
      if (ref?.startsWith("refs/tags/"))
        tags.set(ref.slice("refs/tags/".length), sha);
    }
    return tags;
  }
  async pushTags(remote, tags) {
    if (tags.length === 0)
      return;
    await this.raw(["push", "-q", remote, ...tags.map((t) => `refs/tags/${t}:refs/tags/${t}`)]);
  }
  /** True when the repository has at least one tag (one cheap for-each-ref). */
  async hasAnyTag() {
    const res = await this.exec(["for-each-ref", "--count=1", "--format=x", "refs/tags"]);
    return res.exitCode === 0 && res.stdout.trim() !== "";
  }
  /** Commits reachable from HEAD_REV but not from BASE (0 when BASE does not exist). */
  async countAhead(base, headRev) {
    const res = await this.exec(["rev-list", "--count", `${base}..${headRev}`, "--"]);
    return res.exitCode === 0 ? Number(res.stdout.trim()) || 0 : 0;
  }
  /** Commits of HEAD its branch's upstream lacks; undefined when there is no upstream. */
  async aheadOfUpstream() {
    const res = await this.exec(["rev-list", "--count", "@{upstream}..HEAD", "--"]);
    return res.exitCode === 0 ? Number(res.stdout.trim()) : void 0;
  }
  /** Untracked files (ignored ones included; a wholly untracked folder as one "dir/" entry), relative to the root. */
  async untrackedFiles() {
    const res = await this.exec(["ls-files", "--others", "--directory", "--no-empty-directory", "-z", "--full-name", "--", ":/"]);
    return res.exitCode === 0 ? res.stdout.split("\0").filter(Boolean) : [];
  }
  /** The branch HEAD is on, or undefined when detached (or on an unborn branch). */
  async currentBranch() {
    const res = await this.exec(["symbolic-ref", "-q", "--short", "HEAD"]);
    const name = res.stdout.trim();
    return res.exitCode === 0 && name ? name : void 0;
  }
  /** The upstream of BRANCH as {remote, branch}, if one is set. */
  async upstreamOf(branch) {
    const res = await this.exec(["for-each-ref", "--format=%(upstream:remotename)%00%(upstream:short)", `refs/heads/${branch}`]);
    const [remote, short] = res.stdout.trim().split("\0");
    if (!remote || !short)
      return void 0;
    return { remote, branch: short.startsWith(`${remote}/`) ? short.slice(remote.length + 1) : short };
  }
  /**
   * One `git push` of BRANCH (to REMOTE_BRANCH, setting the upstream when asked) and TAGS. Fails
   * with git's first error line (a rejected branch names the fix).
   */
  async pushBranchAndTags(remote, branch, tags) {
    const refspecs = [
      ...branch ? [`refs/heads/${branch.local}:refs/heads/${branch.remote}`] : [],
      ...tags.map((t) => `refs/tags/${t}:refs/tags/${t}`)
    ];
    if (refspecs.length === 0)
      return;
    const res = await this.exec(["push", "--porcelain", ...branch?.setUpstream ? ["--set-upstream"] : [], remote, ...refspecs]);
    if (res.exitCode === 0)
      return;
    if (branch && /\[rejected\].*refs\/heads\//.test(res.stdout))
      throw new XvError(`git push of branch ${branch.local} to ${remote} was rejected (the remote has commits this branch lacks); run 'git pull --rebase ${remote} ${branch.remote}', then 'xv push' again`);
    throw new XvError(`git push to ${remote} failed: ${firstGitLine(res.stderr) || firstGitLine(res.stdout)}`);
  }
  /** Tracked files (index) matching pathspecs, relative to the repository root. */
  async lsFiles(pathspecs) {
    const out = await this.run(["ls-files", "-z", "--full-name", "--", ...pathspecs]);
    return out.split("\0").filter(Boolean);
  }
  async worktrees() {
    const out = await this.raw(["worktree", "list", "--porcelain"]);
    const records = [];
    for (const block of out.split("\n\n")) {
      const lines = block.split("\n").filter(Boolean);
      if (lines.length === 0)
        continue;
      const rec = { path: "", detached: false, bare: false, prunable: false };
      for (const line of lines) {
        const [key, ...rest] = line.split(" ");
        const value = rest.join(" ");
        if (key === "worktree")
          rec.path = value;
        else if (key === "HEAD")
          rec.head = value;
        else if (key === "branch")
          rec.branch = value.replace(/^refs\/heads\//, "");
        else if (key === "detached")
          rec.detached = true;
        else if (key === "bare")
          rec.bare = true;
        else if (key === "prunable")
          rec.prunable = true;
      }
      records.push(rec);
    }
    return records;
  }
  // ---- reads and writes of init, doctor, provenance and the tag step (once per command) --
  /** `git --version`, or undefined when git cannot run. */
  async version() {
    return (await this.tryRaw(["--version"]))?.trim();
  }
  /** Root of the worktree around cwd, or undefined outside one. */
  async topLevel() {
    return (await this.tryRaw(["rev-parse", "--show-toplevel"]))?.trim() || void 0;
  }
  /** True when cwd is inside a `.git` directory (git's own data). */
  async isInsideGitDir() {
    return (await this.tryRaw(["rev-parse", "--is-inside-git-dir"]))?.trim() === "true";
  }
  /** `git var GIT_AUTHOR_IDENT` (name <email> time), or undefined when git knows no author. */
  async authorIdent() {
    return this.tryRaw(["var", "GIT_AUTHOR_IDENT"]);
  }
  /** `git checkout HEAD -- PATH`: the index and working copy of PATH as HEAD has it. */
  async restoreFromHead(path) {
    await this.raw(["checkout", "HEAD", "--", path]);
  }
  /** `git reset -q -- PATHS`: the index of PATHS as HEAD has it (the working copy is left alone). */
  async unstage(paths) {
    await this.raw(["reset", "-q", "--", ...paths]);
  }
  /** `git init` in cwd. */
  async init() {
    await this.raw(["init", "-q"]);
  }
  /** Paths whose staged content differs from HEAD. */
  async stagedPaths() {
    return (await this.raw(["diff", "--cached", "--name-only", "-z"])).split("\0").filter(Boolean);
  }
  /** The object id git gives the file at PATH (nothing is written). */
  async hashFile(path) {
    return (await this.raw(["hash-object", "--", path])).trim();
  }
  /** Every ref under PREFIXES with the object it points at; `head`: the branch this worktree is on (one for-each-ref). */
  async refsUnder(prefixes) {
    const out = await this.run(["for-each-ref", "--format=%(refname) %(objectname) %(HEAD)", ...prefixes]);
    return out.split("\n").filter(Boolean).map((line) => {
      const [ref = "", oid = "", head] = line.split(" ");
      return { ref, oid, head: head === "*" };
    });
  }
  /** Name (without PREFIX) and subject of every tag under refs/tags/PREFIX (one for-each-ref). */
  async tagSubjects(prefix) {
    const out = await this.run(["for-each-ref", "--format=%(refname:strip=2)%00%(contents:subject)", `refs/tags/${prefix}`]);
    return out.split("\n").filter(Boolean).map((line) => {
      const [name = "", subject = ""] = line.split("\0");
      return { name: name.slice(prefix.length), subject };
    });
  }
  /** Files changed from A to B (or the working tree) under PATHSPECS; line counts are undefined for binary files. */
  async numstat(a, b, pathspecs) {
    const out = await this.raw(["diff", "--numstat", "-z", "--no-renames", a, ...b ? [b] : [], "--", ...pathspecs]);
    const files = [];
    for (const rec of out.split("\0")) {
      const m = /^(\d+|-)\t(\d+|-)\t(.+)$/s.exec(rec.replace(/^\n/, ""));
      if (!m)
        continue;
      const [, add = "-", del = "-", path = ""] = m;
      files.push(add === "-" ? { path } : { path, insertions: Number(add), deletions: Number(del) });
    }
    return files;
  }
  /** `git status --porcelain` lines under PATHSPECS, every untracked file listed (run beside a diff). */
  async statusUnder(pathspecs) {
    const res = await this.exec(["status", "--porcelain", "--untracked-files=all", "--", ...pathspecs]);
    return res.stdout.split("\n").filter(Boolean);
  }
  /** `git diff HEAD --binary` under PATHSPECS (empty when it fails). */
  async diffFromHead(pathspecs) {
    const res = await this.exec(["diff", "HEAD", "--binary", "--", ...pathspecs]);
    return res.stdout;
  }
};

export {
  isExecutable,
  watchInactivity,
  withSettings,
  isLocalPath,
  localRemoteDir,
  mergeDvcConfig,
  worktreeConfigLayers,
  readDvcConfig,
  cacheDirFrom,
  cacheDirOf,
  remoteFrom,
  remotesFrom,
  defaultRemote,
  committedDvcConfigText,
  findDvc,
  requireDvc,
  preloadProcessRunner,
  isDvcRepo,
  Dvc,
  PY_QUIET_INTERRUPT,
  dvcPython,
  setRemoteTimeout,
  indexPaths,
  treeEntries,
  treeFiles,
  statusEntries,
  indexTree,
  restoreIndex,
  stagePaths,
  undoCommit,
  upstreamOf,
  pushRefspecs,
  commitIndex,
  addWorktree,
  removeWorktree,
  pruneWorktrees,
  lsFilesOf,
  Git
};
