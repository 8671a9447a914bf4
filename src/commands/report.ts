import {Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {UsageError} from '../errors.js'

export default class Report extends XvCommand {
  static override summary = 'Write one self-contained HTML report (or Markdown): leaderboard, charts, diff, artifacts, stages.'
  static override description =
    "Reads every version's frozen summary (results/metrics.json at its tag; the tag message's fields for older tags) in one batched git read. The HTML page has a sortable leaderboard, one SVG chart per primary metric (Vega-Lite, rendered when the report is written: the page loads nothing from the network), the diff of the last two versions (or --diff A,B), the DVC artifacts of the newest version with hashes and sizes, and its dvc.lock stages. --md writes the same as Markdown for a PR comment."
  static override examples = [
    '<%= config.bin %> report',
    '<%= config.bin %> report -o docs/report.html --versions e0.5.0..',
    '<%= config.bin %> report --md -o report.md',
    '<%= config.bin %> report --md --diff e0.2.0,e0.4.0 > comment.md',
  ]
  static override enableJsonFlag = true
  static override flags = {
    output: Flags.string({char: 'o', description: 'file to write (default: report.html, or stdout with --md)'}),
    md: Flags.boolean({description: 'Markdown instead of HTML'}),
    versions: Flags.string({description: 'versions to include: A..B, A.., ..B or A,B,C'}),
    by: Flags.string({description: 'chart x axis', options: ['version', 'date'], default: 'version'}),
    diff: Flags.string({description: 'the two versions to compare, A,B (default: the last two)'}),
    metrics: Flags.string({description: 'metrics to chart, comma-separated (default: xv.yaml metrics, else the primary metric)'}),
    title: Flags.string({description: 'report title'}),
    force: Flags.boolean({description: 'replace an existing output file that xv did not write'}),
  }

  override async run() {
    const {flags} = await this.parse(Report)
    const pair = flags.diff?.split(',').map((v) => v.trim()).filter(Boolean)
    if (pair && pair.length !== 2) throw new UsageError(`--diff takes two versions, A,B; got '${flags.diff}'`)
    const ctx = await this.openRepo({needCommit: true})
    const {outputKind, writeOutput} = await import('../domain/chart-output.js')
    const target = flags.output ?? (flags.md ? undefined : 'report.html')
    if (target) outputKind(target, flags.md ? ['md'] : ['html'])
    const {buildReport} = await import('../domain/report.js')
    const report = await buildReport(ctx, {
      versions: flags.versions,
      by: flags.by as 'version' | 'date',
      diff: pair as [string, string] | undefined,
      metrics: flags.metrics?.split(',').map((m) => m.trim()).filter(Boolean),
      title: flags.title,
    })
    const text = flags.md ? (await import('../render/report-md.js')).renderReportMd(report) : await (await import('../render/report-html.js')).renderReportHtml(report)
    const written = target ? writeOutput(process.cwd(), target, text, flags.force) : undefined
    if (!this.jsonEnabled()) {
      if (written) this.log(`✓ wrote ${target} (${report.versions.length} versions, ${report.charts.length} chart${report.charts.length === 1 ? '' : 's'}, ${Math.ceil(Buffer.byteLength(text) / 1024)} KB)`)
      else process.stdout.write(text)
    }

    return this.result('report', {
      ...(written ? {output: written} : {}),
      bytes: Buffer.byteLength(text),
      versions: report.versions.length,
      charts: report.charts.map((c) => c.metric),
      ...(report.diff ? {diff: [report.diff.a.version, report.diff.b.version] as [string, string]} : {}),
      notes: report.notes,
    })
  }
}
