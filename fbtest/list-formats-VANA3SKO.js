import {
  cellText
} from "./chunk-TIS23JB2.js";
import "./chunk-N3ADXXN7.js";
import {
  colors,
  renderTable,
  shortDate,
  shortSha
} from "./chunk-WWW47GSY.js";
import "./chunk-3CSTKKST.js";
import "./chunk-XMJSE742.js";
import "./chunk-EEPF45DI.js";

// dist/render/list-formats.js
function cell(list, i, column, human) {
  const e = list.experiments[i];
  if (!e)
    return "";
  const text = cellText(e, column, !human);
  if (!human)
    return text;
  if (column === "date")
    return shortDate(text);
  if (column === "commit")
    return shortSha(text);
  return text;
}
function csvCell(text) {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
function renderListAs(list, format) {
  const rows = list.experiments.map((_, i) => list.columns.map((c) => cell(list, i, c, format !== "csv")));
  if (format === "csv")
    return [list.columns, ...rows].map((r) => r.map(csvCell).join(",")).join("\n");
  if (format === "md") {
    const esc = (s) => s.replaceAll("|", "\\|");
    return [`| ${list.columns.map(esc).join(" | ")} |`, `|${list.columns.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`)].join("\n");
  }
  if (list.experiments.length === 0)
    return colors.dim("no experiment matches");
  return renderTable(list.columns, rows.map((r) => r.map((c, j) => list.columns[j] === "version" ? colors.bold(c) : c)));
}
export {
  renderListAs
};
