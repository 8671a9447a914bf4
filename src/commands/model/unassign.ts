import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../../base-command.js'
import {unassignStage} from '../../domain/model-assign.js'
import {renderStageChange} from '../../render/models.js'

export default class ModelUnassign extends XvCommand {
  static override summary = "Take a stage away from a version (GTO's NAME#STAGE!#N tag)."
  static override examples = ['<%= config.bin %> model unassign e0.3.0 prod']
  static override enableJsonFlag = true
  static override args = {
    version: Args.string({description: 'experiment version that holds the stage', required: true}),
    stage: Args.string({description: 'stage name', required: true}),
  }
  static override flags = {
    'no-push': Flags.boolean({description: 'do not push the tag'}),
    'dry-run': Flags.boolean({description: 'print the tag that would be written', default: false}),
  }

  override async run() {
    const {args, flags} = await this.parse(ModelUnassign)
    const ctx = await this.openRepo({needCommit: true})
    const change = await unassignStage(ctx, args.version, args.stage, {dryRun: flags['dry-run'], push: !flags['no-push']})
    if (!this.jsonEnabled()) this.log(renderStageChange(change))
    return this.result('model-unassign', change)
  }
}
