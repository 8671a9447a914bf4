import {Args} from '@oclif/core'

import {XvCommand} from '../../base-command.js'
import {modelInfo} from '../../domain/model-list.js'
import {renderModelInfo} from '../../render/models.js'

export default class ModelInfo extends XvCommand {
  static override summary = 'One model: origin version and run, metrics, params, data lineage, when promoted and by whom.'
  static override description = 'Without NAME: the production model. With NAME: that candidate of models/candidates.'
  static override examples = ['<%= config.bin %> model info', '<%= config.bin %> model info e0.3.0-model.bin --json']
  static override enableJsonFlag = true
  static override args = {name: Args.string({description: 'candidate name (default: production)'})}

  override async run() {
    const {args} = await this.parse(ModelInfo)
    const ctx = await this.openRepo({needCommit: true})
    const info = await modelInfo(ctx, args.name)
    if (!this.jsonEnabled()) this.log(renderModelInfo(info))
    const {kind: role, ...rest} = info
    return this.result('model-info', {...rest, role})
  }
}
