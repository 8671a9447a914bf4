import {
  directionOf
} from "./chunk-N3ADXXN7.js";
import {
  formatNumber
} from "./chunk-3CSTKKST.js";
import {
  UsageError
} from "./chunk-EEPF45DI.js";

// dist/domain/list-query.js
var BUILT_IN = ["version", "date", "commit", "tagger", "rows", "stages", "description"];
var CONDITION = /^\s*([A-Za-z_][\w.\-/]*)\s*(>=|<=|!=|==|=|>|<|~)\s*(.*?)\s*$/;
function parseCondition(text) {
  const m = CONDITION.exec(text);
  const [, column, opText, rawValue] = m ?? [];
  if (!column || !opText || rawValue === void 0 || rawValue === "" || /^[<>=!~]/.test(rawValue))
    throw new UsageError(`cannot read --where '${text}': write COLUMN OP VALUE with OP one of = != > >= < <= ~ (e.g. 'f1>0.8', model=cnn)`);
  const op = opText === "==" ? "=" : opText;
  return { column, op, value: rawValue.replace(/^(['"])(.*)\1$/, "$2") };
}
function listColumns(list) {
  const names = /* @__PURE__ */ new Set([...BUILT_IN, ...list.metricColumns]);
  for (const e of list.experiments)
    for (const k in e.metrics)
      names.add(k);
  for (const e of list.experiments)
    for (const k in e.fields)
      names.add(k);
  return [...names];
}
function valueOf(e, column) {
  if (column in e.metrics)
    return e.metrics[column];
  if (column in e.fields) {
    const text = e.fields[column] ?? "";
    const n = text.trim() === "" ? Number.NaN : Number(text);
    return Number.isFinite(n) ? n : text;
  }
  switch (column) {
    case "version":
    case "date":
    case "commit":
    case "tagger":
      return e[column];
    case "rows":
      return e.rows;
    case "stages":
      return e.stages.length > 0 ? e.stages.join(",") : void 0;
    case "description":
      return e.description;
    default:
      return void 0;
  }
}
function matches(e, c) {
  const v = valueOf(e, c.column);
  if (v === void 0)
    return false;
  if (c.op === "~")
    return String(v).toLowerCase().includes(c.value.toLowerCase());
  const want = Number(c.value);
  const numeric = typeof v === "number" && c.value.trim() !== "" && Number.isFinite(want);
  const cmp = typeof v === "number" && numeric ? v - want : String(v).localeCompare(c.value);
  switch (c.op) {
    case "=":
      return numeric ? Math.abs(cmp) <= 1e-12 * Math.max(1, Math.abs(want)) : String(v) === c.value;
    case "!=":
      return numeric ? Math.abs(cmp) > 1e-12 * Math.max(1, Math.abs(want)) : String(v) !== c.value;
    case ">":
      return cmp > 0;
    case ">=":
      return cmp >= 0;
    case "<":
      return cmp < 0;
    default:
      return cmp <= 0;
  }
}
function checkColumn(name, known, what) {
  if (known.includes(name))
    return;
  const data = known.filter((k) => !BUILT_IN.includes(k));
  const kind = what === "sort by" ? "metric" : "column";
  throw new UsageError(`cannot ${what} '${name}': no such ${kind}; metrics: ${data.join(", ") || "(none)"}; also: ${BUILT_IN.join(", ")}`);
}
function glob(pattern) {
  return new RegExp(`^${pattern.replaceAll(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*")}$`);
}
function defaultColumns(list) {
  const fields = /* @__PURE__ */ new Set();
  for (const e of list.experiments)
    for (const k in e.fields)
      fields.add(k);
  for (const m of list.metricColumns)
    fields.delete(m);
  const stages = list.experiments.some((e) => e.stages.length > 0) ? ["stages"] : [];
  return ["version", "date", "commit", ...stages, ...list.metricColumns, ...[...fields].slice(0, 6), "description"];
}
function applyListQuery(list, q, metrics = []) {
  const known = listColumns(list);
  const conditions = (q.where ?? []).map(parseCondition);
  for (const c of conditions)
    checkColumn(c.column, known, "filter on");
  let rows = list.experiments.filter((e) => conditions.every((c) => matches(e, c)));
  if (q.sort) {
    checkColumn(q.sort, known, "sort by");
    const name = q.sort;
    const isMetric = list.metricColumns.includes(name) || list.experiments.some((e) => typeof valueOf(e, name) === "number");
    const order = q.order ?? (isMetric ? directionOf(name, metrics) === "lower" ? "asc" : "desc" : "asc");
    const sign = order === "asc" ? 1 : -1;
    rows = rows.map((e, i) => ({ e, i, v: valueOf(e, name) })).sort((a, b) => {
      if (a.v === void 0 || b.v === void 0)
        return a.v === b.v ? a.i - b.i : a.v === void 0 ? 1 : -1;
      const d = typeof a.v === "number" && typeof b.v === "number" ? a.v - b.v : String(a.v).localeCompare(String(b.v), void 0, { numeric: true });
      return d === 0 ? a.i - b.i : sign * d;
    }).map((x) => x.e);
  }
  if (q.limit !== void 0)
    rows = rows.slice(0, q.limit);
  let columns = defaultColumns(list);
  if (q.columns && q.columns.length > 0) {
    columns = q.columns.flatMap((c) => {
      if (c.includes("*"))
        return known.filter((k) => glob(c).test(k));
      checkColumn(c, known, "show column");
      return [c];
    });
    if (!columns.includes("version"))
      columns.unshift("version");
  }
  if (q.drop && q.drop.length > 0) {
    const drops = q.drop.map(glob);
    columns = columns.filter((c) => c === "version" || !drops.some((d) => d.test(c)));
  }
  return { ...list, experiments: rows, columns: [...new Set(columns)] };
}
function cellText(e, column, raw = false) {
  const v = valueOf(e, column);
  if (v === void 0)
    return "";
  if (typeof v !== "number")
    return v;
  if (column in e.metrics)
    return raw ? String(v) : formatNumber(v);
  return e.fields[column] ?? String(v);
}

export {
  applyListQuery,
  cellText
};
