import {
  UsageError
} from "./chunk-EEPF45DI.js";

// dist/domain/model-stages.js
var NAME = "[a-zA-Z0-9](?:[a-zA-Z0-9\\-/_]*[a-zA-Z0-9])?";
var SEMVER = "(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?";
var TAG_RE = new RegExp(`^(?<artifact>(?:[a-zA-Z0-9\\-_./]+=)?${NAME})(?:(?:#(?<stage>${NAME})|@(?<version>v${SEMVER}))(?<cancel>!?)|@(?<deprecated>deprecated|created))(?:#(?<counter>[0-9]+))?$`);
var STAGE_RE = /^[a-zA-Z0-9](?:[a-zA-Z0-9_-]*[a-zA-Z0-9])?$/;
function parseGtoTagName(tag) {
  const m = TAG_RE.exec(tag);
  const g = m?.groups;
  if (!g?.artifact)
    return void 0;
  const name = g.artifact.replaceAll("=", ":");
  const counter = g.counter === void 0 ? void 0 : Number(g.counter);
  if (g.deprecated)
    return g.deprecated === "deprecated" ? { tag, name, action: "deprecate", counter } : void 0;
  if (g.version)
    return { tag, name, action: g.cancel ? "deregister" : "register", version: g.version, counter };
  if (g.stage)
    return { tag, name, action: g.cancel ? "unassign" : "assign", stage: g.stage, counter };
  return void 0;
}
function mayBeGtoTag(tag) {
  return tag.name.includes("#") || tag.name.includes("@");
}
function hasStageTags(tags) {
  return tags.some((t) => t.name.includes("#"));
}
function gtoTagsOf(tags, name) {
  const out = [];
  for (const t of tags) {
    if (t.type !== "tag")
      continue;
    const parsed = parseGtoTagName(t.name);
    if (parsed?.name === name)
      out.push({ ...parsed, commit: t.commit, date: t.date, tagger: t.tagger });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || (a.counter ?? 0) - (b.counter ?? 0));
}
function gtoArtifacts(tags) {
  const names = /* @__PURE__ */ new Set();
  for (const t of tags) {
    const parsed = t.type === "tag" ? parseGtoTagName(t.name) : void 0;
    if (parsed)
      names.add(parsed.name);
  }
  return [...names].sort();
}
function checkStageName(stage) {
  if (!STAGE_RE.test(stage))
    throw new UsageError(`stage '${stage}' is not valid: letters, digits, '-' and '_', starting and ending with a letter or digit (e.g. prod, staging)`);
  return stage;
}
function nextCounter(events) {
  return Math.max(0, ...events.map((e) => e.counter ?? 0)) + 1;
}
function registeredVersionAt(events, commit) {
  const state = /* @__PURE__ */ new Map();
  for (const e of events) {
    if (e.commit !== commit || !e.version)
      continue;
    if (e.action === "register")
      state.set(e.version, true);
    if (e.action === "deregister")
      state.set(e.version, false);
  }
  return [...state].filter(([, active]) => active).map(([v]) => v).pop();
}
function currentStages(events) {
  const versionOfCommit = /* @__PURE__ */ new Map();
  for (const e of events)
    if (e.action === "register" && e.version)
      versionOfCommit.set(e.commit, e.version);
  const byStage = /* @__PURE__ */ new Map();
  for (const e of events) {
    if (!e.stage || e.action !== "assign" && e.action !== "unassign")
      continue;
    const version = versionOfCommit.get(e.commit) ?? e.commit.slice(0, 7);
    const list = (byStage.get(e.stage) ?? []).filter((s) => s.commit !== e.commit);
    if (e.action === "assign")
      list.push({ stage: e.stage, version, commit: e.commit, tag: e.tag, date: e.date, tagger: e.tagger });
    byStage.set(e.stage, list);
  }
  const out = [];
  for (const list of byStage.values()) {
    const last = list.at(-1);
    if (last)
      out.push(last);
  }
  return out.sort((a, b) => a.stage.localeCompare(b.stage));
}
function knownStages(events) {
  return [...new Set(events.flatMap((e) => e.stage ? [e.stage] : []))].sort();
}
function gtoVersionOf(semver) {
  return `v${semver}`;
}
function registerTagName(name, version) {
  return `${name.replaceAll(":", "=")}@${version}`;
}
function stageTagName(name, stage, counter, unassign = false) {
  return `${name.replaceAll(":", "=")}#${stage}${unassign ? "!" : ""}#${counter}`;
}

export {
  mayBeGtoTag,
  hasStageTags,
  gtoTagsOf,
  gtoArtifacts,
  checkStageName,
  nextCounter,
  registeredVersionAt,
  currentStages,
  knownStages,
  gtoVersionOf,
  registerTagName,
  stageTagName
};
