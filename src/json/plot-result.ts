/** `xv plot --json`: the chart's data with its own kind under `chart` (`kind` is the envelope's). */
import type {PlotChart} from '../domain/plot.js'
import type {PlotResult} from './contract.js'

export function plotResult(chart: PlotChart, output?: string): PlotResult {
  const written = output === undefined ? {} : {output}
  if (chart.kind === 'run') {
    const {kind, ...rest} = chart
    return {...rest, chart: kind, ...written}
  }

  const {kind, ...rest} = chart
  return {...rest, chart: kind, ...written}
}
