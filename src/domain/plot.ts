/** `xv plot`: the data of one chart — metrics across versions, or one run's curves. */
import type {RepoContext} from '../context.js'
import {versionSeries, type MetricSeries, type PlotAxis} from './plot-data.js'
import {runCurves, type RunCurves} from './plot-runs.js'

export type PlotChart =
  | {kind: 'versions'; by: PlotAxis; metrics: string[]; versions: string[]; series: MetricSeries[]}
  | {kind: 'run'; metrics: string[]; run: RunCurves}

export async function plotChart(
  ctx: RepoContext,
  metrics: string[],
  options: {run?: string; versions?: string; by?: PlotAxis},
): Promise<PlotChart> {
  if (options.run !== undefined) return {kind: 'run', metrics, run: await runCurves(ctx, metrics, options.run)}
  const data = await versionSeries(ctx, metrics, {versions: options.versions, by: options.by})
  return {kind: 'versions', by: data.by, metrics, versions: data.versions.map((v) => v.version), series: data.series}
}
