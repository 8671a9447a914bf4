/**
 * Charts as SVG, built with Vega-Lite and rendered by Vega in Node at build time (renderer
 * 'none': no canvas, no browser, no network). The SVG is static: the page that holds it needs no
 * script to show it.
 */
import type {MetricSeries, PlotAxis} from '../domain/plot-data.js'
import type {RunCurves} from '../domain/plot-runs.js'

type Spec = Record<string, unknown>

interface Datum {
  x: string | number
  label: string
  series: string
  value: number
  best: boolean
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf']

function lineSpec(values: Datum[], xTitle: string, xType: 'ordinal' | 'temporal' | 'quantitative', title: string, width: number): Spec {
  const many = new Set(values.map((v) => v.x)).size > 60
  const x = {
    field: 'x',
    type: xType,
    title: xTitle,
    sort: xType === 'ordinal' ? null : undefined,
    axis: {labelOverlap: 'greedy', labelAngle: xType === 'ordinal' ? -40 : 0, ticks: !many, labelLimit: 90},
  }
  const y = {field: 'value', type: 'quantitative', title: null, scale: {zero: false}}
  const single = new Set(values.map((v) => v.series)).size <= 1
  const color = {field: 'series', type: 'nominal', title: null, scale: {range: PALETTE}, legend: single ? null : {orient: 'top'}}
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width,
    height: 220,
    data: {values},
    layer: [
      {mark: {type: 'line', point: !many, strokeWidth: 2}, encoding: {x, y, color}},
      {
        transform: [{filter: 'datum.best'}],
        mark: {type: 'point', shape: 'triangle-up', size: 160, filled: true, color: '#e45756'},
        encoding: {x, y},
      },
      {
        transform: [{filter: 'datum.best'}],
        mark: {type: 'text', dy: -14, fontWeight: 'bold', color: '#e45756'},
        encoding: {x, y, text: {field: 'label'}},
      },
    ],
    config: {view: {stroke: null}, font: 'system-ui, sans-serif'},
  }
}

/** One chart of several metrics across versions (or dates), the best version of each marked. */
export function versionChartSpec(series: MetricSeries[], by: PlotAxis, width = 640): Spec {
  const values: Datum[] = series.flatMap((s) =>
    s.points.map((p) => ({
      x: by === 'date' ? p.date : p.version,
      label: `best ${p.version}`,
      series: s.metric,
      value: p.value,
      best: s.best?.version === p.version,
    })),
  )
  const only = series.length === 1 ? series[0] : undefined
  const title = only ? `${only.metric} (${only.direction} is better)` : series.map((s) => s.metric).join(', ')
  return lineSpec(values, by === 'date' ? 'tag date' : 'version', by === 'date' ? 'temporal' : 'ordinal', title, width)
}

/** Step/epoch curves of one run. */
export function runChartSpec(curves: RunCurves, width = 640): Spec {
  const values: Datum[] = curves.curves.flatMap((c) => c.points.map((p) => ({x: p.x, label: '', series: c.metric, value: p.value, best: false})))
  return lineSpec(values, curves.x, 'quantitative', `run ${curves.run}`, width)
}

/** Compiles Vega-Lite and renders the SVG (vega and vega-lite are loaded only here). */
export async function renderSvg(spec: Spec): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')])
  const compiled = vl.compile(spec as never).spec
  const view = new vega.View(vega.parse(compiled), {renderer: 'none'})
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
}

/** A minimal self-contained page around one or more SVG charts (no script, no external resource). */
export function svgPage(title: string, svgs: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}figure{margin:0 0 2rem}</style>',
    '</head><body>',
    `<h1>${escapeHtml(title)}</h1>`,
    ...svgs.map((s) => `<figure>${s}</figure>`),
    '</body></html>',
    '',
  ].join('\n')
}
