import {Flags} from '@oclif/core'

import {XvCommand} from '../../base-command.js'
import {listModels} from '../../domain/model-list.js'
import {renderModelList} from '../../render/models.js'

export default class ModelList extends XvCommand {
  static override summary = 'Production and every candidate model: origin version/run, metrics, size, DVC hash, stages.'
  static override description =
    'Lists models/production and each entry of models/candidates with the version (and run) it came from, its metrics from the frozen summary of that tag (else the tag message; per-run models `<track_id>_model.bin` from the result database), its size and DVC md5, and the GTO stages its version holds.'
  static override examples = ['<%= config.bin %> model list', '<%= config.bin %> model list --sort f1', '<%= config.bin %> model list --json']
  static override enableJsonFlag = true
  static override flags = {
    sort: Flags.string({description: 'order candidates by this metric, best first'}),
    min: Flags.boolean({description: 'with --sort: lower is better (default: from xv.yaml, else the metric name)'}),
  }

  override async run() {
    const {flags} = await this.parse(ModelList)
    const ctx = await this.openRepo({needCommit: true})
    const listing = await listModels(ctx, {sort: flags.sort, min: flags.min || undefined})
    if (!this.jsonEnabled()) this.log(renderModelList(listing))
    return this.result('model-list', listing)
  }
}
