// dist/domain/summaries.js
var SUMMARY_FILE = "results/metrics.json";
var SUMMARY_PARAMS_FILE = "results/params.yaml";
var SUMMARY_SCHEMA = 1;
function isTagSummary(value) {
  if (!value || typeof value !== "object")
    return false;
  const v = value;
  return typeof v.schema === "number" && typeof v.version === "string" && typeof v.runs === "number" && !!v.metrics && typeof v.metrics === "object";
}
function parseSummary(text) {
  try {
    const doc = JSON.parse(text);
    return isTagSummary(doc) ? doc : void 0;
  } catch {
    return void 0;
  }
}
async function readSummaries(git, revs, file = SUMMARY_FILE) {
  const out = /* @__PURE__ */ new Map();
  if (revs.length === 0)
    return out;
  const specs = revs.map((rev) => `${rev}:${file}`);
  const blobs = await git.catFileBatch(specs);
  revs.forEach((rev, i) => {
    const spec = specs[i];
    const buf = spec === void 0 ? void 0 : blobs.get(spec);
    const summary = buf ? parseSummary(buf.toString("utf8")) : void 0;
    if (summary)
      out.set(rev, summary);
  });
  return out;
}

export {
  SUMMARY_FILE,
  SUMMARY_PARAMS_FILE,
  SUMMARY_SCHEMA,
  readSummaries
};
