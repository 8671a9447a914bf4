import {
  producedPaths
} from "./chunk-SYK6B5L3.js";
import {
  parseYaml
} from "./chunk-VL2YUCNL.js";
import {
  openRunStore,
  queryRuns,
  runsWithOutput
} from "./chunk-4BO6BZBU.js";
import {
  compareVersions,
  parseVersion
} from "./chunk-II2DAUAW.js";
import "./chunk-6R3MSQNP.js";
import {
  NotFoundError,
  UsageError
} from "./chunk-EEPF45DI.js";

// dist/adapters/git-trees.js
function parseTree(buf) {
  const out = [];
  let off = 0;
  while (off < buf.length) {
    const sp = buf.indexOf(32, off);
    const nul = buf.indexOf(0, sp);
    if (sp < 0 || nul < 0)
      break;
    const mode = buf.toString("latin1", off, sp);
    const name = buf.toString("utf8", sp + 1, nul);
    const oid = buf.toString("hex", nul + 1, nul + 21);
    out.push({ mode, name, oid });
    off = nul + 21;
  }
  return out;
}
async function findFilesAtRevs(git, revs, want) {
  const result = /* @__PURE__ */ new Map();
  if (revs.length === 0)
    return result;
  const rootSpecs = revs.map((r) => `${r}^{tree}`);
  const roots = await git.catFileBatch(rootSpecs);
  const filesBelow = /* @__PURE__ */ new Map();
  const treeContent = /* @__PURE__ */ new Map();
  const rootOid = /* @__PURE__ */ new Map();
  let level = [];
  revs.forEach((rev) => {
    const buf = roots.get(`${rev}^{tree}`);
    if (!buf)
      return;
    const key = `root:${rev}`;
    rootOid.set(rev, key);
    const entries = parseTree(buf);
    treeContent.set(key, entries);
    level.push({ key, entries });
  });
  while (level.length > 0) {
    const need = /* @__PURE__ */ new Set();
    for (const { entries } of level)
      for (const e of entries)
        if (e.mode === "40000" && !treeContent.has(e.oid))
          need.add(e.oid);
    if (need.size === 0)
      break;
    const bufs = await git.catFileBatch([...need]);
    const next = [];
    for (const oid of need) {
      const buf = bufs.get(oid);
      const entries = buf ? parseTree(buf) : [];
      treeContent.set(oid, entries);
      next.push({ key: oid, entries });
    }
    level = next;
  }
  const collect = (key, prefix) => {
    const memo = filesBelow.get(key);
    if (memo)
      return prefix ? memo.map((f) => ({ path: `${prefix}${f.path}`, oid: f.oid })) : memo;
    const files = [];
    for (const e of treeContent.get(key) ?? []) {
      if (e.mode === "40000")
        for (const f of collect(e.oid, ""))
          files.push({ path: `${e.name}/${f.path}`, oid: f.oid });
      else if (!e.mode.startsWith("160") && want(e.name))
        files.push({ path: e.name, oid: e.oid });
    }
    filesBelow.set(key, files);
    return prefix ? files.map((f) => ({ path: `${prefix}${f.path}`, oid: f.oid })) : files;
  };
  for (const rev of revs) {
    const key = rootOid.get(rev);
    if (key)
      result.set(rev, collect(key, ""));
  }
  return result;
}

// dist/domain/lineage.js
function pointerOuts(text) {
  const outs = [];
  let cur;
  let inOuts = false;
  for (const line of text.split("\n")) {
    if (/^outs:/.test(line)) {
      inOuts = true;
      continue;
    }
    if (/^[A-Za-z_]/.test(line)) {
      inOuts = false;
      continue;
    }
    if (!inOuts)
      continue;
    const item = /^- (\w+):\s*(.*)$/.exec(line);
    const field = item ?? /^ {2}(\w+):\s*(.*)$/.exec(line);
    if (item) {
      if (cur?.path && cur.md5)
        outs.push({ path: cur.path, md5: cur.md5 });
      cur = {};
    }
    if (field && cur) {
      const [, key, raw = ""] = field;
      const value = raw.replace(/^['"]|['"]$/g, "");
      if (key === "path")
        cur.path = value;
      else if (key === "md5")
        cur.md5 = value;
    }
  }
  if (cur?.path && cur.md5)
    outs.push({ path: cur.path, md5: cur.md5 });
  return outs;
}
function lockOuts(text) {
  const out = [];
  try {
    const doc = parseYaml(text);
    for (const [stage, body] of Object.entries(doc?.stages ?? {}))
      for (const o of body?.outs ?? [])
        if (o?.path && o.md5)
          out.push({ path: o.path, md5: o.md5, stage });
  } catch {
  }
  return out;
}
function parseOuts(file, text) {
  return file.endsWith("dvc.lock") ? lockOuts(text) : pointerOuts(text);
}
async function trackedAtRevs(ctx, revs, select = {}) {
  const only = select.path;
  const prefix = select.md5Prefix;
  let files;
  let blobs;
  if (only) {
    const parts = only.split("/");
    const candidates = [`${only}.dvc`, ...parts.map((_, i) => [...parts.slice(0, i), "dvc.lock"].join("/"))];
    const specs = revs.flatMap((r) => candidates.map((c) => `${r}:${c}`));
    blobs = await ctx.git.catFileBatch(specs);
    files = new Map(revs.map((r) => [r, candidates.filter((c) => blobs.has(`${r}:${c}`)).map((c) => ({ path: c, oid: `${r}:${c}` }))]));
  } else {
    files = await findFilesAtRevs(ctx.git, revs, (name) => name.endsWith(".dvc") || name === "dvc.lock");
    const oids = /* @__PURE__ */ new Set();
    for (const list of files.values())
      for (const f of list)
        oids.add(f.oid);
    blobs = await ctx.git.catFileBatch([...oids]);
  }
  const parsed = /* @__PURE__ */ new Map();
  const out = /* @__PURE__ */ new Map();
  for (const [rev, list] of files) {
    const tracked = [];
    for (const f of list) {
      const dir = f.path.includes("/") ? f.path.slice(0, f.path.lastIndexOf("/") + 1) : "";
      const buf = blobs.get(f.oid);
      const text = buf?.toString("utf8") ?? "";
      const key = `${f.path.endsWith("dvc.lock") ? "lock" : "dvc"}\0${text}`;
      let outs = parsed.get(key);
      if (!outs) {
        outs = parseOuts(f.path, text);
        parsed.set(key, outs);
      }
      for (const o of outs) {
        const path = `${dir}${o.path}`.replace(/\/+$/, "");
        if (only && path !== only || prefix && !o.md5.startsWith(prefix))
          continue;
        tracked.push({ path, md5: o.md5, source: f.path, ...o.stage ? { stage: o.stage } : {} });
      }
    }
    out.set(rev, tracked);
  }
  return out;
}
async function lineage(ctx, options) {
  if (!options.path && !options.hash)
    throw new UsageError("give a PATH (xv lineage data/train.csv) or --hash MD5");
  if (options.hash && !/^[0-9a-f]{4,32}(\.dir)?$/i.test(options.hash))
    throw new UsageError(`--hash wants a DVC md5 (hex), got '${options.hash}'`);
  const path = options.path?.replace(/^\.\//, "").replace(/\/+$/, "");
  const tags = await ctx.experimentTags();
  tags.sort((a, b) => compareVersions(a.version, b.version));
  const tracked = await trackedAtRevs(ctx, tags.map((t) => t.name), options.hash ? { md5Prefix: options.hash.toLowerCase() } : { path });
  const produced = producedPaths(ctx.config);
  const roleOf = (p) => produced.some((r) => p === r || p.startsWith(`${r}/`)) ? "output" : "input";
  let hashes;
  let history;
  if (options.hash) {
    const h = options.hash.toLowerCase();
    hashes = [...new Set([...tracked.values()].flat().filter((t) => t.md5.startsWith(h)).map((t) => t.md5))];
    if (hashes.length === 0)
      hashes = [h];
  } else if (options.at) {
    const version = parseVersion(options.at, ctx.config.prefix);
    const at = tracked.get(version.tag);
    if (!at)
      throw new NotFoundError("version", `no experiment tag ${version.tag}; see 'xv list'`);
    const hit = at.filter((t) => t.path === path);
    if (hit.length === 0)
      throw new NotFoundError("path", `${path} is not tracked by DVC at ${version.tag} (no ${path}.dvc, no dvc.lock out with that path)`);
    hashes = hit.map((t) => t.md5);
  } else {
    const byHash = /* @__PURE__ */ new Map();
    for (const t of tags)
      for (const x of tracked.get(t.name) ?? [])
        if (x.path === path)
          byHash.set(x.md5, [...byHash.get(x.md5) ?? [], t.name]);
    if (byHash.size === 0)
      throw new NotFoundError("path", `${path} is not tracked by DVC at any experiment tag`);
    hashes = [...byHash.keys()];
    history = [...byHash].map(([md5, versions]) => ({ md5, versions }));
  }
  const wanted = new Set(hashes);
  const uses = [];
  const firstSeen = {};
  for (const t of tags) {
    for (const x of tracked.get(t.name) ?? []) {
      if (!wanted.has(x.md5))
        continue;
      uses.push({ version: t.name, date: t.date, commit: t.commit, path: x.path, md5: x.md5, source: x.source, role: roleOf(x.path), ...x.stage ? { stage: x.stage } : {} });
      firstSeen[x.md5] ??= t.name;
    }
  }
  const runs = [];
  const db = openRunStore(ctx.dbPath, ctx.config.db, false);
  if (db) {
    try {
      const seen = /* @__PURE__ */ new Set();
      for (const md5 of hashes) {
        const found = queryRuns(db, { inputMd5: md5 });
        for (const r of found) {
          if (seen.has(r.run_id))
            continue;
          seen.add(r.run_id);
          runs.push({ run_id: r.run_id, version: r.version, status: r.status, role: "input" });
        }
        for (const r of runsWithOutput(db, md5))
          runs.push({ run_id: r.run_id, version: r.version, status: r.status, role: "output" });
      }
    } finally {
      db.close();
    }
  }
  return { ...path ? { path } : {}, ...options.hash ? { hash: options.hash } : {}, hashes, uses, firstSeen, runs, ...history ? { history } : {} };
}
export {
  lineage,
  trackedAtRevs
};
