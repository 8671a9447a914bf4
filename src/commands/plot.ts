import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {UsageError} from '../errors.js'

export default class Plot extends XvCommand {
  static override summary = 'Plot metrics across experiment versions (or one run’s step/epoch curves) in the terminal or to a file.'
  static override description =
    "Reads each version's frozen summary (results/metrics.json at its tag; the tag message's fields for older tags) in one batched git read, and draws one line per metric with the best version marked (higher is better unless the name says loss/error/latency/time, or xv.yaml metrics say otherwise). With --run, the step/epoch rows of one run in the result database (metrics(run_id, metric_name, value, step, epoch), or a table with step/epoch and the metric columns). -o writes an SVG, or a self-contained HTML page."
  static override examples = [
    '<%= config.bin %> plot f1',
    '<%= config.bin %> plot f1 loss --versions e0.2.0..e0.9.0',
    '<%= config.bin %> plot accuracy --by date -o accuracy.svg',
    '<%= config.bin %> plot loss --run 3',
  ]
  static override strict = false
  static override enableJsonFlag = true
  static override args = {metric: Args.string({description: 'metric name(s) to plot', required: true})}
  static override flags = {
    by: Flags.string({description: 'x axis: versions in semver order, or tag dates', options: ['version', 'date'], default: 'version'}),
    versions: Flags.string({description: 'versions to include: A..B, A.., ..B or A,B,C'}),
    run: Flags.string({description: 'plot the step/epoch curves of this run id from the result database'}),
    output: Flags.string({char: 'o', description: 'write the chart to FILE.svg or FILE.html instead of the terminal'}),
    force: Flags.boolean({description: 'replace an existing output file that xv did not write'}),
    width: Flags.integer({description: 'terminal chart width in columns (default: the terminal width)', min: 30}),
  }

  override async run() {
    const {argv, flags} = await this.parse(Plot)
    const metrics = [...new Set((argv as string[]).flatMap((a) => a.split(',')).map((m) => m.trim()).filter(Boolean))]
    if (metrics.length === 0) throw new UsageError('name at least one metric to plot, e.g. xv plot f1')
    if (flags.run && (flags.versions || flags.by === 'date')) throw new UsageError('--run plots one run; --versions/--by do not apply to it')
    const ctx = await this.openRepo({needCommit: true})
    const {outputKind, writeOutput} = await import('../domain/chart-output.js')
    const kind = flags.output ? outputKind(flags.output, ['svg', 'html']) : undefined
    const {plotChart} = await import('../domain/plot.js')
    const chart = await plotChart(ctx, metrics, {run: flags.run, versions: flags.versions, by: flags.by as 'version' | 'date'})
    let written: string | undefined
    if (flags.output && kind) {
      const {renderChartFile} = await import('../render/charts-plot.js')
      written = writeOutput(process.cwd(), flags.output, await renderChartFile(chart, kind), flags.force)
    }

    if (!this.jsonEnabled()) {
      const {renderPlot} = await import('../render/charts-plot.js')
      this.log(written ? `✓ wrote ${flags.output}` : renderPlot(chart, flags.width))
    }

    const {plotResult} = await import('../json/plot-result.js')
    return this.result('plot', plotResult(chart, written))
  }
}
