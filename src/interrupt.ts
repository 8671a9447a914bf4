/**
 * The one interruption/undo mechanism of xv. A multi-step command runs inside `withUndo`: each
 * step that changes something registers how to undo it; an error, SIGINT or SIGTERM runs the undos
 * (newest first) and says in one line what was rolled back — or, for a step that cannot be undone
 * (objects already pushed), what is left and the command that finishes it.
 *
 * Signals are registered once for the whole process, only while some `withUndo` is active, so a
 * command with nothing to undo keeps Node's default Ctrl-C behaviour. A second Ctrl-C while the
 * undos run exits at once.
 *
 *   await withUndo(async (tx) => {
 *     await git.addWorktree(path, …); tx.onUndo(() => git.removeWorktree(path), `worktree ${path}`)
 *     …
 *   })
 */
import {EXIT_INTERRUPTED, InterruptedError, XvError, errorMessage} from './errors.js'
import {clearProgressLine} from './terminal.js'

/** An undo step; returning false means there was nothing to undo (it is then not reported). */
type UndoFn = () => unknown

interface UndoStep {
  run: UndoFn
  /** Shown in the "rolled back" line; silent when undefined (temporary files). */
  what?: string
}

export interface Leftover {
  /** What stays changed. */
  what: string
  /** The command that finishes or repairs it. */
  finish?: string
}

export class UndoLog {
  private steps: UndoStep[] = []
  private leftovers: Leftover[] = []
  private children = new Set<() => void>()
  private settled = false

  /** Registers how to undo the step just done. `what` names it for the user (omit for temp files). */
  onUndo(run: UndoFn, what?: string): void {
    if (!this.settled) this.steps.push({run, what})
  }

  /** A step that cannot be undone: reported, with the command that finishes it, if the command fails. */
  cannotUndo(what: string, finish?: string): void {
    if (!this.settled) this.leftovers.push({what, finish})
  }

  /** A child process to stop if the command is interrupted; returns the function that forgets it. */
  trackChild(kill: () => void): () => void {
    this.children.add(kill)
    return () => this.children.delete(kill)
  }

  /** Everything done so far is final: nothing will be undone from here on. */
  commit(): void {
    this.steps = []
    this.leftovers = []
    this.settled = true
  }

  /** Runs the undos (newest first, each at most once); returns the line that reports them. */
  async rollback(): Promise<string> {
    for (const kill of this.children) {
      try {
        kill()
      } catch {
        // already gone
      }
    }

    this.children.clear()
    const steps = this.steps.reverse()
    this.steps = []
    const undone: string[] = []
    const failed: string[] = []
    for (const step of steps) {
      try {
        const did = await step.run()
        if (step.what && did !== false) undone.push(step.what)
      } catch (error) {
        if (step.what) failed.push(`${step.what} (${errorMessage(error).split('\n')[0] ?? ''})`)
      }
    }

    const parts: string[] = []
    if (undone.length > 0) parts.push(`rolled back: ${undone.join(', ')}`)
    if (failed.length > 0) parts.push(`could not roll back: ${failed.join(', ')}`)
    for (const left of this.leftovers) parts.push(`left: ${left.what}${left.finish ? `; finish with '${left.finish}'` : ''}`)
    this.leftovers = []
    this.settled = true
    return parts.join('; ')
  }
}

const active = new Set<UndoLog>()
let installed = false
let stopping = false

function onSignal(): void {
  if (stopping) process.exit(EXIT_INTERRUPTED) // second Ctrl-C: leave now
  stopping = true
  const logs = [...active].reverse()
  active.clear()
  void (async () => {
    const lines: string[] = []
    for (const log of logs) {
      const line = await log.rollback()
      if (line) lines.push(line)
    }

    clearProgressLine() // a bar of DVC's (or xv's) may be on the line
    process.stderr.write(`xv: interrupted${lines.length > 0 ? `; ${lines.join('; ')}` : '; nothing was changed'}\n`)
    process.exit(EXIT_INTERRUPTED)
  })()
}

const sigint = () => onSignal()
const sigterm = () => onSignal()

function install(): void {
  if (installed) return
  installed = true
  process.on('SIGINT', sigint)
  process.on('SIGTERM', sigterm)
}

function uninstallWhenIdle(): void {
  if (!installed || active.size > 0 || stopping) return
  installed = false
  process.removeListener('SIGINT', sigint)
  process.removeListener('SIGTERM', sigterm)
}

export interface WithUndoOptions {
  /** Keep the caller's error message as it is (no "rolled back" suffix). */
  quietRollback?: boolean
}

/**
 * Runs fn with an undo log. On success the log is committed. On an error the undos run and the
 * error is re-thrown with what was rolled back (and what is left) appended to its message. On
 * SIGINT/SIGTERM the undos run, one line is printed and the process exits 130.
 */
export async function withUndo<T>(fn: (log: UndoLog) => Promise<T>, options: WithUndoOptions = {}): Promise<T> {
  const log = new UndoLog()
  active.add(log)
  install()
  try {
    const result = await fn(log)
    log.commit()
    return result
  } catch (error) {
    if (stopping) await new Promise<never>(() => {}) // the signal handler owns the exit
    const report = await log.rollback()
    if (!report || options.quietRollback) throw error
    if (error instanceof InterruptedError) throw error
    if (error instanceof XvError) {
      const wrapped = Object.create(Object.getPrototypeOf(error) as object) as XvError
      Object.assign(wrapped, error)
      Object.defineProperty(wrapped, 'message', {value: `${error.message} (${report})`, enumerable: false, writable: true})
      Object.defineProperty(wrapped, 'stack', {value: error.stack, enumerable: false, writable: true})
      throw wrapped
    }

    throw new XvError(`${errorMessage(error).split('\n')[0] ?? 'failed'} (${report})`, {cause: error})
  } finally {
    active.delete(log)
    uninstallWhenIdle()
  }
}

/** True once SIGINT/SIGTERM has been received by a command running under withUndo. */
export function interrupted(): boolean {
  return stopping
}
