import {Flags} from '@oclif/core'

import {XvCommand} from '../../base-command.js'
import {startDvcEarly} from '../../domain/model-change.js'
import {warn} from '../../render/output.js'
import {renderPrune} from '../../render/models.js'

export default class ModelPrune extends XvCommand {
  static override summary = 'Keep the K best candidates by a metric; remove the rest (each stays retrievable from its tag).'
  static override description =
    'Ranks models/candidates by METRIC (xv.yaml direction, else the name; --min for lower-is-better), removes all but the best K, re-tracks the folder with DVC and commits. Refuses while models/ has uncommitted changes, and when a candidate has no value for the metric unless --force (then it ranks last). Every removed object is in the cache and, with a remote, pushed before a file is removed; `xv get TAG models/candidates/NAME` restores it. Free the space afterwards with `xv gc`.'
  static override examples = ['<%= config.bin %> model prune --keep 5 --metric f1', '<%= config.bin %> model prune --keep 3 --metric loss --min --dry-run']
  static override enableJsonFlag = true
  static override flags = {
    keep: Flags.integer({description: 'how many candidates to keep (≥ 1)', required: true}),
    metric: Flags.string({description: 'metric to rank by (default: the first metric in xv.yaml)'}),
    min: Flags.boolean({description: 'lower is better'}),
    force: Flags.boolean({description: 'rank candidates without the metric last instead of refusing'}),
    'dry-run': Flags.boolean({description: 'print what would be kept and removed; change nothing', default: false}),
  }

  override async run() {
    const {flags} = await this.parse(ModelPrune)
    // DVC's start-up (~1 s of Python imports) overlaps loading and running xv's checks.
    if (!flags['dry-run']) startDvcEarly(process.cwd())
    const ctx = await this.openRepo({needCommit: true})
    const {pruneCandidates} = await import('../../domain/model-prune.js')
    const report = await pruneCandidates(ctx, {keep: flags.keep, metric: flags.metric, min: flags.min || undefined, force: flags.force, dryRun: flags['dry-run']})
    for (const w of report.warnings) warn(w)
    if (!this.jsonEnabled()) this.log(renderPrune(report))
    return this.result('model-prune', report)
  }
}
