import {
  parseYaml,
  writesOf
} from "./chunk-VL2YUCNL.js";
import {
  XvError
} from "./chunk-EEPF45DI.js";

// dist/domain/data-inputs.js
import { createHash } from "node:crypto";
import { existsSync as existsSync2, readFileSync } from "node:fs";
import { join as join2 } from "node:path";

// dist/adapters/dvc-files.js
import { existsSync } from "node:fs";
import { join, posix } from "node:path";
function cacheObjectCandidates(cacheDir, md5) {
  const h = md5.toLowerCase();
  return [join(cacheDir, "files", "md5", h.slice(0, 2), h.slice(2)), join(cacheDir, h.slice(0, 2), h.slice(2))];
}
function findCacheObject(cacheDir, md5) {
  return cacheObjectCandidates(cacheDir, md5).find((p) => existsSync(p));
}
function toOut(o) {
  if (!o || typeof o.path !== "string")
    return void 0;
  const md5 = typeof o.md5 === "string" ? o.md5 : void 0;
  return {
    path: o.path,
    md5,
    size: typeof o.size === "number" ? o.size : void 0,
    nfiles: typeof o.nfiles === "number" ? o.nfiles : void 0,
    isDir: Boolean(md5?.endsWith(".dir"))
  };
}
function parsePointer(text) {
  const doc = parseYaml(text);
  return (doc?.outs ?? []).map(toOut).filter((o) => Boolean(o));
}
function parseLock(text) {
  const doc = parseYaml(text);
  const outs = [];
  for (const [stage, body] of Object.entries(doc?.stages ?? {})) {
    for (const o of body?.outs ?? []) {
      const out = toOut(o);
      if (out)
        outs.push({ ...out, stage });
    }
  }
  return outs;
}
function isPointerFile(path) {
  return path.endsWith(".dvc") || posix.basename(path) === "dvc.lock";
}
function declaredOuts(files) {
  const found = [];
  for (const file of files) {
    const pointer = file.path.replaceAll("\\", "/");
    let outs;
    try {
      outs = posix.basename(pointer) === "dvc.lock" ? parseLock(file.text) : parsePointer(file.text);
    } catch {
      continue;
    }
    const dir = posix.dirname(pointer);
    for (const out of outs) {
      const outPath = posix.normalize(dir === "." ? out.path : `${dir}/${out.path}`).replace(/\/+$/, "").replace(/^\.\//, "");
      found.push({ pointer, out, outPath });
    }
  }
  return found;
}
function parseDirManifest(text) {
  const doc = JSON.parse(text);
  if (!Array.isArray(doc))
    throw new XvError("corrupt DVC directory manifest (not a list)");
  return doc;
}

// dist/domain/data-inputs.js
function trackedOuts(sources) {
  const out = [];
  for (const src of sources) {
    const dir = src.file.includes("/") ? src.file.slice(0, src.file.lastIndexOf("/") + 1) : "";
    try {
      const outs = src.file.endsWith("dvc.lock") ? parseLock(src.text) : parsePointer(src.text);
      for (const o of outs)
        if (o.md5)
          out.push({ path: `${dir}${o.path}`.replace(/\/+$/, ""), md5: o.md5, source: src.file });
    } catch {
    }
  }
  return out;
}
function producedPaths(config) {
  return [.../* @__PURE__ */ new Set([...config.artifacts, ...writesOf(config), config.db])].map((p) => p.replace(/\/+$/, ""));
}
function within(path, roots) {
  return roots.some((r) => path === r || path.startsWith(`${r}/`));
}
function dataInputs(sources, config) {
  const produced = producedPaths(config);
  return trackedOuts(sources).filter((o) => !within(o.path, produced));
}
function dataInputsHash(sources, config) {
  const lines = dataInputs(sources, config).map((o) => `${o.path} ${o.md5}`);
  if (lines.length === 0)
    return void 0;
  lines.sort();
  return createHash("md5").update(lines.join("\n")).digest("hex").slice(0, 6);
}
async function pointerSources(ctx) {
  const files = await ctx.git.lsFiles(["*.dvc", "dvc.lock", "*/dvc.lock"]);
  const out = [];
  for (const file of files) {
    const abs = join2(ctx.root, file);
    if (existsSync2(abs))
      out.push({ file, text: readFileSync(abs, "utf8") });
  }
  return out;
}

export {
  cacheObjectCandidates,
  findCacheObject,
  parsePointer,
  parseLock,
  isPointerFile,
  declaredOuts,
  parseDirManifest,
  producedPaths,
  dataInputs,
  dataInputsHash,
  pointerSources
};
