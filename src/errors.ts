/**
 * The error types of xv. Every failure the user can act on is an `XvError`: one line saying what
 * failed, why, and what to do next. Commands print it as `xv: error: <message>` (or, with --json,
 * as `{"error": {code, message, hint}}` on stdout) and exit with its exit code, never with a stack
 * trace. Callers choose what to do by the error's class, never by its text.
 *
 * Exit codes (documented in the README):
 *   0 ok · 1 failed · 2 usage error or refused (something would be destroyed) · 130 interrupted
 */

const EXIT_FAILED = 1
/** A usage error, or a refusal because something would be destroyed/overwritten without --force/--yes. */
export const EXIT_REFUSED = 2
export const EXIT_USAGE = 2
/** SIGINT/SIGTERM (128 + 2, as shells report Ctrl-C). */
export const EXIT_INTERRUPTED = 130

export type ErrorCode = 'failed' | 'not_found' | 'refused' | 'usage' | 'tool_failed' | 'interrupted' | 'conflict'

export interface ErrorOptions {
  /** What to do next, when it is not already part of the message. */
  hint?: string
  cause?: unknown
}

export class XvError extends Error {
  readonly exitCode: number
  readonly code: ErrorCode = 'failed'
  readonly hint?: string

  constructor(message: string, exitCode: number = EXIT_FAILED, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'XvError'
    this.exitCode = exitCode
    this.hint = options.hint
  }

  /** The JSON form printed with --json. */
  toJSON(): {code: ErrorCode; message: string; hint?: string; exitCode: number} {
    return {code: this.code, message: this.message, ...(this.hint ? {hint: this.hint} : {}), exitCode: this.exitCode}
  }
}

/** Something named by the user does not exist: a version, a path at a version, a worktree, a run, a table… */
export class NotFoundError extends XvError {
  override readonly code: ErrorCode = 'not_found'
  /** What kind of thing was not found ('version', 'path', 'worktree', 'table', …). */
  readonly what: string

  constructor(what: string, message: string, options: ErrorOptions = {}) {
    super(message, EXIT_FAILED, options)
    this.name = 'NotFoundError'
    this.what = what
  }
}

/** A refusal: the command would destroy, overwrite or lose something and was not told to (exit 2). */
export class RefusedError extends XvError {
  override readonly code: ErrorCode = 'refused'

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, EXIT_REFUSED, options)
    this.name = 'RefusedError'
  }
}

/** The command line itself is wrong: a missing argument, a bad flag value (exit 2). */
export class UsageError extends XvError {
  override readonly code: ErrorCode = 'usage'

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, EXIT_USAGE, options)
    this.name = 'UsageError'
  }
}

/** Another process holds something xv needs (a claimed version, a locked database). */
export class ConflictError extends XvError {
  override readonly code: ErrorCode = 'conflict'

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, EXIT_FAILED, options)
    this.name = 'ConflictError'
  }
}

/** An outside tool (git, dvc, python, sqlite) failed. `stderr` keeps what it said. */
export class ToolError extends XvError {
  override readonly code: ErrorCode = 'tool_failed'
  readonly tool: string
  readonly args: readonly string[]
  readonly stderr: string
  readonly toolExitCode?: number

  constructor(tool: string, args: readonly string[], message: string, details: {stderr?: string; exitCode?: number} & ErrorOptions = {}) {
    super(message, EXIT_FAILED, details)
    this.name = 'ToolError'
    this.tool = tool
    this.args = args
    this.stderr = details.stderr ?? ''
    this.toolExitCode = details.exitCode
  }
}

/** The user pressed Ctrl-C (or the process got SIGTERM); the undo steps have run (exit 130). */
export class InterruptedError extends XvError {
  override readonly code: ErrorCode = 'interrupted'
  readonly signal: NodeJS.Signals

  constructor(signal: NodeJS.Signals, message = `interrupted (${signal})`) {
    super(message, EXIT_INTERRUPTED)
    this.name = 'InterruptedError'
    this.signal = signal
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}

/** The first non-empty line of a (possibly multi-line) tool message. */
export function firstLine(text: string): string {
  for (const line of text.split('\n')) {
    const t = line.trim()
    if (t) return t
  }

  return text.trim()
}
