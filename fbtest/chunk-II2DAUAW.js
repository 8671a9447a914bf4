import {
  XvError
} from "./chunk-EEPF45DI.js";

// dist/domain/version.js
import { createRequire } from "node:module";
var loaded;
var semver = {
  compare: (a, b) => lib().compare(a, b),
  parse: (v) => lib().parse(v),
  rcompare: (a, b) => lib().rcompare(a, b),
  valid: (v) => lib().valid(v)
};
function lib() {
  if (!loaded) {
    const require2 = createRequire(import.meta.url);
    loaded = {
      compare: require2("semver/functions/compare.js"),
      parse: require2("semver/functions/parse.js"),
      rcompare: require2("semver/functions/rcompare.js"),
      valid: require2("semver/functions/valid.js")
    };
  }
  return loaded;
}
function parseValid(text) {
  const p = semver.parse(text);
  if (!p)
    throw new Error(`internal: '${text}' is not a semantic version`);
  return p;
}
function bumped(text, bump) {
  return parseValid(text).inc(bump).version;
}
var PLAIN = /^(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})$/;
var plainCache = /* @__PURE__ */ new WeakMap();
var parsedCache = /* @__PURE__ */ new WeakMap();
function parsed(v) {
  let p = parsedCache.get(v);
  if (!p) {
    p = parseValid(v.semver);
    parsedCache.set(v, p);
  }
  return p;
}
var EXAMPLE = (prefix) => `${prefix}0.1.0`;
function asVersion(tag, prefix) {
  if (!tag.startsWith(prefix))
    return void 0;
  const rest = tag.slice(prefix.length);
  const plain = PLAIN.exec(rest);
  if (plain) {
    const version2 = { tag, semver: rest };
    plainCache.set(version2, [Number(plain[1]), Number(plain[2]), Number(plain[3])]);
    return version2;
  }
  if (!/^\d/.test(rest))
    return void 0;
  const p = semver.parse(rest);
  if (!p || p.version !== rest)
    return void 0;
  const version = { tag, semver: p.version };
  parsedCache.set(version, p);
  return version;
}
function parseVersion(input, prefix) {
  const text = input;
  const shown = JSON.stringify(text);
  if (text.trim() !== text || /\s/.test(text))
    throw new XvError(`not a version: ${shown} contains spaces; use ${EXAMPLE(prefix)}`);
  if (text.startsWith("-"))
    throw new XvError(`not a version: ${shown} starts with '-'; use ${EXAMPLE(prefix)}`);
  const version = asVersion(text, prefix);
  if (version)
    return version;
  if (prefix && !text.startsWith(prefix) && semver.valid(text) === text)
    throw new XvError(`not a version: ${shown} lacks the prefix '${prefix}'; did you mean ${prefix}${text}?`);
  throw new XvError(`not a version: ${shown}; expected ${prefix}MAJOR.MINOR.PATCH (semver with prefix '${prefix}'), e.g. ${EXAMPLE(prefix)} or ${prefix}0.2.0-rc.1`);
}
function compareVersions(a, b) {
  const [pa, pb] = [plainCache.get(a), plainCache.get(b)];
  if (pa && pb)
    return Math.sign(pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2]);
  return parsed(a).compare(parsed(b));
}
function nextVersion(existing, bump, prefix) {
  const taken = new Set(existing.map((v) => v.semver));
  let base = existing.map((v) => v.semver).sort(semver.rcompare)[0];
  let next;
  if (!base)
    next = bump === "major" ? "1.0.0" : bump === "minor" ? "0.1.0" : "0.0.1";
  else {
    const parsed2 = parseValid(base);
    if (parsed2.prerelease.length > 0)
      base = `${parsed2.major}.${parsed2.minor}.${parsed2.patch}`;
    next = bumped(base, bump);
  }
  while (taken.has(next))
    next = bumped(next, "patch");
  return { tag: `${prefix}${next}`, semver: next };
}
function freeAlternatives(taken, existing, prefix) {
  const names = new Set(existing.map((v) => v.semver));
  let patch = bumped(taken.semver, "patch");
  while (names.has(patch))
    patch = bumped(patch, "patch");
  const minor = nextVersion(existing, "minor", prefix).tag;
  const list = [minor, `${prefix}${patch}`];
  return [...new Set(list)];
}

export {
  asVersion,
  parseVersion,
  compareVersions,
  nextVersion,
  freeAlternatives
};
