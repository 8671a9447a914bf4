import {
  cacheObjectCandidates,
  declaredOuts,
  isPointerFile,
  parseDirManifest
} from "./chunk-SYK6B5L3.js";
import {
  cacheDirOf,
  indexPaths,
  lsFilesOf
} from "./chunk-CMKTVAV3.js";
import {
  writesOf
} from "./chunk-VL2YUCNL.js";
import {
  asVersion,
  compareVersions,
  freeAlternatives,
  nextVersion
} from "./chunk-II2DAUAW.js";
import {
  ConflictError,
  XvError
} from "./chunk-EEPF45DI.js";

// dist/domain/claims.js
import { hostname, userInfo } from "node:os";
var CLAIMS_NS = "refs/xv/claims/";
var REMOTE_CLAIMS_NS = "refs/xv/remote-claims/";
var CLAIM_NAMESPACES = [CLAIMS_NS, REMOTE_CLAIMS_NS];
function claimRef(version) {
  return `${CLAIMS_NS}${version}`;
}
function parseRecord(text, fallbackVersion) {
  try {
    const doc = JSON.parse(text);
    return {
      version: doc.version ?? fallbackVersion,
      worktree: doc.worktree ?? "",
      branch: doc.branch,
      user: doc.user ?? "",
      host: doc.host ?? "",
      time: doc.time ?? "",
      runId: doc.runId,
      by: doc.by ?? "tag"
    };
  } catch {
    return { version: fallbackVersion, worktree: "", user: "", host: "", time: "", by: "unknown" };
  }
}
async function listClaims(git) {
  return claimsOf(git, await git.refsUnder(CLAIM_NAMESPACES));
}
async function claimsOf(git, allRefs) {
  const refs = allRefs.filter((r) => CLAIM_NAMESPACES.some((ns) => r.ref.startsWith(ns)));
  if (refs.length === 0)
    return [];
  const blobs = await git.catFileBatch(refs.map((r) => r.oid));
  const claims = [];
  const own = /* @__PURE__ */ new Set();
  for (const { ref, oid } of refs) {
    let version;
    let remote;
    if (ref.startsWith(CLAIMS_NS))
      version = ref.slice(CLAIMS_NS.length);
    else {
      const rest = ref.slice(REMOTE_CLAIMS_NS.length);
      const slash = rest.indexOf("/");
      remote = rest.slice(0, slash);
      version = rest.slice(slash + 1);
    }
    if (!remote)
      own.add(version);
    else if (own.has(version))
      continue;
    const record = parseRecord(blobs.get(oid)?.toString("utf8") ?? "", version);
    claims.push({ ...record, version, ref, oid, ...remote ? { remote } : {} });
  }
  return claims.filter((c) => !c.remote || !own.has(c.version));
}
function isOwner(claim, owner) {
  return claim.worktree === owner.worktree && (owner.host ?? hostname()) === claim.host;
}
function describeClaim(claim) {
  const where = claim.branch ? `branch ${claim.branch}` : claim.worktree;
  return `${claim.version} is claimed by ${claim.user || "someone"} (${where}${claim.host && claim.host !== hostname() ? ` on ${claim.host}` : ""}, ${claim.by}${claim.time ? ` at ${claim.time.slice(0, 16).replace("T", " ")}` : ""})`;
}
async function claimVersion(git, request) {
  const version = request.version.tag;
  if (await git.tagExists(version))
    throw new ConflictError(`version ${version} is already tagged; pick another (see 'xv next')`);
  const existing = (await listClaims(git)).find((c) => c.version === version);
  if (existing) {
    if (isOwner(existing, request.owner))
      return { status: "owned", claim: existing };
    throw new ConflictError(`${describeClaim(existing)}; use another version (see 'xv next')`);
  }
  const record = {
    version,
    worktree: request.owner.worktree,
    ...request.branch ? { branch: request.branch } : {},
    user: safeUser(),
    host: request.owner.host ?? hostname(),
    time: (/* @__PURE__ */ new Date()).toISOString(),
    ...request.runId ? { runId: request.runId } : {},
    by: request.by
  };
  const oid = await git.hashObject(`${JSON.stringify(record)}
`);
  const ref = claimRef(version);
  const created = await git.createRefIfAbsent(ref, oid);
  if (!created) {
    const winner = (await listClaims(git)).find((c) => c.version === version);
    if (winner && isOwner(winner, request.owner))
      return { status: "owned", claim: winner };
    throw new ConflictError(`${winner ? describeClaim(winner) : `${version} was claimed by another process just now`}; use another version (see 'xv next')`);
  }
  return { status: "claimed", claim: { ...record, ref, oid } };
}
async function claimNext(git, prefix, bump, request, extraTaken = []) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const version = await nextFreeVersion(git, prefix, bump, extraTaken);
    try {
      const outcome = await claimVersion(git, { ...request, version });
      return { version, claim: outcome.claim, status: outcome.status };
    } catch (error) {
      if (!(error instanceof ConflictError))
        throw error;
    }
  }
  throw new ConflictError("could not claim a free version after 20 attempts (many concurrent claims?); try again");
}
async function nextFreeVersion(git, prefix, bump, extraTaken = []) {
  const taken = [...extraTaken];
  for (const tag of await git.listTagNames()) {
    const v = asVersion(tag, prefix);
    if (v)
      taken.push(v);
  }
  for (const claim of await listClaims(git)) {
    const v = asVersion(claim.version, prefix);
    if (v)
      taken.push(v);
  }
  return nextVersion(taken, bump, prefix);
}
async function releaseClaim(git, version, oid) {
  return git.deleteRefIfMatches(claimRef(version), oid);
}
async function pushClaim(git, remote, claim, timeoutMs = 15e3) {
  const res = await git.pushRefCreateOnly(remote, claim.ref, claim.oid, timeoutMs);
  return res;
}
async function deleteRemoteClaim(git, remote, version, timeoutMs = 15e3) {
  await git.deleteRemoteRef(remote, claimRef(version), timeoutMs).catch(() => {
  });
}
async function fetchClaims(git, remote, timeoutMs = 15e3) {
  return git.fetchRefs(remote, [`+${CLAIMS_NS}*:${REMOTE_CLAIMS_NS}${remote}/*`], timeoutMs, true);
}
function safeUser() {
  try {
    return process.env.GIT_AUTHOR_NAME || userInfo().username;
  } catch {
    return process.env.USER ?? "unknown";
  }
}

// dist/domain/private-files.js
import { chmodSync, constants as constants2, copyFileSync as copyFileSync2, lstatSync as lstatSync2, readdirSync as readdirSync2, renameSync as renameSync2, rmSync as rmSync2, statSync as statSync3 } from "node:fs";
import { join as join2, relative } from "node:path";

// dist/domain/dvc-state.js
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync as readFileSync2, renameSync, statSync as statSync2, writeFileSync as writeFileSync2 } from "node:fs";
import { dirname, join } from "node:path";

// dist/adapters/dvc-objects.js
import { createHash } from "node:crypto";
import { constants, copyFileSync, createReadStream, linkSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { pipeline } from "node:stream/promises";
async function md5File(path) {
  const hash = createHash("md5");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}
var ObjectLookup = class {
  found = /* @__PURE__ */ new Map();
  manifests = /* @__PURE__ */ new Map();
  /** The object's file in STORE (DVC 3 layout, then DVC 2) with its inode, or undefined. */
  find(store, md5) {
    const key = `${store}\0${md5}`;
    let hit = this.found.get(key);
    if (hit === void 0) {
      hit = null;
      for (const path of cacheObjectCandidates(store, md5)) {
        const st = statSync(path, { throwIfNoEntry: false });
        if (st) {
          hit = { path, ino: st.ino, dev: st.dev };
          break;
        }
      }
      this.found.set(key, hit);
    }
    return hit ?? void 0;
  }
  /** A `.dir` manifest read from the cache, or undefined when the cache lacks it. */
  manifest(cacheDir, md5) {
    const key = `${cacheDir}\0${md5}`;
    let m = this.manifests.get(key);
    if (m === void 0) {
      const obj = this.find(cacheDir, md5);
      m = obj ? parseDirManifest(readFileSync(obj.path, "utf8")) : null;
      this.manifests.set(key, m);
    }
    return m ?? void 0;
  }
};
function objectsOf(out, cacheDir, lookup = new ObjectLookup()) {
  if (!out.md5)
    return { objects: [] };
  if (!out.isDir)
    return { objects: [out.md5] };
  const manifest = lookup.manifest(cacheDir, out.md5);
  if (!manifest)
    return { objects: [out.md5] };
  return { objects: [out.md5, ...manifest.map((e) => e.md5)], manifest };
}

// dist/domain/dvc-state.js
async function worktreeOuts(root) {
  const indexed = indexPaths(root);
  const files = indexed ? indexed.filter(isPointerFile) : await lsFilesOf(root, ["*.dvc", "dvc.lock", "*/dvc.lock"]);
  const texts = [];
  for (const file of files) {
    const abs = join(root, file);
    if (existsSync(abs))
      texts.push({ path: file, text: readFileSync2(abs, "utf8") });
  }
  return declaredOuts(texts);
}
var HashMemo = class _HashMemo {
  file;
  entries;
  seen = /* @__PURE__ */ new Map();
  dirty = false;
  constructor(file, entries) {
    this.file = file;
    this.entries = entries;
  }
  static load(root) {
    const file = join(root, ".dvc", "tmp", "xv-hashes.json");
    let entries = /* @__PURE__ */ new Map();
    try {
      entries = new Map(Object.entries(JSON.parse(readFileSync2(file, "utf8"))));
    } catch {
    }
    return new _HashMemo(file, entries);
  }
  static key(st) {
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  }
  known(st, md5) {
    const key = _HashMemo.key(st);
    if (this.entries.get(key) !== md5)
      return false;
    this.seen.set(key, md5);
    return true;
  }
  remember(st, md5) {
    const key = _HashMemo.key(st);
    this.entries.set(key, md5);
    this.seen.set(key, md5);
    this.dirty = true;
  }
  /** Writes what was used or learnt in this run (older keys are dropped); best effort. */
  save() {
    if (!this.dirty || !this.file)
      return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}`;
      writeFileSync2(tmp, JSON.stringify(Object.fromEntries(this.seen)));
      renameSync(tmp, this.file);
    } catch {
    }
  }
};
async function rememberCheckout(root, lookup = new ObjectLookup()) {
  const memo = HashMemo.load(root);
  const cacheDir = cacheDirOf(root);
  const note = (path, md5) => {
    const st = statSync2(path, { throwIfNoEntry: false });
    if (st?.isFile())
      memo.remember(st, md5.toLowerCase());
  };
  for (const { outPath, out } of await worktreeOuts(root)) {
    if (!out.md5)
      continue;
    if (!out.isDir)
      note(join(root, outPath), out.md5);
    else
      for (const e of objectsOf(out, cacheDir, lookup).manifest ?? [])
        note(join(root, outPath, e.relpath), e.md5);
  }
  memo.save();
}

// dist/domain/private-files.js
function isLinked(path) {
  const l = lstatSync2(path, { throwIfNoEntry: false });
  if (!l)
    return false;
  return l.isSymbolicLink() || l.isFile() && l.nlink > 1;
}
function unprotect(path) {
  if (!isLinked(path) || !statSync3(path, { throwIfNoEntry: false })?.isFile())
    return false;
  const tmp = `${path}.xv-unprotect-${process.pid}`;
  try {
    copyFileSync2(path, tmp, constants2.COPYFILE_FICLONE);
    chmodSync(tmp, 420);
    renameSync2(tmp, path);
  } finally {
    rmSync2(tmp, { force: true });
  }
  return true;
}
function writePaths(config) {
  return [.../* @__PURE__ */ new Set([config.db, ...writesOf(config)])];
}
function filesUnder(abs, rel) {
  const l = lstatSync2(abs, { throwIfNoEntry: false });
  if (!l)
    return [];
  if (!l.isDirectory())
    return [rel];
  return readdirSync2(abs).flatMap((name) => filesUnder(join2(abs, name), `${rel}/${name}`));
}
function makePrivate(root, paths) {
  const done = [];
  for (const rel of paths) {
    if (relative(root, join2(root, rel)).startsWith(".."))
      continue;
    for (const file of filesUnder(join2(root, rel), rel.replace(/\/+$/, "")))
      if (unprotect(join2(root, file)))
        done.push(file);
  }
  return done;
}
async function keepWritesPrivate(root, config) {
  const done = makePrivate(root, writePaths(config));
  if (done.length > 0)
    await rememberCheckout(root);
  return done;
}

// dist/domain/tag-version.js
function claimTimeoutMs(ctx) {
  return Math.min(ctx.config.remoteTimeout, 15) * 1e3;
}
async function remoteTagVersions(ctx, remote) {
  const timeoutMs = claimTimeoutMs(ctx);
  const [fetched, listed] = await Promise.all([
    fetchClaims(ctx.git, remote, timeoutMs),
    ctx.git.remoteTags(remote, timeoutMs).catch(() => void 0)
  ]);
  if (!fetched || !listed)
    return void 0;
  return [...listed.keys()].map((name) => asVersion(name, ctx.config.prefix)).filter((v) => Boolean(v));
}
async function claimOnce(ctx, requested, bump, remoteTags, branch) {
  const owner = { worktree: ctx.root };
  const request = { owner, by: "tag", ...branch ? { branch } : {} };
  if (requested) {
    const tags = (await ctx.git.listTagNames()).map((t) => asVersion(t, ctx.config.prefix)).filter((v) => Boolean(v));
    if (tags.some((t) => t.tag === requested.tag)) {
      const free = freeAlternatives(requested, [...tags, ...remoteTags], ctx.config.prefix);
      throw new XvError(`tag ${requested.tag} already exists; the next free version is ${free.join(" or ")} (or run 'xv tag' to pick it)`);
    }
    if (remoteTags.some((t) => t.tag === requested.tag))
      throw new ConflictError(`tag ${requested.tag} already exists on the git remote; pick another version (see 'xv next'), or fetch it with 'git fetch --tags'`);
    return { ...await claimVersion(ctx.git, { ...request, version: requested }), version: requested };
  }
  const tagged = new Set(await ctx.git.listTagNames());
  const mine = (await listClaims(ctx.git)).filter((c) => !c.remote && isOwner(c, owner) && !tagged.has(c.version)).map((c) => ({ claim: c, version: asVersion(c.version, ctx.config.prefix) })).filter((c) => Boolean(c.version)).sort((a, b) => compareVersions(a.version, b.version));
  if (mine[0])
    return { status: "owned", claim: mine[0].claim, version: mine[0].version };
  return claimNext(ctx.git, ctx.config.prefix, bump, request, remoteTags);
}
async function claimTagVersion(ctx, requested, bump, remote, log) {
  const warnings = [];
  const branch = await ctx.git.currentBranch();
  const remoteTags = remote ? await remoteTagVersions(ctx, remote) : void 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    const outcome = await claimOnce(ctx, requested, bump, remoteTags ?? [], branch);
    const { claim, version } = outcome;
    if (outcome.status === "claimed")
      log.onUndo(async () => {
        await releaseClaim(ctx.git, version.tag, claim.oid);
      }, `claim ${version.tag}`);
    if (!remote || !remoteTags) {
      if (remote)
        warnings.push(`git remote '${remote}' did not answer; the claim of ${version.tag} is local only`);
      return { version, claim, onRemote: false, warnings };
    }
    if (await ctx.git.revParse(`${REMOTE_CLAIMS_NS}${remote}/${version.tag}`) === claim.oid)
      return { version, claim, onRemote: true, warnings };
    const pushed = await pushClaim(ctx.git, remote, claim, claimTimeoutMs(ctx));
    if (pushed === "pushed") {
      log.onUndo(() => deleteRemoteClaim(ctx.git, remote, version.tag, claimTimeoutMs(ctx)), `claim ${version.tag} on ${remote}`);
      return { version, claim, onRemote: true, warnings };
    }
    if (pushed === "unreachable") {
      warnings.push(`git remote '${remote}' did not take the claim of ${version.tag}; it is local only`);
      return { version, claim, onRemote: false, warnings };
    }
    if (outcome.status === "claimed")
      await releaseClaim(ctx.git, version.tag, claim.oid);
    if (requested || outcome.status === "owned")
      throw new ConflictError(`${version.tag} is claimed on ${remote} by another clone; use another version (see 'xv next')`);
    await fetchClaims(ctx.git, remote, claimTimeoutMs(ctx));
  }
  throw new ConflictError(`could not claim a version on ${remote ?? "the remote"} after 5 attempts; try again`);
}
async function consumeClaim(ctx, claimed) {
  await releaseClaim(ctx.git, claimed.version.tag, claimed.claim.oid);
}

// dist/domain/run-log.js
import { mkdirSync as mkdirSync2, writeFileSync as writeFileSync3 } from "node:fs";
import { dirname as dirname2, join as join3, posix } from "node:path";
import { gzipSync } from "node:zlib";
var LOG_CAP_BYTES = 768 * 1024;
var STDERR_TAIL_LINES = 20;
var TailBuffer = class {
  cap;
  chunks = [];
  size = 0;
  dropped = 0;
  constructor(cap) {
    this.cap = cap;
  }
  push(chunk) {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.cap) {
      const first = this.chunks[0];
      if (!first)
        break;
      const excess = this.size - this.cap;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
        this.dropped += excess;
      }
    }
  }
  toBuffer() {
    return Buffer.concat(this.chunks);
  }
  /** The last N lines as text. */
  lastLines(n) {
    const lines = this.toBuffer().toString("utf8").replace(/\n+$/, "").split("\n");
    return lines.slice(-n).join("\n");
  }
};
var RunLog = class {
  all = new TailBuffer(LOG_CAP_BYTES);
  stderr = new TailBuffer(64 * 1024);
  out(chunk) {
    this.all.push(chunk);
  }
  err(chunk) {
    this.all.push(chunk);
    this.stderr.push(chunk);
  }
  stderrTail() {
    return this.stderr.lastLines(STDERR_TAIL_LINES);
  }
  /** Writes the compressed log; returns its path relative to ROOT. */
  write(root, resultsDir, runId) {
    const rel = join3(resultsDir, "runs", `${runId}.log.gz`);
    const abs = join3(root, rel);
    mkdirSync2(dirname2(abs), { recursive: true });
    const head = this.all.dropped > 0 ? Buffer.from(`[xv: ${this.all.dropped} earlier bytes dropped; the last ${LOG_CAP_BYTES} kept]
`) : Buffer.alloc(0);
    writeFileSync3(abs, gzipSync(Buffer.concat([head, this.all.toBuffer()])));
    return rel;
  }
};
function isRunLog(path, db) {
  const dir = posix.dirname(db);
  return posix.dirname(path) === `${dir === "." ? "results" : dir}/runs` && /^r[\w-]+\.log\.gz$/.test(posix.basename(path));
}

export {
  md5File,
  ObjectLookup,
  CLAIM_NAMESPACES,
  listClaims,
  claimsOf,
  isOwner,
  claimVersion,
  claimNext,
  nextFreeVersion,
  releaseClaim,
  pushClaim,
  fetchClaims,
  RunLog,
  isRunLog,
  unprotect,
  keepWritesPrivate,
  claimTimeoutMs,
  claimTagVersion,
  consumeClaim
};
