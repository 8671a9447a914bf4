import {
  UsageError
} from "./chunk-EEPF45DI.js";

// dist/flag-values.js
var FlagValueError = class extends UsageError {
  reason;
  constructor(reason) {
    super(reason);
    this.name = "FlagValueError";
    this.reason = reason;
  }
};
function bounds(min, max) {
  if (min !== void 0 && max !== void 0)
    return ` from ${min} to ${max}`;
  if (min !== void 0)
    return ` \u2265 ${min}`;
  if (max !== void 0)
    return ` \u2264 ${max}`;
  return "";
}
function integerBounds(help) {
  const m = /^<integer(?: from (-?\d+) to (-?\d+)| ≥ (-?\d+)| ≤ (-?\d+))?>$/.exec(help ?? "");
  if (!m)
    return void 0;
  const num = (s) => s === void 0 ? void 0 : Number(s);
  return { min: num(m[1] ?? m[3]), max: num(m[2] ?? m[4]) };
}
function parseInteger(name, input, min, max) {
  const text = input.trim();
  const value = /^[-+]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || min !== void 0 && value < min || max !== void 0 && value > max)
    throw new FlagValueError(`--${name}: expected an integer${bounds(min, max)}, got '${input}'`);
  return value;
}

// dist/json/json-text.js
function jsonText(value) {
  return `${process.stdout.isTTY ? JSON.stringify(value, null, 2) : JSON.stringify(value)}
`;
}

export {
  FlagValueError,
  integerBounds,
  parseInteger,
  jsonText
};
