import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {compareVersions} from '../domain/compare.js'

export default class Compare extends XvCommand {
  static override summary = 'Compare N versions side by side: best-run metrics, params, runs, artifacts, changed code files.'
  static override description =
    "Reads what each tag froze (results/metrics.json: the best run's metrics and params, runs, metric means, its table) in one batched git read, the DVC hashes at each tag, and the code files changed against the first version by name (pointers, dvc.lock and result files left out: they show as artifacts). --md prints Markdown for PRs."
  static override examples = ['<%= config.bin %> compare e0.1.0 e0.2.0 e0.3.0', '<%= config.bin %> compare e0.1.0 e0.4.0 --md > comparison.md']
  static override enableJsonFlag = true
  static override strict = false
  static override args = {versions: Args.string({description: 'two or more versions', required: true})}
  static override flags = {
    md: Flags.boolean({description: 'Markdown tables'}),
    all: Flags.boolean({description: 'also list artifacts that did not change'}),
  }

  async run() {
    const {argv, flags} = await this.parse(Compare)
    const ctx = await this.openRepo({needCommit: true})
    const report = await compareVersions(ctx, argv as string[], {all: flags.all})
    if (!this.jsonEnabled()) {
      const {renderComparison} = await import('../render/compare.js')
      this.log(renderComparison(report, flags.md))
    }

    return this.result('compare', report)
  }
}
