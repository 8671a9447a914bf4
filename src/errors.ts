/**
 * The error types of xv. Every failure the user can act on is an `XvError`: one line saying what
 * failed, why, and what to do next. Commands print it as `xv: error: <message>` (or, with --json,
 * as `{"error": {code, message, hint}}` on stdout) and exit with its exit code, never with a stack
 * trace. Callers choose what to do by the error's class, never by its text.
 *
 * Exit codes (documented in the README):
 *   0 ok · 1 failed · 2 usage error or refused (something would be destroyed) · 130 interrupted
 */

export const EXIT_FAILED = 1
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

/** A failure the user can act on. A kind of failure is a subclass that sets `code`, `exitCode` and `name`. */
export class XvError extends Error {
  readonly exitCode: number = EXIT_FAILED
  readonly code: ErrorCode = 'failed'
  override name = 'XvError'
  readonly hint?: string

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
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

  override name = 'NotFoundError'

  constructor(what: string, message: string, options: ErrorOptions = {}) {
    super(message, options)
    this.what = what
  }
}

/** A refusal: the command would destroy, overwrite or lose something and was not told to (exit 2). */
export class RefusedError extends XvError {
  override readonly code: ErrorCode = 'refused'
  override readonly exitCode: number = EXIT_REFUSED
  override name = 'RefusedError'
}

/** The command line itself is wrong: a missing argument, a bad flag value (exit 2). */
export class UsageError extends XvError {
  override readonly code: ErrorCode = 'usage'
  override readonly exitCode: number = EXIT_USAGE
  override name = 'UsageError'
}

/** Another process holds something xv needs (a claimed version, a locked database). */
export class ConflictError extends XvError {
  override readonly code: ErrorCode = 'conflict'
  override name = 'ConflictError'
}

/** An outside tool (git, dvc, python, sqlite) failed. `stderr` keeps what it said. */
export class ToolError extends XvError {
  override readonly code: ErrorCode = 'tool_failed'
  override name = 'ToolError'
  readonly tool: string
  readonly args: readonly string[]
  readonly stderr: string
  readonly toolExitCode?: number

  constructor(tool: string, args: readonly string[], message: string, details: {stderr?: string; exitCode?: number} & ErrorOptions = {}) {
    super(message, details)
    this.tool = tool
    this.args = args
    this.stderr = details.stderr ?? ''
    this.toolExitCode = details.exitCode
  }
}

/** The user pressed Ctrl-C (or the process got SIGTERM); the undo steps have run (exit 130). */
export class InterruptedError extends XvError {
  override readonly code: ErrorCode = 'interrupted'
  override readonly exitCode: number = EXIT_INTERRUPTED
  override name = 'InterruptedError'
  readonly signal: NodeJS.Signals

  constructor(signal: NodeJS.Signals, message = `interrupted (${signal})`) {
    super(message)
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
