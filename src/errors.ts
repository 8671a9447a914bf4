/**
 * A failure the user can act on: one line saying what failed, why, and what to do next.
 * Commands print it as `xv: <message>` and exit non-zero, never with a stack trace.
 */
export class XvError extends Error {
  readonly exitCode: number

  constructor(message: string, exitCode = 1) {
    super(message)
    this.name = 'XvError'
    this.exitCode = exitCode
  }
}

/** Exit code used when a command refuses because something would be destroyed. */
export const EXIT_REFUSED = 2

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
