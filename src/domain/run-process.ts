/**
 * Starts the user's command for `xv run`: stdout/stderr pass through live and into the run log,
 * XV_VERSION / XV_RUN_ID (and XV_SEED) are exported, and Ctrl-C / SIGTERM are passed on.
 *
 * The command runs in its own process group, so a Ctrl-C in the terminal reaches xv once and xv
 * forwards it to the whole group (a shell wrapper and its children alike) exactly once per press;
 * xv itself keeps running to record the outcome (`cancelled`).
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {constants} from 'node:os'

import {UsageError} from '../errors.js'
import type {RunLog} from './run-log.js'

export interface ProcessOutcome {
  exitCode: number
  signal?: string
  /** xv received SIGINT/SIGTERM while the command ran. */
  interrupted?: NodeJS.Signals
  /** The command could not be started (not found, not executable). */
  startError?: string
  startedAt: Date
  endedAt: Date
}

export interface StartHooks {
  /** Where the command's stdout goes live (stderr under --json, so stdout stays JSON only). */
  stdoutTo?: 'stdout' | 'stderr'
  /** Called once the process exists (status → running). */
  onSpawn?: (startedAt: Date) => void
}

/**
 * Passes SIGINT / SIGTERM / SIGHUP received by xv to CHILD's process group, once per signal; xv
 * itself keeps running. `interrupted` is the first signal passed on.
 */
function forwardSignals(child: ChildProcess): {interrupted: () => NodeJS.Signals | undefined; stop: () => void} {
  let interrupted: NodeJS.Signals | undefined
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => {
    const handler = () => {
      interrupted ??= signal
      try {
        if (child.pid) process.kill(-child.pid, signal)
      } catch {
        // already gone
      }
    }

    process.on(signal, handler)
    return [signal, handler] as const
  })
  return {interrupted: () => interrupted, stop: () => handlers.forEach(([signal, handler]) => process.removeListener(signal, handler))}
}

export function runCommand(command: string[], cwd: string, env: Record<string, string>, log: RunLog, hooks: StartHooks = {}): Promise<ProcessOutcome> {
  const [file, ...args] = command
  if (file === undefined) return Promise.reject(new UsageError("no command to run; give it after '--', e.g. xv run -- python train.py"))
  return new Promise((resolve) => {
    let settled = false
    const startedAt = new Date()
    const child = spawn(file, args, {cwd, env: {...process.env, ...env}, stdio: ['inherit', 'pipe', 'pipe'], detached: true})
    const signals = forwardSignals(child)
    const settle = (outcome: Omit<ProcessOutcome, 'startedAt' | 'endedAt' | 'interrupted'>) => {
      signals.stop()
      const interrupted = signals.interrupted()
      if (!settled) resolve({...outcome, ...(interrupted ? {interrupted} : {}), startedAt, endedAt: new Date()})
      settled = true
    }

    child.stdout.on('data', (chunk: Buffer) => {
      ;(hooks.stdoutTo === 'stderr' ? process.stderr : process.stdout).write(chunk)
      log.out(chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk)
      log.err(chunk)
    })
    child.once('spawn', () => hooks.onSpawn?.(startedAt))
    child.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' ? `command not found: ${file}` : error.code === 'EACCES' ? `not executable: ${file}` : error.message
      settle({exitCode: 127, startError: why})
    })
    child.once('close', (code, signal) => {
      const signo = signal ? (constants.signals as Record<string, number>)[signal] ?? 0 : 0
      settle({exitCode: code ?? 128 + signo, ...(signal ? {signal} : {})})
    })
  })
}
