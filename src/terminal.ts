/**
 * Progress on the user's terminal. `progressOnStderr()` is the one test for drawing anything
 * (stderr is a terminal, not TERM=dumb, not a CI log) — for xv's own bar (render/progress-bar.ts)
 * and for DVC's. DVC's own progress bars are relayed onto ONE line of xv's stderr: DVC runs with
 * its stderr piped to xv and told to draw anyway (DVC_IGNORE_ISATTY), and `relayProgress` shows its
 * latest bar line, cut to the width, and clears it when the step ends or Ctrl-C stops it. Nothing
 * of the kind when stderr is not a terminal; DVC's other messages stay captured for xv's errors.
 */
export function progressOnStderr(stream: NodeJS.WriteStream = process.stderr): boolean {
  return stream.isTTY && process.env.TERM !== 'dumb' && !process.env.CI
}

let relayed = false

/** Clears the cursor's line of a terminal when a relayed or drawn bar may be on it. */
export function clearProgressLine(stream: NodeJS.WriteStream = process.stderr): void {
  if (!progressOnStderr(stream)) return
  stream.write('\r\u001B[2K')
  relayed = false
}

/** Environment for a DVC process whose progress is relayed: bars drawn into the pipe, as wide as the terminal. */
export function relayEnv(stream: NodeJS.WriteStream = process.stderr): Record<string, string> {
  return progressOnStderr(stream) ? {DVC_IGNORE_ISATTY: 'true', COLUMNS: String(Math.max(40, (stream.columns || 80) - 1))} : {}
}

// eslint-disable-next-line no-control-regex
const CONTROL = /\u001B\[[0-9;?]*[A-Za-z]/g
/** A tqdm bar line: `… |███  | 3/10 [00:01<00:02, …]` or `Pushing |0.00 [00:00, ?file/s]`. */
const BAR = /\|.*\[\d+:\d\d/

export interface Relay {
  /** Stops relaying and clears the line. */
  stop: () => void
}

/** Shows the bars DVC writes to SOURCE on one line of OUT (when OUT is a terminal; nothing otherwise). */
export function relayProgress(source: NodeJS.ReadableStream | null | undefined, out: NodeJS.WriteStream = process.stderr): Relay {
  if (!source || !progressOnStderr(out)) return {stop: () => {}}
  let pending = ''
  const onData = (chunk: Buffer | string) => {
    pending += chunk.toString()
    const parts = pending.split(/[\r\n]/)
    pending = parts.pop() ?? ''
    const bar = parts.map((p) => p.replace(CONTROL, '').trim()).filter((p) => BAR.test(p)).at(-1)
    if (bar === undefined) return
    const width = Math.max(20, (out.columns || 80) - 1)
    out.write(`\r\u001B[2K${bar.length > width ? `${bar.slice(0, width - 1)}…` : bar}`)
    relayed = true
  }

  source.on('data', onData)
  return {
    stop: () => {
      source.off('data', onData)
      if (relayed) clearProgressLine(out)
    },
  }
}
