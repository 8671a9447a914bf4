import {
  XvError
} from "./chunk-EEPF45DI.js";

// dist/domain/results.js
var VERSION_COLUMNS = ["version", "experiment_version", "exp_version"];
var BOOKKEEPING = /* @__PURE__ */ new Set([
  "track_id",
  "timestamp",
  "cache",
  "rowid",
  "id",
  "run_id",
  "input_id",
  "error",
  "raw_response",
  "prediction",
  "ground_truth",
  "label",
  "git_commit",
  "commit",
  "created_at",
  "updated_at",
  "status",
  "hostname",
  "host",
  "step",
  "epoch"
]);
var METRIC = /(^|_)(acc|accuracy|f1|f1_score|precision|recall|auc|roc_auc|loss|error_rate|mse|rmse|mae|mape|bleu|rouge\w*|score|latency|map|ndcg|iou|dice|perplexity|ppl|wer|cer|r2|exact_match|em)($|_)/i;
var LOWER_IS_BETTER = /(loss|error|err|latency|time|duration|mse|mae|rmse|mape|perplexity|ppl|wer|cer)/i;
var PARAM = /^(params_.+|lr|learning_rate|batch_size|epochs|dropout|temperature|seed|weight_decay|optimizer|n_estimators|max_depth|embedding_dim|hidden_size|num_layers)$/i;
function chooseResultTable(tables, wanted, label) {
  tables = tables.filter((t) => !t.table.startsWith("xv_") || t.table === wanted.table);
  const names = tables.map((t) => t.table);
  if (wanted.table && !names.includes(wanted.table))
    throw new XvError(`table '${wanted.table}' not found in ${label}; tables: ${names.join(", ") || "(none)"}`);
  const candidates = wanted.table ? tables.filter((t) => t.table === wanted.table) : tables;
  const versionOf = (t) => {
    const cols = t.columns.map((c) => c.name);
    if (wanted.versionColumn)
      return cols.includes(wanted.versionColumn) ? wanted.versionColumn : void 0;
    return VERSION_COLUMNS.find((v) => cols.includes(v)) ?? cols.find((c) => /version$/i.test(c));
  };
  const named = wanted.table ? candidates[0] : void 0;
  if (named && wanted.versionColumn && !versionOf(named)) {
    const cols = named.columns.map((c) => c.name);
    throw new XvError(`version column '${wanted.versionColumn}' not found in table '${wanted.table}' of ${label}; columns: ${cols.join(", ")}`);
  }
  const preference = ["metrics", "default", "runs", "experiments", "predictions"];
  const ranked = [...candidates].sort((a, b) => {
    const ra = preference.indexOf(a.table);
    const rb = preference.indexOf(b.table);
    return (ra === -1 ? 99 : ra) - (rb === -1 ? 99 : rb);
  });
  for (const t of ranked) {
    const v = versionOf(t);
    if (v)
      return { table: t.table, versionColumn: v };
  }
  if (wanted.versionColumn)
    throw new XvError(`no table of ${label} has the version column '${wanted.versionColumn}'; tables: ${names.join(", ")}`);
  return void 0;
}
function isBookkeeping(column, versionColumn) {
  return column === versionColumn || BOOKKEEPING.has(column.toLowerCase());
}
function isMetricName(column) {
  return METRIC.test(column);
}
function directionOf(name, configured = []) {
  const spec = configured.find((m) => m.name === name);
  if (spec?.direction)
    return spec.direction;
  return LOWER_IS_BETTER.test(name) ? "lower" : "higher";
}
function fieldName(column) {
  const bare = column.replace(/^params_/, "");
  return bare === "learning_rate" ? "lr" : bare;
}
function checkMetrics(metrics, columns, table, label) {
  const have = columns.map((c) => c.name);
  const missing = metrics.find((m) => !have.includes(m.name));
  if (missing)
    throw new XvError(`metric column '${missing.name}' not found in table '${table}' of ${label}; columns: ${have.join(", ")}`);
}
function metricColumns(columns, versionColumn, configured) {
  const names = columns.map((c) => c.name).filter((c) => !isBookkeeping(c, versionColumn));
  const list = configured.map((m) => m.name).filter((m) => names.includes(m));
  for (const c of names)
    if (isMetricName(c) && !PARAM.test(c) && !list.includes(c))
      list.push(c);
  return list;
}

export {
  VERSION_COLUMNS,
  chooseResultTable,
  isBookkeeping,
  isMetricName,
  directionOf,
  fieldName,
  checkMetrics,
  metricColumns
};
