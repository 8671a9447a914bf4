/**
 * An inactivity timeout for a child process that talks to a remote: the child is stopped when,
 * for N seconds, it printed nothing AND its I/O counters did not move (on Linux,
 * `/proc/PID/io` rchar/wchar: bytes read from or written to files, pipes and sockets). A slow
 * but moving 300 MB transfer never trips it; a remote that stopped answering does.
 */
import {readFileSync} from 'node:fs'

/** The part of a child process the watch needs (an execa subprocess fits). */
export interface WatchedChild {
  pid?: number
  stdout?: NodeJS.ReadableStream | null
  stderr?: NodeJS.ReadableStream | null
  kill: (signal?: NodeJS.Signals) => boolean
}

export interface InactivityWatch {
  /** True once the watch stopped the child. */
  readonly timedOut: boolean
  stop: () => void
}

/** Bytes the process has read and written so far, or undefined where /proc is not available. */
function ioCounter(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/io`, 'utf8')
    let total = 0
    for (const m of text.matchAll(/^(rchar|wchar):\s*(\d+)$/gm)) total += Number(m[2])
    return total
  } catch {
    return undefined
  }
}

/** Watches CHILD; after SECONDS without output or I/O it is sent SIGTERM (then SIGKILL). */
export function watchInactivity(child: WatchedChild, seconds: number): InactivityWatch {
  let last = Date.now()
  let counter = child.pid === undefined ? undefined : ioCounter(child.pid)
  let timedOut = false
  const moved = () => {
    last = Date.now()
  }

  child.stdout?.on('data', moved)
  child.stderr?.on('data', moved)
  const periodMs = Math.max(100, Math.min(1000, (seconds * 1000) / 4))
  let killer: NodeJS.Timeout | undefined
  const timer = setInterval(() => {
    const now = child.pid === undefined ? undefined : ioCounter(child.pid)
    if (now !== undefined && now !== counter) {
      counter = now
      moved()
    }

    if (Date.now() - last >= seconds * 1000 && !timedOut) {
      timedOut = true
      child.kill('SIGTERM')
      killer = setTimeout(() => child.kill('SIGKILL'), 2000)
      killer.unref()
    }
  }, periodMs)
  timer.unref()
  return {
    get timedOut() {
      return timedOut
    },
    stop() {
      clearInterval(timer)
      if (killer) clearTimeout(killer)
      child.stdout?.removeListener('data', moved)
      child.stderr?.removeListener('data', moved)
    },
  }
}
