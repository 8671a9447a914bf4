import {
  clearProgressLine
} from "./chunk-XMJSE742.js";
import {
  EXIT_INTERRUPTED,
  InterruptedError,
  XvError,
  errorMessage
} from "./chunk-EEPF45DI.js";

// dist/interrupt.js
var UndoLog = class {
  steps = [];
  leftovers = [];
  children = /* @__PURE__ */ new Set();
  settled = false;
  /** Registers how to undo the step just done. `what` names it for the user (omit for temp files). */
  onUndo(run, what) {
    if (!this.settled)
      this.steps.push({ run, what });
  }
  /** A step that cannot be undone: reported, with the command that finishes it, if the command fails. */
  cannotUndo(what, finish) {
    if (!this.settled)
      this.leftovers.push({ what, finish });
  }
  /** A child process to stop if the command is interrupted; returns the function that forgets it. */
  trackChild(kill) {
    this.children.add(kill);
    return () => this.children.delete(kill);
  }
  /** Everything done so far is final: nothing will be undone from here on. */
  commit() {
    this.steps = [];
    this.leftovers = [];
    this.settled = true;
  }
  /** Runs the undos (newest first, each at most once); returns the line that reports them. */
  async rollback() {
    for (const kill of this.children) {
      try {
        kill();
      } catch {
      }
    }
    this.children.clear();
    const steps = this.steps.reverse();
    this.steps = [];
    const undone = [];
    const failed = [];
    for (const step of steps) {
      try {
        const did = await step.run();
        if (step.what && did !== false)
          undone.push(step.what);
      } catch (error) {
        if (step.what)
          failed.push(`${step.what} (${errorMessage(error).split("\n")[0] ?? ""})`);
      }
    }
    const parts = [];
    if (undone.length > 0)
      parts.push(`rolled back: ${undone.join(", ")}`);
    if (failed.length > 0)
      parts.push(`could not roll back: ${failed.join(", ")}`);
    for (const left of this.leftovers)
      parts.push(`left: ${left.what}${left.finish ? `; finish with '${left.finish}'` : ""}`);
    this.leftovers = [];
    this.settled = true;
    return parts.join("; ");
  }
};
var active = /* @__PURE__ */ new Set();
var installed = false;
var stopping = false;
function onSignal() {
  if (stopping)
    process.exit(EXIT_INTERRUPTED);
  stopping = true;
  const logs = [...active].reverse();
  active.clear();
  void (async () => {
    const lines = [];
    for (const log of logs) {
      const line = await log.rollback();
      if (line)
        lines.push(line);
    }
    clearProgressLine();
    process.stderr.write(`xv: interrupted${lines.length > 0 ? `; ${lines.join("; ")}` : "; nothing was changed"}
`);
    process.exit(EXIT_INTERRUPTED);
  })();
}
var sigint = () => onSignal();
var sigterm = () => onSignal();
function install() {
  if (installed)
    return;
  installed = true;
  process.on("SIGINT", sigint);
  process.on("SIGTERM", sigterm);
}
function uninstallWhenIdle() {
  if (!installed || active.size > 0 || stopping)
    return;
  installed = false;
  process.removeListener("SIGINT", sigint);
  process.removeListener("SIGTERM", sigterm);
}
async function withUndo(fn, options = {}) {
  const log = new UndoLog();
  active.add(log);
  install();
  try {
    const result = await fn(log);
    log.commit();
    return result;
  } catch (error) {
    if (stopping)
      await new Promise(() => {
      });
    const report = await log.rollback();
    if (!report || options.quietRollback)
      throw error;
    if (error instanceof InterruptedError)
      throw error;
    if (error instanceof XvError) {
      const wrapped = Object.create(Object.getPrototypeOf(error));
      Object.assign(wrapped, error);
      Object.defineProperty(wrapped, "message", { value: `${error.message} (${report})`, enumerable: false, writable: true });
      Object.defineProperty(wrapped, "stack", { value: error.stack, enumerable: false, writable: true });
      throw wrapped;
    }
    throw new XvError(`${errorMessage(error).split("\n")[0] ?? "failed"} (${report})`, { cause: error });
  } finally {
    active.delete(log);
    uninstallWhenIdle();
  }
}
function interrupted() {
  return stopping;
}

export {
  withUndo,
  interrupted
};
