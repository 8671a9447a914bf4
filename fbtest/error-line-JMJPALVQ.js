import {
  FlagValueError,
  jsonText
} from "./chunk-EG52ZX2U.js";
import {
  EXIT_FAILED,
  EXIT_USAGE,
  XvError
} from "./chunk-EEPF45DI.js";

// dist/render/error-line.js
function helpCommand(scope) {
  return scope.commandId ? `xv ${scope.commandId.replaceAll(":", " ")} --help` : "xv help";
}
async function closest(target, candidates) {
  if (candidates.length === 0)
    return void 0;
  try {
    const url = import.meta.resolve("@oclif/plugin-not-found").replace(/index\.js$/, "utils.js");
    const utils = await import(url);
    return utils.default.closest(target, candidates) || void 0;
  } catch {
    return void 0;
  }
}
function lines(text) {
  return text.split("\n").map((l) => l.trim()).filter(Boolean);
}
async function parseErrorLine(err, scope) {
  const kind = err.constructor.name;
  const text = lines(err.message);
  if (kind === "RequiredArgsError" && Array.isArray(err.args)) {
    const names = err.args.map((a) => (typeof a === "string" ? a : a.name ?? "ARG").toUpperCase());
    return `missing argument${names.length === 1 ? "" : "s"} ${names.join(" ")}`;
  }
  if (kind === "UnexpectedArgsError" && Array.isArray(err.args))
    return `unexpected argument${err.args.length === 1 ? "" : "s"}: ${err.args.map(String).join(" ")}`;
  if (kind === "NonExistentFlagsError" && Array.isArray(err.flags)) {
    const parts = [];
    for (const flag of err.flags) {
      const name = flag.replace(/^-+/, "").split("=")[0] ?? flag;
      const guess = await closest(name, scope.flagNames ?? []);
      parts.push(guess ? `${flag} (did you mean --${guess}?)` : flag);
    }
    return `unknown flag${parts.length === 1 ? "" : "s"} ${parts.join(", ")}`;
  }
  const option = /^Expected --([\w-]+)=(.*) to be one of: (.*)$/.exec(text[0] ?? "");
  if (option)
    return `--${option[1]}: expected one of ${option[3]}, got '${option[2]}'`;
  const argOption = /^Expected (.*) to be one of: (.*)$/.exec(text[0] ?? "");
  if (argOption)
    return `expected one of ${argOption[2]}, got '${argOption[1]}'`;
  if (/^The following errors? occurred:?$/.test(text[0] ?? ""))
    return text.slice(1).filter((l) => !l.includes("--help")).join("; ");
  return text.filter((l) => !l.startsWith("See more help with")).join(": ");
}
function flagParseLine(err) {
  if (err instanceof FlagValueError)
    return err.reason;
  const text = lines(err.message);
  const flag = /^Parsing (--[\w-]+)$/.exec(text[0] ?? "");
  if (!flag)
    return void 0;
  const reason = (text[1] ?? "bad value").replace(/^Expected/, "expected").replace(/ but received: (.*)$/, ", got '$1'");
  return `${flag[1]}: ${reason}`;
}
async function explainError(err, scope) {
  const flagLine = flagParseLine(err);
  if (flagLine !== void 0 || err.parse !== void 0) {
    const help = helpCommand(scope);
    const message2 = `${flagLine ?? await parseErrorLine(err, scope)} (see: ${help})`;
    return { code: "usage", message: message2, hint: `see ${help}`, exitCode: EXIT_USAGE };
  }
  if (err instanceof XvError)
    return err.toJSON();
  const text = lines(err.message);
  const message = (text[0] ?? "failed").replace(/^Error: /, "");
  const code = err.oclif?.exit ?? err.exitCode;
  return { code: "failed", message, exitCode: typeof code === "number" && code > 0 ? code : EXIT_FAILED };
}
function reportError(report, json) {
  process.stderr.write(`xv: error: ${report.message}
`);
  if (json)
    process.stdout.write(jsonText({ schemaVersion: 1, error: report }));
}
export {
  closest,
  explainError,
  reportError
};
