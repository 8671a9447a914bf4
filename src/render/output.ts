/**
 * Everything xv shows a person: colours (off under NO_COLOR, TERM=dumb or when not a terminal),
 * tables that fit the terminal's width, progress and warnings on stderr. JSON goes through
 * `this.result()` (src/base-command.ts).
 */
import {Chalk} from 'chalk'
import Table from 'cli-table3'

import {clearProgressLine} from '../terminal.js'

function colourLevel(stream: NodeJS.WriteStream): 0 | 1 | 2 | 3 {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return 0
  if (process.env.TERM === 'dumb') return 0
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return 1
  return stream.isTTY ? 1 : 0
}

export const colors = new Chalk({level: colourLevel(process.stdout)})
const errColors = new Chalk({level: colourLevel(process.stderr)})

// eslint-disable-next-line no-control-regex -- colour codes start with ESC
const ANSI = /\u001B\[[0-9;]*m/g

/** Printed width of a cell (colour codes take no room). */
export function visibleWidth(text: string): number {
  return text.replace(ANSI, '').length
}

/** TEXT cut to WIDTH characters, ending in … when cut (a cut cell loses its colour). */
export function truncate(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text
  const plain = text.replace(ANSI, '')
  return width <= 1 ? '…'.slice(0, width) : `${plain.slice(0, width - 1)}…`
}

/** The terminal's width when stdout is one (COLUMNS overrides), else undefined: no limit. */
export function terminalWidth(): number | undefined {
  const env = Number(process.env.COLUMNS)
  if (Number.isInteger(env) && env > 0) return env
  return process.stdout.isTTY ? process.stdout.columns : undefined
}

/**
 * Column widths that fit WIDTH: the widest columns give up room first, none below `floor` (or its
 * natural width). Returns the natural widths when they fit or when no width is given.
 */
export function fitColumns(natural: number[], width: number | undefined, overhead: number, floor = 8): number[] {
  const widths = [...natural]
  if (width === undefined) return widths
  let excess = widths.reduce((a, b) => a + b, 0) + overhead - width
  while (excess > 0) {
    let widest = -1
    let most = floor
    widths.forEach((w, i) => {
      if (w > most) [widest, most] = [i, w]
    })
    if (widest === -1) break
    const second = Math.max(floor, ...widths.filter((_, i) => i !== widest))
    const cut = Math.max(1, Math.min(excess, most - second, most - floor))
    widths[widest] = most - cut
    excess -= cut
  }

  return widths
}

/**
 * A plain table: borders only when colours are on (a terminal), tab-free columns otherwise. On a
 * terminal it fits the width: long cells are cut with …
 */
export function renderTable(head: string[], rows: Array<Array<string | number | undefined>>, width = terminalWidth()): string {
  const fancy = colors.level > 0
  const cells = rows.map((row) => row.map((c) => (c === undefined ? '' : String(c))))
  const natural = head.map((h, i) => Math.max(visibleWidth(h), ...cells.map((r) => visibleWidth(r[i] ?? ''))))
  const padding = 2
  const overhead = fancy ? natural.length * (padding + 1) + 1 : natural.length * padding
  const widths = fitColumns(natural, width, overhead)
  const table = new Table({
    head: head.map((h, i) => colors.bold(truncate(h, widths[i] ?? h.length))),
    style: {head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': padding},
    chars: fancy
      ? undefined
      : {
          top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
          'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '',
          middle: '',
        },
  })
  for (const row of cells)
    table.push(
      row.map((c, i) => {
        const w = widths[i] ?? Number.POSITIVE_INFINITY
        return w < (natural[i] ?? 0) ? truncate(c, w) : c
      }),
    )
  return table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
}

/** Progress for long steps: stderr, only when stderr is a terminal. */
export function progress(message: string): void {
  if (!process.stderr.isTTY) return
  clearProgressLine() // over a bar DVC may be drawing meanwhile
  process.stderr.write(`${errColors.dim('…')} ${message}\n`)
}

/** A warning: always on stderr, one line. */
export function warn(message: string): void {
  clearProgressLine()
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
