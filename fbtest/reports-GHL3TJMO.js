import {
  colors,
  renderTable,
  shortDate,
  shortSha
} from "./chunk-WWW47GSY.js";
import {
  formatNumber
} from "./chunk-3CSTKKST.js";
import "./chunk-XMJSE742.js";

// dist/render/reports.js
function renderInit(report) {
  if (report.changed.length === 0)
    return `${colors.green("\u2713")} ${report.root} is already set up for xv: nothing changed`;
  const lines = [`${colors.green("\u2713")} xv initialised in ${report.root}`];
  for (const c of report.changed)
    lines.push(`  + ${c}`);
  lines.push("", 'Next: run your training, then `xv tag e0.1.0 -m "baseline"`.');
  return lines.join("\n");
}
function renderTag(report) {
  if (report.dryRun) {
    return [
      `${colors.bold("dry run")} \u2014 nothing was changed. xv tag would:`,
      ...report.steps.map((s, i) => `  ${i + 1}. ${s}`),
      "",
      `${colors.bold("version:")} ${report.version}`,
      `${colors.bold("message:")} ${report.message}`
    ].join("\n");
  }
  const pushed = [];
  if (report.dvcPushed)
    pushed.push("DVC objects pushed");
  if (report.gitPushed)
    pushed.push(`${report.branchPushed ? `branch ${report.branchPushed} and ` : ""}tag pushed to ${report.gitPushed}`);
  return [
    `${colors.green("\u2713")} ${colors.bold(report.version)} ${colors.dim(shortSha(report.commit))}  ${report.message}`,
    pushed.length > 0 ? `  ${pushed.join(", ")}` : "  not pushed (no remote, or --no-push); publish later with: xv push " + report.version
  ].join("\n");
}
function renderPush(report) {
  const lines = [];
  if (report.versions.length === 0 && report.stageTags.length === 0)
    lines.push(`${colors.green("\u2713")} nothing to push: every experiment tag is on ${report.gitRemote ?? "the remote"}`);
  if (report.dvcRemote && report.dvcPushed.length > 0)
    lines.push(`${colors.green("\u2713")} DVC objects of ${report.dvcPushed.join(", ")} in remote '${report.dvcRemote}' (${report.verifiedObjects} verified)`);
  if (report.branch)
    lines.push(`${colors.green("\u2713")} branch ${report.branch}`);
  if (report.gitRemote) {
    if (report.gitPushed.length > 0)
      lines.push(`${colors.green("\u2713")} tags pushed to ${report.gitRemote}: ${report.gitPushed.join(", ")}`);
    if (report.stageTags.length > 0)
      lines.push(`${colors.green("\u2713")} stage tags pushed to ${report.gitRemote}: ${report.stageTags.join(", ")}`);
    if (report.alreadyOnRemote.length > 0)
      lines.push(`  already on ${report.gitRemote}: ${report.alreadyOnRemote.join(", ")}`);
  }
  return lines.join("\n");
}
function renderList(list) {
  if (list.experiments.length === 0)
    return 'no experiment tags yet; create one with: xv tag e0.1.0 -m "baseline"';
  const fieldNames = [];
  for (const e of list.experiments)
    for (const k of Object.keys(e.fields))
      if (!fieldNames.includes(k) && !list.metricColumns.includes(k) && k !== "runs")
        fieldNames.push(k);
  const shownFields = fieldNames.slice(0, 6);
  const withStages = list.experiments.some((e) => e.stages.length > 0);
  const head = ["version", "date", "commit", ...withStages ? ["stages"] : [], "runs", ...list.metricColumns, ...shownFields, "description"];
  const seen = { fromText: false };
  const rows = list.experiments.map((e) => {
    const mark = e.source === "tag" ? "*" : "";
    if (mark)
      seen.fromText = true;
    return [
      colors.bold(e.version) + (e.retracted ? colors.red(" (retracted)") : ""),
      shortDate(e.date),
      shortSha(e.commit),
      ...withStages ? [colors.cyan(e.stages.join(","))] : [],
      e.runs === 0 ? "no runs" : e.runs === void 0 ? "" : String(e.runs),
      ...list.metricColumns.map((m) => {
        const v = e.metrics[m];
        return v === void 0 ? "" : `${formatNumber(v, Number.isInteger(v))}${mark}`;
      }),
      ...shownFields.map((f) => e.fields[f] ?? ""),
      e.description ?? ""
    ];
  });
  const table = renderTable(head, rows);
  return seen.fromText ? `${table}
${colors.dim("* from the tag message (tag made before xv froze summaries); other values: the summary frozen at the tag")}` : table;
}
function renderDoctor(checks) {
  const mark = { ok: colors.green("\u2713"), warn: colors.yellow("!"), fail: colors.red("\u2717") };
  const lines = checks.map((c) => `${mark[c.status]} ${colors.bold(c.name.padEnd(11))} ${c.detail}${c.fix ? `
    ${colors.dim("fix:")} ${c.fix}` : ""}`);
  const fails = checks.filter((c) => c.status === "fail").length;
  lines.push("", fails === 0 ? colors.green("all good") : `${colors.red(`${fails} problem(s)`)}: see the fixes above`);
  return lines.join("\n");
}
export {
  renderDoctor,
  renderInit,
  renderList,
  renderPush,
  renderTag
};
