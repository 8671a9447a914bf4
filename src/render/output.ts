/**
 * Everything xv shows a person: colours (off under NO_COLOR or when not a terminal), tables,
 * progress and warnings on stderr. JSON goes through oclif's --json.
 */
import {Chalk} from 'chalk'
import Table from 'cli-table3'

function colourLevel(stream: NodeJS.WriteStream): 0 | 1 | 2 | 3 {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return 0
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return 1
  return stream.isTTY ? 1 : 0
}

export const colors = new Chalk({level: colourLevel(process.stdout)})
const errColors = new Chalk({level: colourLevel(process.stderr)})

/** A plain table: borders only when colours are on (a terminal), tab-free columns otherwise. */
export function renderTable(head: string[], rows: Array<Array<string | number | undefined>>): string {
  const fancy = colors.level > 0
  const table = new Table({
    head: head.map((h) => colors.bold(h)),
    style: {head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 2},
    chars: fancy
      ? undefined
      : {
          top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
          'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '',
          middle: '',
        },
  })
  for (const row of rows) table.push(row.map((c) => (c === undefined ? '' : String(c))))
  return table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
}

/** Progress for long steps: stderr, only when stderr is a terminal. */
export function progress(message: string): void {
  if (process.stderr.isTTY) process.stderr.write(`${errColors.dim('…')} ${message}\n`)
}

/** A warning: always on stderr, one line. */
export function warn(message: string): void {
  process.stderr.write(`${errColors.yellow('xv: warning:')} ${message}\n`)
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return ''
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = Math.abs(bytes)
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }

  const sign = bytes < 0 ? '-' : ''
  return `${sign}${i === 0 ? v : v.toFixed(1)} ${units[i]}`
}

export function shortSha(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : ''
}

/** ISO date to `YYYY-MM-DD HH:MM`. */
export function shortDate(iso: string): string {
  return iso ? iso.replace('T', ' ').slice(0, 16) : ''
}
