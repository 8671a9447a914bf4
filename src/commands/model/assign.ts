import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../../base-command.js'
import {assignStage} from '../../domain/model-assign.js'
import {renderStageChange} from '../../render/models.js'

export default class ModelAssign extends XvCommand {
  static override summary = 'Assign a stage (prod, staging, …) to a version as GTO-readable git tags.'
  static override description =
    "Registers NAME@vX.Y.Z on the version's commit when it is not registered yet (the experiment prefix becomes GTO's `v`) and writes NAME#STAGE#N; `gto show` and tools built on GTO see it. NAME is xv.yaml `model.name`, else the project folder name made GTO-valid. The tags are pushed like experiment tags."
  static override examples = ['<%= config.bin %> model assign e0.3.0 prod', '<%= config.bin %> model assign e0.4.0 staging --dry-run']
  static override enableJsonFlag = true
  static override args = {
    version: Args.string({description: 'experiment version', required: true}),
    stage: Args.string({description: 'stage name (letters, digits, - and _)', required: true}),
  }
  static override flags = {
    'no-push': Flags.boolean({description: 'do not push the tags'}),
    'dry-run': Flags.boolean({description: 'print the tags that would be written', default: false}),
  }

  override async run() {
    const {args, flags} = await this.parse(ModelAssign)
    const ctx = await this.openRepo({needCommit: true})
    const change = await assignStage(ctx, args.version, args.stage, {dryRun: flags['dry-run'], push: !flags['no-push']})
    if (!this.jsonEnabled()) this.log(renderStageChange(change))
    return this.result('model-assign', change)
  }
}
