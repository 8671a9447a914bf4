/**
 * Runs one of xv's small Python drivers (DVC's Python API in one process) with the interpreter of
 * the pip-installed dvc, for a remote operation: no stdin, DVC's analytics and updater off, and
 * given up after TIMEOUT seconds without progress (xv.yaml `remoteTimeout`). The caller reads the
 * driver's `XV-…` lines from stdout. (No import of dvc.ts here: it re-exports modules that use this one.)
 */
import {watchInactivity} from './inactivity.js'

export interface DriverResult {
  stdout: string
  stderr: string
  exitCode?: number
  /** No progress for remoteTimeout seconds: the driver was stopped. */
  timedOut: boolean
}

export async function runRemoteDriver(python: string, root: string, driver: string, payload: unknown, timeoutSeconds: number): Promise<DriverResult> {
  const {execa} = await import('execa')
  const child = execa(python, ['-c', driver, JSON.stringify(payload)], {
    cwd: root,
    stdin: 'ignore',
    reject: false,
    env: {DVC_NO_ANALYTICS: '1', DVC_NO_UPDATER: '1'},
  })
  const watch = watchInactivity(child, timeoutSeconds)
  const res = await child
  watch.stop()
  return {stdout: res.stdout, stderr: res.stderr, exitCode: res.exitCode, timedOut: watch.timedOut}
}
