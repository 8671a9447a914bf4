/**
 * Charts drawn with text for the terminal (asciichart's box-drawing lines): as wide as the
 * terminal, one colour per series, the best point of each series marked under the chart.
 */
import asciichart from 'asciichart'

import {formatNumber} from '../domain/tag-message.js'
import {colors} from './output.js'

export interface TextSeries {
  name: string
  /** One value per x position (undefined = no value there). */
  values: Array<number | undefined>
  /** Index of the best value, marked under the chart. */
  best?: number
  note?: string
}

export interface TextChartInput {
  series: TextSeries[]
  /** A label per x position (first and last are printed under the chart). */
  xLabels: string[]
  /** Total width in columns (default: the terminal's, else 80). */
  width?: number
  height?: number
}

const PALETTE = [asciichart.cyan, asciichart.magenta, asciichart.yellow, asciichart.green, asciichart.blue, asciichart.lightred]
const CHALK = [colors.cyan, colors.magenta, colors.yellow, colors.green, colors.blue, colors.redBright]
const LABEL_WIDTH = 10

/** Gaps filled from the nearest earlier value (else the first later one): asciichart draws no gaps. */
function filled(values: Array<number | undefined>): number[] {
  const first = values.find((v) => v !== undefined) ?? 0
  let last = first
  return values.map((v) => (v === undefined ? last : (last = v)))
}

/** Maps N points onto W columns: buckets when N > W (a bucket's best point wins), stretched when N < W. */
function columnsFor(n: number, w: number): {cols: number; at: (i: number) => number} {
  if (n <= 1) return {cols: 1, at: () => 0}
  if (n > w) return {cols: w, at: (i) => Math.min(w - 1, Math.floor((i * w) / n))}
  const step = Math.max(1, Math.min(8, Math.floor((w - 1) / (n - 1))))
  return {cols: (n - 1) * step + 1, at: (i) => i * step}
}

function resample(values: number[], cols: number, at: (i: number) => number, best?: number): number[] {
  const out: Array<number | undefined> = Array.from({length: cols}, () => undefined)
  values.forEach((v, i) => {
    out[at(i)] = v
  })
  if (best !== undefined) out[at(best)] = values[best]
  // straight lines between the placed points
  let prev = -1
  for (let c = 0; c < cols; c++) {
    if (out[c] === undefined) continue
    if (prev >= 0 && c - prev > 1) {
      const a = out[prev] ?? 0 // prev and c were both set (out[c] checked above, prev only ever set at a value)
      const b = out[c] ?? 0
      for (let k = prev + 1; k < c; k++) out[k] = a + ((b - a) * (k - prev)) / (c - prev)
    }

    prev = c
  }

  return filled(out)
}

export function renderTextChart(input: TextChartInput): string {
  const total = input.width ?? (process.stdout.columns || 80)
  const plotWidth = Math.max(10, total - LABEL_WIDTH - 3)
  const n = input.xLabels.length
  const {cols, at} = columnsFor(n, plotWidth)
  const series = input.series.map((s) => resample(filled(s.values), cols, at, s.best))
  const all = series.flat()
  const min = Math.min(...all)
  const max = Math.max(...all)
  const height = input.height ?? Math.max(4, Math.min(14, (process.stdout.rows || 24) - 8 - input.series.length))
  const useColour = colors.level > 0
  const chart = asciichart.plot(series, {
    height: min === max ? 1 : height,
    colors: useColour ? input.series.map((_, i) => PALETTE[i % PALETTE.length]) : undefined,
    format: (x) => formatNumber(x).padStart(LABEL_WIDTH).slice(-LABEL_WIDTH),
  })
  const lines = [chart]
  const pad = ' '.repeat(LABEL_WIDTH + 2)
  input.series.forEach((s, i) => {
    if (s.best === undefined) return
    const col = at(s.best)
    const paint = useColour ? (CHALK[i % CHALK.length] ?? ((t: string) => t)) : (t: string) => t
    lines.push(`${pad}${' '.repeat(col)}${paint('▲')} ${input.series.length > 1 ? `${s.name} ` : ''}best ${input.xLabels[s.best] ?? ''}`)
  })
  const first = input.xLabels[0] ?? ''
  const last = n > 1 ? (input.xLabels[n - 1] ?? '') : ''
  lines.push(`${pad}${first}${' '.repeat(Math.max(1, cols - first.length - last.length))}${last}`)
  lines.push('')
  input.series.forEach((s, i) => {
    const paint = useColour ? (CHALK[i % CHALK.length] ?? ((t: string) => t)) : (t: string) => t
    lines.push(`${paint('━━')} ${colors.bold(s.name)}${s.note ? `  ${s.note}` : ''}`)
  })
  return lines.join('\n')
}
