// dist/domain/tag-message.js
var KEY = /^[A-Za-z_][\w.\-/]*$/;
var NO_RUNS = "no runs";
function escapeValue(value) {
  return value.replaceAll("\\", "\\\\").replaceAll("|", "\\|").replaceAll("\n", " ").trim();
}
function escapeDescription(value) {
  const text = escapeValue(value).replaceAll("=", "\\=");
  return text === NO_RUNS ? `\\${text}` : text;
}
function rawSegments(subject) {
  const parts = [];
  let cur = "";
  for (let i = 0; i < subject.length; i++) {
    const ch = subject.charAt(i);
    if (ch === "\\" && i + 1 < subject.length) {
      cur += ch + subject.charAt(i + 1);
      i++;
    } else if (ch === "|") {
      parts.push(cur);
      cur = "";
    } else
      cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}
function unescape(text) {
  if (!text.includes("\\"))
    return text;
  return text.replace(/\\(.)/g, "$1");
}
function unescapedEquals(seg) {
  if (!seg.includes("\\"))
    return seg.indexOf("=");
  for (let i = 0; i < seg.length; i++) {
    if (seg[i] === "\\")
      i++;
    else if (seg[i] === "=")
      return i;
  }
  return -1;
}
function formatTagMessage(message) {
  const segments = Object.entries(message.fields).filter(([k, v]) => KEY.test(k) && v !== "").map(([k, v]) => k === "runs" && v === "0" ? NO_RUNS : `${k}=${escapeValue(v)}`);
  const description = message.description?.replaceAll("\n", " ").trim();
  if (description)
    segments.push(escapeDescription(description));
  return segments.join(" | ");
}
var keyCache = /* @__PURE__ */ new Map();
function isKey(name) {
  let ok = keyCache.get(name);
  if (ok === void 0)
    keyCache.set(name, ok = KEY.test(name));
  return ok;
}
function parsePlainMessage(subject) {
  const fields = {};
  let free;
  for (let start = 0; start < subject.length; ) {
    let end = subject.indexOf("|", start);
    if (end === -1)
      end = subject.length;
    const seg = subject.slice(start, end).trim();
    start = end + 1;
    if (!seg)
      continue;
    if (seg === NO_RUNS)
      fields.runs = "0";
    else {
      const eq = seg.indexOf("=");
      const key = eq > 0 ? seg.slice(0, eq).trim() : "";
      if (key && isKey(key))
        fields[key] = seg.slice(eq + 1).trim();
      else
        (free ??= []).push(seg);
    }
  }
  return { fields, description: free ? free.join(" | ") : void 0 };
}
function parseTagMessage(subject) {
  if (!subject.includes("\\"))
    return parsePlainMessage(subject);
  const fields = {};
  const free = [];
  for (const seg of rawSegments(subject)) {
    if (seg === NO_RUNS) {
      fields.runs = "0";
      continue;
    }
    const eq = unescapedEquals(seg);
    const key = eq > 0 ? seg.slice(0, eq).trim() : "";
    if (key && isKey(key))
      fields[key] = unescape(seg.slice(eq + 1).trim());
    else
      free.push(unescape(seg));
  }
  return { fields, description: free.length > 0 ? free.join(" | ") : void 0 };
}
function formatNumber(value, integer = false) {
  if (!Number.isFinite(value))
    return String(value);
  if (integer && Number.isInteger(value))
    return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && abs < 1e-3) {
    const [mant, exp] = value.toExponential(3).split("e");
    return `${String(Number(mant))}e${exp}`;
  }
  if (abs >= 1e6)
    return String(roundSane(value));
  return value.toFixed(4);
}
function formatParam(value) {
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(roundSane(value));
  if (value === null || value === void 0)
    return "";
  return asText(value);
}
function asText(value) {
  if (typeof value === "string")
    return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" || typeof value === "symbol")
    return String(value);
  if (value === null || value === void 0)
    return String(value);
  if (Array.isArray(value))
    return value.map((v) => v === null || v === void 0 ? "" : asText(v)).join(",");
  if (value instanceof Date)
    return value.toString();
  if (typeof value === "function")
    return "[function]";
  return JSON.stringify(value);
}
function roundSane(value) {
  if (!Number.isFinite(value) || Number.isInteger(value))
    return value;
  return Number(value.toPrecision(12));
}

export {
  formatTagMessage,
  parseTagMessage,
  formatNumber,
  formatParam,
  asText,
  roundSane
};
