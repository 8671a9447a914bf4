import {
  colors,
  renderTable,
  shortSha
} from "./chunk-WWW47GSY.js";
import {
  formatNumber,
  formatParam
} from "./chunk-3CSTKKST.js";

// dist/render/runs.js
function renderRun(report) {
  const head = report.status === "completed" ? `${colors.green("\u2713")} run ${report.runId} ${colors.bold(report.version)} completed in ${report.durationS}s` : report.status === "cancelled" ? `${colors.yellow("\u25A0")} run ${report.runId} ${colors.bold(report.version)} cancelled after ${report.durationS}s; ${report.version} stays claimed (re-run: xv run --rerun ${report.runId}, give back: xv next --release ${report.version})` : `${colors.red("\u2717")} run ${report.runId} ${colors.bold(report.version)} failed (exit ${report.exitCode}${report.error ? `: ${report.error}` : ""}); no tag; ${report.version} stays claimed (re-run: xv run --rerun ${report.runId})`;
  const lines = [head, `  log: ${report.log}`];
  if (report.tag)
    lines.push(`  tagged ${report.tag.version} ${colors.dim(shortSha(report.tag.commit))}  ${report.tag.message}`);
  return lines.join("\n");
}
function renderRuns(list) {
  if (list.noDatabase)
    return `no result database at ${list.noDatabase} (runs are recorded in it); fetch it with: dvc pull ${list.noDatabase}`;
  if (list.runs.length === 0)
    return list.total === 0 ? "no runs recorded yet; start one with: xv run -- python train.py" : "no run matches";
  const rows = list.runs.map((r) => [
    r.run_id,
    colors.bold(r.version),
    r.status === "completed" ? colors.green(r.status) : r.status === "failed" ? colors.red(r.status) : r.status,
    r.created_at.slice(0, 16).replace("T", " "),
    r.duration_s === null ? "" : `${r.duration_s}s`,
    r.exit_code === null ? "" : String(r.exit_code),
    shortSha(r.commit_sha ?? void 0) + (r.dirty ? "+" : ""),
    r.name ?? "",
    JSON.parse(r.command).join(" ").slice(0, 60)
  ]);
  const table = renderTable(["run", "version", "status", "created", "time", "exit", "commit", "name", "command"], rows);
  const more = list.runs.length >= list.limit && list.total > list.runs.length ? `
${colors.dim(`showing ${list.runs.length} of ${list.total} runs; --limit N for more`)}` : "";
  return table + more;
}
function renderRunDetail(d) {
  const r = d.run;
  const lines = [
    `${colors.bold(r.run_id)}  ${colors.bold(r.version)}  ${r.status}${r.exit_code !== null ? ` (exit ${r.exit_code})` : ""}${r.name ? `  ${r.name}` : ""}`,
    `  command:  ${r.command.join(" ")}`,
    `  time:     ${r.started_at ?? r.created_at} \u2192 ${r.ended_at ?? "\u2026"}${r.duration_s !== null ? ` (${r.duration_s}s)` : ""}`,
    `  code:     ${r.commit_sha ?? "(no commit)"}${r.branch ? ` on ${r.branch}` : ""}${r.dirty ? ` + uncommitted changes (diff ${r.diff_hash})` : ""}`,
    `  where:    ${r.user}@${r.host} ${r.worktree}`,
    `  tools:    xv ${r.xv_version ?? "?"}, DVC ${r.dvc_version ?? "-"}, Node ${r.node_version ?? "?"}${r.python_version ? `, Python ${r.python_version} (pip ${r.pip_hash})` : ""}`
  ];
  if (r.gpu)
    lines.push(`  gpu:      ${r.gpu}`);
  if (r.seed !== null)
    lines.push(`  seed:     ${r.seed}`);
  if (r.rerun_of)
    lines.push(`  re-run of ${r.rerun_of}`);
  if (r.log_path)
    lines.push(`  log:      ${r.log_path}`);
  if (r.error_tail)
    lines.push("  stderr (last lines):", ...r.error_tail.split("\n").map((l) => `    ${l}`));
  for (const [file] of Object.entries(r.params))
    lines.push(`  params file: ${file}`);
  if (d.inputs.length > 0)
    lines.push("  inputs:", ...d.inputs.map((a) => `    ${a.path}  ${a.md5}`));
  if (d.outputs.length > 0)
    lines.push("  outputs:", ...d.outputs.map((a) => `    ${a.path}  ${a.md5}`));
  const firstRow = d.rows[0];
  if (firstRow) {
    const cols = Object.keys(firstRow);
    lines.push(`  rows in ${d.table} (${d.rows.length}):`);
    lines.push(...renderTable(cols, d.rows.slice(0, 20).map((row) => cols.map((c) => typeof row[c] === "number" ? formatParam(row[c]) : formatParam(row[c] ?? "")))).split("\n").map((l) => `    ${l}`));
  }
  return lines.join("\n");
}
function renderBest(b) {
  const params = Object.entries(b.params).map(([k, v]) => `${k}=${formatParam(v)}`).join(" ");
  const others = Object.entries(b.metrics).filter(([k]) => k !== b.metric).map(([k, v]) => `${k}=${formatNumber(v)}`).join(" ");
  return [
    `${colors.bold(b.version)}  run ${b.run ?? "(no run id)"}  ${b.metric}=${formatNumber(b.value)} (${b.direction === "higher" ? "highest" : "lowest"} in ${b.table})`,
    ...params ? [`  params: ${params}`] : [],
    ...others ? [`  metrics: ${others}`] : []
  ].join("\n");
}
function renderLineage(report) {
  const lines = [];
  const what = report.path ?? report.hash ?? "";
  if (report.history) {
    lines.push(`${colors.bold(what)}: ${report.history.length} version(s) across the experiment tags`);
    for (const h of report.history)
      lines.push(`  ${h.md5.slice(0, 12)}  ${h.versions.join(", ")}`);
    return lines.join("\n");
  }
  if (report.uses.length === 0)
    lines.push(`no experiment tag uses ${what}`);
  else {
    lines.push(renderTable(["version", "date", "role", "path", "hash", "from"], report.uses.map((u) => [
      colors.bold(u.version),
      u.date.slice(0, 16).replace("T", " "),
      u.role,
      u.path,
      u.md5.slice(0, 12),
      u.stage ? `${u.source} (stage ${u.stage})` : u.source
    ])));
    for (const [md5, version] of Object.entries(report.firstSeen))
      lines.push(`${md5.slice(0, 12)} first appears at ${version}`);
  }
  if (report.runs.length > 0)
    lines.push("runs:", ...report.runs.map((r) => `  ${r.run_id}  ${r.version}  ${r.status}  ${r.role === "output" ? "produced it" : "used it"}`));
  return lines.join("\n");
}

export {
  renderRun,
  renderRuns,
  renderRunDetail,
  renderBest,
  renderLineage
};
