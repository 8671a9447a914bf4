import {
  clearProgressLine
} from "./chunk-XMJSE742.js";

// dist/render/output.js
import { Chalk } from "chalk";
import Table from "cli-table3";
function colourLevel(stream) {
  if (process.env.NO_COLOR !== void 0 && process.env.NO_COLOR !== "")
    return 0;
  if (process.env.TERM === "dumb")
    return 0;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0")
    return 1;
  return stream.isTTY ? 1 : 0;
}
var colors = new Chalk({ level: colourLevel(process.stdout) });
var errColors = new Chalk({ level: colourLevel(process.stderr) });
var ANSI = /\u001B\[[0-9;]*m/g;
function visibleWidth(text) {
  return text.replace(ANSI, "").length;
}
function truncate(text, width) {
  if (visibleWidth(text) <= width)
    return text;
  const plain = text.replace(ANSI, "");
  return width <= 1 ? "\u2026".slice(0, width) : `${plain.slice(0, width - 1)}\u2026`;
}
function terminalWidth() {
  const env = Number(process.env.COLUMNS);
  if (Number.isInteger(env) && env > 0)
    return env;
  return process.stdout.isTTY ? process.stdout.columns : void 0;
}
function fitColumns(natural, width, overhead, floor = 8) {
  const widths = [...natural];
  if (width === void 0)
    return widths;
  let excess = widths.reduce((a, b) => a + b, 0) + overhead - width;
  while (excess > 0) {
    let widest = -1;
    let most = floor;
    widths.forEach((w, i) => {
      if (w > most)
        [widest, most] = [i, w];
    });
    if (widest === -1)
      break;
    const second = Math.max(floor, ...widths.filter((_, i) => i !== widest));
    const cut = Math.max(1, Math.min(excess, most - second, most - floor));
    widths[widest] = most - cut;
    excess -= cut;
  }
  return widths;
}
function renderTable(head, rows, width = terminalWidth()) {
  const fancy = colors.level > 0;
  const cells = rows.map((row) => row.map((c) => c === void 0 ? "" : String(c)));
  const natural = head.map((h, i) => Math.max(visibleWidth(h), ...cells.map((r) => visibleWidth(r[i] ?? ""))));
  const padding = 2;
  const overhead = fancy ? natural.length * (padding + 1) + 1 : natural.length * padding;
  const widths = fitColumns(natural, width, overhead);
  const table = new Table({
    head: head.map((h, i) => colors.bold(truncate(h, widths[i] ?? h.length))),
    style: { head: [], border: [], compact: true, "padding-left": 0, "padding-right": padding },
    chars: fancy ? void 0 : {
      top: "",
      "top-mid": "",
      "top-left": "",
      "top-right": "",
      bottom: "",
      "bottom-mid": "",
      "bottom-left": "",
      "bottom-right": "",
      left: "",
      "left-mid": "",
      mid: "",
      "mid-mid": "",
      right: "",
      "right-mid": "",
      middle: ""
    }
  });
  for (const row of cells)
    table.push(row.map((c, i) => {
      const w = widths[i] ?? Number.POSITIVE_INFINITY;
      return w < (natural[i] ?? 0) ? truncate(c, w) : c;
    }));
  return table.toString().split("\n").map((l) => l.trimEnd()).join("\n");
}
function progress(message) {
  if (!process.stderr.isTTY)
    return;
  clearProgressLine();
  process.stderr.write(`${errColors.dim("\u2026")} ${message}
`);
}
function warn(message) {
  clearProgressLine();
  process.stderr.write(`${errColors.yellow("xv: warning:")} ${message}
`);
}
function formatBytes(bytes) {
  if (bytes === void 0 || !Number.isFinite(bytes))
    return "";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = Math.abs(bytes);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const sign = bytes < 0 ? "-" : "";
  return `${sign}${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
function shortSha(sha) {
  return sha ? sha.slice(0, 7) : "";
}
function shortDate(iso) {
  return iso ? iso.replace("T", " ").slice(0, 16) : "";
}

export {
  colors,
  renderTable,
  progress,
  warn,
  formatBytes,
  shortSha,
  shortDate
};
