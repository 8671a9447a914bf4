import {
  integerBounds,
  jsonText,
  parseInteger
} from "./chunk-EG52ZX2U.js";
import "./chunk-EEPF45DI.js";

// dist/fast-entry.js
import { readFileSync } from "node:fs";
var FAST = {
  list: async (p, io) => (await import("./actions/list.js")).list(p.flags, io),
  best: async (p, io) => (await import("./actions/best.js")).best(p.args[0] ?? "", p.flags, io),
  runs: async (p, io) => (await import("./runs-2GSADGL2.js")).runs(p.flags, io),
  "runs:show": async (p, io) => (await import("./runs-2GSADGL2.js")).runsShow(p.args[0] ?? "", io),
  run: async (p, io) => (await import("./run-PSMQ4FFI.js")).run(p.rest, p.flags, io)
};
function commandOf(argv) {
  const [first = "", second = ""] = argv;
  if (`${first}:${second}` in FAST)
    return { id: `${first}:${second}`, words: argv.slice(2) };
  if (first in FAST)
    return { id: first, words: argv.slice(1) };
  return void 0;
}
function flagValue(flag, text) {
  if (flag.options && !flag.options.includes(text))
    return void 0;
  const bounds = integerBounds(flag.helpValue);
  if (!bounds)
    return text;
  try {
    return parseInteger(flag.name, text, bounds.min, bounds.max);
  } catch {
    return void 0;
  }
}
function parsePlain(command, words) {
  const byChar = new Map(Object.values(command.flags).filter((f) => f.char).map((f) => [`-${f.char ?? ""}`, f]));
  const flags = {};
  const args = [];
  let rest = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    if (word === "--") {
      if (command.strict !== false)
        return void 0;
      rest = words.slice(i + 1);
      break;
    }
    if (!word.startsWith("-") || word === "-") {
      if (command.strict === false)
        return void 0;
      args.push(word);
      continue;
    }
    const eq = word.startsWith("--") ? word.indexOf("=") : -1;
    const name = eq === -1 ? word : word.slice(0, eq);
    const flag = name.startsWith("--") ? command.flags[name.slice(2)] : byChar.get(name);
    if (!flag || flag.relationships || flag.dependsOn)
      return void 0;
    if (flag.type === "boolean") {
      if (eq !== -1 || flag.name in flags)
        return void 0;
      flags[flag.name] = true;
      continue;
    }
    const text = eq === -1 ? words[++i] : word.slice(eq + 1);
    if (text === void 0 || eq === -1 && text.startsWith("-"))
      return void 0;
    const values = flag.delimiter ? text.split(flag.delimiter) : [text];
    const parsed = values.map((v) => flagValue(flag, v));
    if (parsed.includes(void 0))
      return void 0;
    if (flag.multiple)
      flags[flag.name] = [...flags[flag.name] ?? [], ...parsed];
    else if (flag.name in flags || parsed.length !== 1)
      return void 0;
    else
      flags[flag.name] = parsed[0];
  }
  const declared = Object.values(command.args);
  if (args.length > declared.length || declared.some((a, i) => a.required && args[i] === void 0 || a.options && args[i] !== void 0 && !a.options.includes(args[i] ?? "")))
    return void 0;
  for (const flag of Object.values(command.flags)) {
    if (flag.name in flags) {
      if (flag.exclusive?.some((other) => other in flags))
        return void 0;
    } else if (flag.default !== void 0)
      flags[flag.name] = flag.default;
    else if (flag.type === "boolean")
      flags[flag.name] = false;
  }
  return { args, flags, rest };
}
async function runFast(argv, manifestUrl) {
  const found = commandOf(argv);
  if (!found)
    return false;
  const manifest = JSON.parse(readFileSync(manifestUrl, "utf8"));
  const command = manifest.commands[found.id];
  const body = FAST[found.id];
  if (!command || !body)
    return false;
  const parsed = parsePlain(command, found.words);
  if (!parsed)
    return false;
  const json = parsed.flags.json === true;
  const { processIo } = await import("./command-io.js");
  try {
    const result = await body(parsed, processIo(json));
    if (json)
      process.stdout.write(jsonText(result));
  } catch (error) {
    if (process.env.DEBUG)
      console.error(error);
    const { explainError, reportError } = await import("./error-line-JMJPALVQ.js");
    const report = await explainError(error, { commandId: found.id, flagNames: Object.keys(command.flags) });
    reportError(report, json);
    process.exitCode = report.exitCode;
  }
  return true;
}
export {
  parsePlain,
  runFast
};
