import {
  asVersion,
  compareVersions
} from "./chunk-II2DAUAW.js";
import {
  NotFoundError,
  UsageError
} from "./chunk-EEPF45DI.js";

// dist/domain/revision.js
import { basename, isAbsolute, relative, resolve, sep } from "node:path";

// dist/domain/suggest.js
function editDistance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min(tmp + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}
function commonPrefix(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i])
    i++;
  return i;
}
function nearest(wanted, names, n = 3) {
  return [...names].map((name) => ({ name, d: editDistance(wanted.toLowerCase(), name.toLowerCase()), p: commonPrefix(wanted, name) })).sort((x, y) => x.d - y.d || y.p - x.p || x.name.localeCompare(y.name)).slice(0, n).map((x) => x.name);
}

// dist/domain/revision.js
var WORKSPACE = "workspace";
var WORKSPACE_REV = { kind: "workspace", name: WORKSPACE };
function nearestTags(input, tags, prefix, n = 3) {
  const wanted = asVersion(input, prefix) ?? asVersion(`${prefix}${input}`, prefix);
  const out = [];
  if (wanted) {
    const sorted = [...tags].sort((a, b) => compareVersions(a.version, b.version));
    let at = sorted.findIndex((t) => compareVersions(t.version, wanted) > 0);
    if (at < 0)
      at = sorted.length;
    for (const t of [sorted[at - 1], sorted[at], sorted[at - 2]])
      if (t)
        out.push(t.name);
  }
  for (const name of nearest(input, tags.map((t) => t.name), n))
    if (!out.includes(name))
      out.push(name);
  return out.slice(0, n);
}
function unknownVersion(input, tags, prefix) {
  const near = nearestTags(input, tags, prefix);
  const hint = near.length > 0 ? `nearest tags: ${near.join(", ")}` : "there are no experiment tags yet";
  return new NotFoundError("version", `unknown version '${input}': no such tag or commit; ${hint} (see 'xv list')`);
}
async function resolveRev(ctx, input) {
  if (input === WORKSPACE)
    return WORKSPACE_REV;
  if (!input || input.startsWith("-") || /\s/.test(input))
    throw new UsageError(`not a version: ${JSON.stringify(input)}; use a tag such as ${ctx.config.prefix}0.1.0 or 'workspace'`);
  const tagged = await ctx.git.revParse(`refs/tags/${input}^{commit}`);
  if (tagged)
    return { kind: "commit", name: input, commit: tagged, isTag: true };
  const commit = await ctx.git.revParse(`${input}^{commit}`);
  if (commit)
    return { kind: "commit", name: input, commit, isTag: false };
  throw unknownVersion(input, await ctx.experimentTags(), ctx.config.prefix);
}
function isInside(root, path) {
  const rel = relative(root, path);
  return rel === "" || !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}

export {
  nearest,
  unknownVersion,
  resolveRev,
  isInside
};
