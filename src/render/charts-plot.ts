/** Human output of `xv plot`: the text chart, or the SVG/HTML file. */
import type {PlotChart} from '../domain/plot.js'
import {formatNumber} from '../domain/tag-message.js'
import {XV_MARK, type OutputKind} from '../domain/chart-output.js'
import {renderSvg, runChartSpec, svgPage, versionChartSpec} from './charts-svg.js'
import {renderTextChart, type TextSeries} from './charts-text.js'

export function renderPlot(chart: PlotChart, width?: number): string {
  if (chart.kind === 'run') {
    const xs = [...new Set(chart.run.curves.flatMap((c) => c.points.map((p) => p.x)))].sort((a, b) => a - b)
    const index = new Map(xs.map((x, i) => [x, i]))
    const series: TextSeries[] = chart.run.curves.map((c) => {
      const values: Array<number | undefined> = Array.from({length: xs.length}, () => undefined)
      for (const p of c.points) {
      const at = index.get(p.x)
      if (at !== undefined) values[at] = p.value
    }
      const last = c.points.at(-1)
      return {name: c.metric, values, note: last ? `last ${formatNumber(last.value)} at ${chart.run.x} ${last.x}` : 'no rows'}
    })
    const head = `run ${chart.run.run} · ${chart.run.table} · x = ${chart.run.x}`
    return `${head}\n${renderTextChart({series, xLabels: xs.map((x) => `${chart.run.x} ${x}`), width})}`
  }

  const index = new Map(chart.versions.map((v, i) => [v, i]))
  const series: TextSeries[] = chart.series.map((s) => {
    const values: Array<number | undefined> = Array.from({length: chart.versions.length}, () => undefined)
    for (const p of s.points) {
      const at = index.get(p.version)
      if (at !== undefined) values[at] = p.value
    }
    const best = s.best ? index.get(s.best.version) : undefined
    const note = s.best ? `best ${s.best.version} = ${formatNumber(s.best.value)} (${s.direction} is better, ${s.points.length} versions)` : 'no values'
    return {name: s.metric, values, best, note}
  })
  return renderTextChart({series, xLabels: chart.versions, width})
}

export async function renderChartFile(chart: PlotChart, kind: OutputKind): Promise<string> {
  const spec = chart.kind === 'run' ? runChartSpec(chart.run) : versionChartSpec(chart.series, chart.by)
  const svg = await renderSvg(spec)
  const title = chart.kind === 'run' ? `${chart.metrics.join(', ')} — run ${chart.run.run}` : `${chart.metrics.join(', ')} across versions`
  if (kind === 'svg') return `${XV_MARK}\n${svg}\n`
  return svgPage(title, [svg]).replace('<!doctype html>', `<!doctype html>${XV_MARK}`)
}
