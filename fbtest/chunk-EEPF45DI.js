// dist/errors.js
var EXIT_FAILED = 1;
var EXIT_REFUSED = 2;
var EXIT_USAGE = 2;
var EXIT_INTERRUPTED = 130;
var XvError = class extends Error {
  exitCode = EXIT_FAILED;
  code = "failed";
  name = "XvError";
  hint;
  constructor(message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.hint = options.hint;
  }
  /** The JSON form printed with --json. */
  toJSON() {
    return { code: this.code, message: this.message, ...this.hint ? { hint: this.hint } : {}, exitCode: this.exitCode };
  }
};
var NotFoundError = class extends XvError {
  code = "not_found";
  /** What kind of thing was not found ('version', 'path', 'worktree', 'table', …). */
  what;
  name = "NotFoundError";
  constructor(what, message, options = {}) {
    super(message, options);
    this.what = what;
  }
};
var RefusedError = class extends XvError {
  code = "refused";
  exitCode = EXIT_REFUSED;
  name = "RefusedError";
};
var UsageError = class extends XvError {
  code = "usage";
  exitCode = EXIT_USAGE;
  name = "UsageError";
};
var ConflictError = class extends XvError {
  code = "conflict";
  name = "ConflictError";
};
var ToolError = class extends XvError {
  code = "tool_failed";
  name = "ToolError";
  tool;
  args;
  stderr;
  toolExitCode;
  constructor(tool, args, message, details = {}) {
    super(message, details);
    this.tool = tool;
    this.args = args;
    this.stderr = details.stderr ?? "";
    this.toolExitCode = details.exitCode;
  }
};
var InterruptedError = class extends XvError {
  code = "interrupted";
  exitCode = EXIT_INTERRUPTED;
  name = "InterruptedError";
  signal;
  constructor(signal, message = `interrupted (${signal})`) {
    super(message);
    this.signal = signal;
  }
};
function errorMessage(err) {
  if (err instanceof Error)
    return err.message;
  return String(err);
}
function firstLine(text) {
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t)
      return t;
  }
  return text.trim();
}

export {
  EXIT_FAILED,
  EXIT_USAGE,
  EXIT_INTERRUPTED,
  XvError,
  NotFoundError,
  RefusedError,
  UsageError,
  ConflictError,
  ToolError,
  InterruptedError,
  errorMessage,
  firstLine
};
