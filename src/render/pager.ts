/**
 * Long human output goes through a pager when stdout is a terminal, as git does: $PAGER (or
 * `less -FRX`: quits at once when the text fits, keeps colours, leaves the screen as it was).
 * Never when stdout is not a terminal, never under --json, and PAGER=cat or PAGER='' turns it off.
 */
import {spawnSync} from 'node:child_process'

const DEFAULT_PAGER = 'less -FRX'

/** The pager command to use for this many lines, or undefined to print directly. */
export function pagerFor(text: string, out: NodeJS.WriteStream = process.stdout): string | undefined {
  if (!out.isTTY) return undefined
  const pager = process.env.XV_PAGER ?? process.env.PAGER ?? DEFAULT_PAGER
  if (pager.trim() === '' || pager.trim() === 'cat') return undefined
  const rows = out.rows > 0 ? out.rows : 24
  let lines = 0
  for (let i = text.indexOf('\n'); i !== -1 && lines < rows; i = text.indexOf('\n', i + 1)) lines++
  return lines + 1 >= rows ? pager : undefined
}

/** Prints TEXT (plus a newline) on stdout, through the pager when it does not fit the terminal. */
export function pageOrPrint(text: string): void {
  const pager = pagerFor(text)
  if (pager === undefined) {
    process.stdout.write(`${text}\n`)
    return
  }

  // Ctrl-C belongs to the pager while it runs (as in git): xv must not die under it.
  const ignore = () => {}
  process.on('SIGINT', ignore)
  try {
    // $PAGER is a command and its arguments (`less -FRX`), run without a shell.
    const [command = 'less', ...args] = pager.trim().split(/\s+/)
    const res = spawnSync(command, args, {input: `${text}\n`, stdio: ['pipe', 'inherit', 'inherit'], env: {LESS: 'FRX', ...process.env}})
    if (res.error || (res.status === 127 && res.signal === null)) process.stdout.write(`${text}\n`)
  } finally {
    process.off('SIGINT', ignore)
  }
}
