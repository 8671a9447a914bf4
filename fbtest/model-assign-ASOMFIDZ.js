import {
  unknownVersion
} from "./chunk-OYB5AZOM.js";
import {
  withUndo
} from "./chunk-LWLXPS5P.js";
import {
  checkStageName,
  currentStages,
  gtoArtifacts,
  gtoTagsOf,
  gtoVersionOf,
  hasStageTags,
  knownStages,
  mayBeGtoTag,
  nextCounter,
  registerTagName,
  registeredVersionAt,
  stageTagName
} from "./chunk-CRC3PIVP.js";
import {
  asVersion
} from "./chunk-II2DAUAW.js";
import "./chunk-XMJSE742.js";
import {
  ConflictError,
  NotFoundError,
  RefusedError,
  XvError,
  errorMessage
} from "./chunk-EEPF45DI.js";

// dist/domain/model-registry.js
import { basename, join } from "node:path";
function modelName(config, mainRoot, gtoArtifacts2 = []) {
  if (config.model?.name)
    return config.model.name;
  if (gtoArtifacts2.length === 1 && gtoArtifacts2[0])
    return gtoArtifacts2[0];
  const name = basename(mainRoot).toLowerCase().replaceAll(/[^a-z0-9-]+/g, "-").replaceAll(/-+/g, "-").replaceAll(/^-|-$/g, "");
  return name || "model";
}

// dist/domain/model-assign.js
function modelNameOf(ctx, tags) {
  return modelName(ctx.config, ctx.mainRoot, gtoArtifacts(tags));
}
async function loadEvents(ctx) {
  const tags = await ctx.git.listTags();
  const model = modelNameOf(ctx, tags);
  return { model, tags, events: gtoTagsOf(tags, model) };
}
function experimentFor(ctx, tags, commit, gtoVersion) {
  const on = tags.filter((t) => t.commit === commit && asVersion(t.name, ctx.config.prefix));
  return on.find((t) => gtoVersion && `v${asVersion(t.name, ctx.config.prefix)?.semver ?? ""}` === gtoVersion)?.name ?? on.at(-1)?.name;
}
async function resolveExperiment(ctx, tags, version) {
  const v = asVersion(version, ctx.config.prefix);
  const tag = v ? tags.find((t) => t.name === version) : void 0;
  if (!v || !tag)
    throw unknownVersion(version, await ctx.experimentTags(), ctx.config.prefix);
  return { tag, semver: v.semver };
}
async function writeTags(ctx, tags, commit, events, undo) {
  let last = Math.max(0, ...events.map((e) => Date.parse(e.date) || 0));
  for (const t of tags) {
    const now = Math.floor(Date.now() / 1e3) * 1e3;
    const at = Math.max(now, last + 1e3);
    const saved = process.env.GIT_COMMITTER_DATE;
    if (at > now)
      process.env.GIT_COMMITTER_DATE = `${at / 1e3} +0000`;
    try {
      await ctx.git.createAnnotatedTag(t.name, t.message, commit);
    } finally {
      if (saved === void 0)
        delete process.env.GIT_COMMITTER_DATE;
      else
        process.env.GIT_COMMITTER_DATE = saved;
    }
    undo(t.name);
    last = at;
  }
}
async function publish(ctx, tags, options) {
  if (!options.push || !ctx.config.push)
    return void 0;
  const remotes = await ctx.git.remotes();
  const remote = remotes.includes("origin") ? "origin" : remotes[0];
  if (!remote)
    return void 0;
  try {
    await ctx.git.pushTags(remote, tags);
  } catch (error) {
    throw new XvError(`tags ${tags.join(", ")} were created locally but not pushed (${errorMessage(error)}); finish with: git push ${remote} ${tags.join(" ")}`);
  }
  return remote;
}
async function assignStage(ctx, version, stageInput, options) {
  const stage = checkStageName(stageInput);
  const { model, tags, events } = await loadEvents(ctx);
  const { tag, semver } = await resolveExperiment(ctx, tags, version);
  const commit = tag.commit;
  const planned = [];
  let gtoVersion = registeredVersionAt(events, commit);
  if (!gtoVersion) {
    gtoVersion = gtoVersionOf(semver);
    const taken = events.find((e) => e.action === "register" && e.version === gtoVersion && e.commit !== commit);
    if (taken)
      throw new ConflictError(`${model} ${gtoVersion} is already registered on another commit (${taken.tag} \u2192 ${taken.commit.slice(0, 7)}); ${version} cannot take it`);
    planned.push({ name: registerTagName(model, gtoVersion), message: `Registering artifact ${model} version ${gtoVersion} (xv ${version})` });
  }
  const current = currentStages(events).find((s) => s.stage === stage);
  if (current?.commit === commit)
    throw new RefusedError(`${version} (${model} ${gtoVersion}) is already in stage '${stage}'; nothing to do`);
  planned.push({ name: stageTagName(model, stage, nextCounter(events)), message: `Assigning stage ${stage} to artifact ${model} version ${gtoVersion} (xv ${version})` });
  const change = { model, version, gtoVersion, stage, commit, tags: planned.map((p) => p.name), dryRun: options.dryRun };
  if (options.dryRun)
    return change;
  return withUndo(async (log) => {
    await writeTags(ctx, planned, commit, events, (name) => log.onUndo(() => ctx.git.deleteTag(name), `tag ${name}`));
    log.commit();
    change.pushed = await publish(ctx, change.tags, options);
    return change;
  });
}
async function unassignStage(ctx, version, stageInput, options) {
  const stage = checkStageName(stageInput);
  const { model, tags, events } = await loadEvents(ctx);
  const { tag } = await resolveExperiment(ctx, tags, version);
  const stages = knownStages(events);
  if (!stages.includes(stage))
    throw new NotFoundError("stage", `unknown stage '${stage}' for model ${model}${stages.length > 0 ? `; stages: ${stages.join(", ")}` : "; no stage was ever assigned"} (see 'xv model stages')`);
  const current = currentStages(events).find((s) => s.stage === stage);
  if (current?.commit !== tag.commit) {
    const holder = current ? experimentFor(ctx, tags, current.commit, current.version) ?? current.version : "nothing";
    throw new NotFoundError("stage", `${version} is not in stage '${stage}' (it holds ${holder}); nothing to unassign`);
  }
  const gtoVersion = current.version;
  const planned = [{ name: stageTagName(model, stage, nextCounter(events), true), message: `Unassigning stage '${stage}' to artifact '${model}' version '${gtoVersion}' (xv ${version})` }];
  const change = { model, version, gtoVersion, stage, commit: tag.commit, tags: planned.map((p) => p.name), dryRun: options.dryRun };
  if (options.dryRun)
    return change;
  return withUndo(async (log) => {
    await writeTags(ctx, planned, tag.commit, events, (name) => log.onUndo(() => ctx.git.deleteTag(name), `tag ${name}`));
    log.commit();
    change.pushed = await publish(ctx, change.tags, options);
    return change;
  });
}
async function listStages(ctx) {
  const { model, tags, events } = await loadEvents(ctx);
  return { model, stages: currentStages(events).map((s) => ({ ...s, experiment: experimentFor(ctx, tags, s.commit, s.version) })) };
}
async function stagesByVersion(ctx, tags) {
  const all = tags ?? await ctx.git.listTags();
  const map = /* @__PURE__ */ new Map();
  const gto = all.filter(mayBeGtoTag);
  if (!hasStageTags(gto))
    return map;
  const events = gtoTagsOf(gto, modelNameOf(ctx, gto));
  for (const s of currentStages(events)) {
    const exp = experimentFor(ctx, all, s.commit, s.version);
    if (exp)
      map.set(exp, [...map.get(exp) ?? [], s.stage]);
  }
  return map;
}
function gtoTagsOn(ctx, all, commits) {
  const gto = all.filter(mayBeGtoTag);
  if (gto.length === 0 || commits.size === 0)
    return [];
  return gtoTagsOf(gto, modelNameOf(ctx, gto)).filter((e) => commits.has(e.commit)).map((e) => e.tag);
}
export {
  assignStage,
  experimentFor,
  gtoTagsOn,
  listStages,
  modelNameOf,
  stagesByVersion,
  unassignStage
};
