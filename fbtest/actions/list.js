import {
  readSummaries
} from "../chunk-YADO2MUO.js";
import {
  retractedAmong
} from "../chunk-ASMXSKYY.js";
import {
  jsonResult
} from "../chunk-DYBLBKAL.js";
import {
  hasStageTags
} from "../chunk-CRC3PIVP.js";
import {
  compareVersions
} from "../chunk-II2DAUAW.js";
import {
  applyListQuery
} from "../chunk-TIS23JB2.js";
import {
  directionOf,
  isMetricName
} from "../chunk-N3ADXXN7.js";
import {
  parseTagMessage
} from "../chunk-3CSTKKST.js";
import {
  UsageError
} from "../chunk-EEPF45DI.js";

// dist/domain/experiments.js
var metricNameCache = /* @__PURE__ */ new Map();
function isMetricField(name) {
  let known = metricNameCache.get(name);
  if (known === void 0)
    metricNameCache.set(name, known = isMetricName(name));
  return known;
}
function toEntry(tag, summary) {
  const annotated = tag.type === "tag";
  const parsed = parseTagMessage(annotated ? tag.subject : "");
  const entry = {
    version: tag.name,
    date: tag.date,
    commit: tag.commit,
    tagger: tag.tagger,
    annotated,
    subject: annotated ? tag.subject : "",
    fields: parsed.fields,
    metrics: {},
    source: "none",
    stages: []
  };
  if (parsed.description !== void 0)
    entry.description = parsed.description;
  if (summary && summary.version === tag.name) {
    entry.metrics = summary.metrics;
    entry.source = "summary";
    entry.runs = summary.runs;
    entry.rows = summary.rows;
    entry.means = summary.means;
    entry.params = summary.params;
    if (summary.best)
      entry.best = summary.best;
    if (summary.table)
      entry.table = summary.table;
    return entry;
  }
  for (const k in parsed.fields) {
    if (!isMetricField(k))
      continue;
    const v = parsed.fields[k] ?? "";
    const n = Number(v);
    if (v.trim() !== "" && Number.isFinite(n)) {
      entry.metrics[k] = n;
      entry.source = "tag";
    }
  }
  const runs = Number(parsed.fields.runs);
  if (parsed.fields.runs !== void 0 && Number.isInteger(runs))
    entry.runs = runs;
  return entry;
}
function metricValue(e, name) {
  if (e.runs === 0)
    return void 0;
  if (name in e.metrics)
    return e.metrics[name];
  return void 0;
}
async function stagesOf(ctx, all) {
  if (!hasStageTags(all))
    return void 0;
  const { stagesByVersion } = await import("../model-assign-ASOMFIDZ.js");
  return stagesByVersion(ctx, all);
}
async function listExperiments(ctx, options = {}) {
  const all = await ctx.git.listTags();
  const tags = ctx.experimentTagsOf(all);
  const commits = [...new Set(tags.map((t) => t.commit))];
  const [summaries, stages] = await Promise.all([readSummaries(ctx.git, commits), stagesOf(ctx, all)]);
  const retracted = retractedAmong(all);
  let entries = tags.map((t) => {
    const e = toEntry(t, summaries.get(t.commit));
    const r = retracted.get(t.name);
    if (r)
      e.retracted = r;
    const s = stages?.get(t.name);
    if (s)
      e.stages = s;
    return e;
  });
  if (!options.all)
    entries = entries.filter((e) => !e.retracted);
  const byTag = new Map(tags.map((t) => [t.name, t.version]));
  const newestFirst = (a, b) => {
    const va = byTag.get(a.version);
    const vb = byTag.get(b.version);
    return va && vb ? compareVersions(vb, va) : 0;
  };
  const configured = ctx.config.metrics.map((m) => m.name);
  const columns = [...configured];
  for (const e of entries)
    for (const k of Object.keys(e.metrics).sort())
      if (!columns.includes(k))
        columns.push(k);
  const metricColumns = columns.filter((c) => entries.some((e) => c in e.metrics));
  if (options.sort) {
    const name = options.sort;
    const known = /* @__PURE__ */ new Set([...metricColumns, ...entries.flatMap((e) => Object.keys(e.fields))]);
    if (!known.has(name))
      throw new UsageError(`cannot sort by '${name}': no such metric or tag field; known: ${[...known].join(", ") || "(none)"}`);
    const dir = directionOf(name, ctx.config.metrics) === "lower" ? 1 : -1;
    const textual = !entries.some((e) => metricValue(e, name) !== void 0);
    const newest = (a, b) => {
      const [va, vb] = [byTag.get(a.version), byTag.get(b.version)];
      return va && vb ? compareVersions(vb, va) : 0;
    };
    if (textual)
      entries.sort((a, b) => (a.fields[name] ?? "\uFFFF").localeCompare(b.fields[name] ?? "\uFFFF") || newest(a, b));
    else
      entries.sort((a, b) => {
        const va = metricValue(a, name);
        const vb = metricValue(b, name);
        if (va === void 0 && vb === void 0)
          return newestFirst(a, b);
        if (va === void 0)
          return 1;
        if (vb === void 0)
          return -1;
        return dir * (va - vb);
      });
  } else
    entries.sort(newestFirst);
  const limited = options.limit !== void 0 ? entries.slice(0, options.limit) : entries;
  return { experiments: limited, metricColumns };
}

// dist/actions/list.js
var csvList = (text) => text?.split(",").map((c) => c.trim()).filter(Boolean);
async function list(flags, io) {
  for (const [a, b] of [["md", "csv"], ["asc", "desc"]])
    if (flags[a] && flags[b])
      throw new UsageError(`--${a} and --${b} cannot be used together; choose one`);
  const ctx = await io.openRepo({ needCommit: true, tagsSuffice: true });
  const order = flags.asc ? "asc" : flags.desc ? "desc" : void 0;
  const ranked = order === void 0 ? flags.sort : void 0;
  const filtered = (flags.where?.length ?? 0) > 0 || order !== void 0;
  const experiments = await listExperiments(ctx, { sort: ranked, limit: filtered ? void 0 : flags.limit, all: flags.all ?? false });
  const query = {
    where: flags.where,
    sort: order ? flags.sort ?? "version" : void 0,
    order,
    limit: flags.limit,
    columns: csvList(flags.columns),
    drop: csvList(flags.drop)
  };
  const result = applyListQuery(experiments, query, ctx.config.metrics);
  if (!io.json) {
    const custom = flags.md || flags.csv || query.columns || query.drop;
    if (custom) {
      const { renderListAs } = await import("../list-formats-VANA3SKO.js");
      io.log(renderListAs(result, flags.md ? "md" : flags.csv ? "csv" : "text"));
    } else {
      const { renderList } = await import("../reports-GHL3TJMO.js");
      io.log(experiments.experiments.length > 0 && result.experiments.length === 0 ? "no experiment matches" : renderList(result));
    }
  }
  const json = { ...result };
  delete json.columns;
  return jsonResult("list", json);
}
export {
  list
};
