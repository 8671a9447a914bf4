/**
 * The terminal's progress bar for long steps (verified copies, large transfers): bytes or rows
 * done, rate and ETA, on stderr, only when stderr is a terminal and the step is long enough to be
 * worth one (nothing at all when piped, under CI logs, or with TERM=dumb). Ctrl-C clears the line
 * before the undo message is printed. Built on cli-progress. The domain reaches it only through
 * the ProgressReporter it is given (src/domain/progress.ts).
 */
import type {Progress, ProgressStep} from '../domain/progress.js'
import {progressOnStderr} from '../terminal.js'
import {formatBytes} from './output.js'

const NONE: Progress = {tick() {}, stop() {}}

/** Below this many bytes a step is quick: no bar. */
export const MIN_BYTES_FOR_BAR = 32 * 1024 * 1024

export interface ProgressOptions extends ProgressStep {
  /** Show a bar only from this total on (default: MIN_BYTES_FOR_BAR for bytes, 100,000 rows). */
  threshold?: number
  stream?: NodeJS.WriteStream
}

function amount(unit: ProgressOptions['unit'], n: number): string {
  return unit === 'bytes' ? formatBytes(n) : `${Math.round(n).toLocaleString('en-US')} rows`
}

/** Starts a bar (or nothing, when not on a terminal or the step is small): the ProgressReporter of the command layer. */
export async function progressBar(options: ProgressOptions): Promise<Progress> {
  const stream = options.stream ?? process.stderr
  const threshold = options.threshold ?? (options.unit === 'bytes' ? MIN_BYTES_FOR_BAR : 100_000)
  if (!progressOnStderr(stream) || options.total < threshold) return NONE
  const {SingleBar} = (await import('cli-progress')).default
  const started = Date.now()
  const bar = new SingleBar({
    stream,
    hideCursor: true,
    clearOnComplete: true,
    stopOnComplete: false,
    barsize: 24,
    fps: 8,
    format: (_opts, params, payload: {label: string}) => {
      const width = 24
      const filled = Math.round(params.progress * width)
      const seconds = Math.max(0.001, (Date.now() - started) / 1000)
      const rate = params.value / seconds
      const eta = rate > 0 ? Math.max(0, (params.total - params.value) / rate) : 0
      const etaText = params.value === 0 ? '--' : eta >= 60 ? `${Math.floor(eta / 60)}m${Math.round(eta % 60)}s` : `${Math.ceil(eta)}s`
      return `${payload.label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${Math.floor(params.progress * 100)}% ${amount(options.unit, params.value)}/${amount(options.unit, params.total)} ${amount(options.unit, rate)}/s ETA ${etaText}`
    },
  })
  bar.start(options.total, 0, {label: options.label})
  let done = 0
  let stopped = false
  const clear = () => {
    if (stopped) return
    stopped = true
    bar.stop()
    stream.write('\r\u001B[2K')
  }

  const forget = () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }

  // First among the signal listeners: the line is clean before "rolled back …" is printed. With no
  // other listener (no undo to run) the signal is raised again so Ctrl-C still stops xv.
  function onSignal(signal: NodeJS.Signals) {
    clear()
    forget()
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
  }

  process.prependListener('SIGINT', onSignal)
  process.prependListener('SIGTERM', onSignal)
  return {
    tick(n: number) {
      done += n
      if (!stopped) bar.update(Math.min(done, options.total))
    },
    stop() {
      clear()
      forget()
    },
  }
}
