import {XvCommand} from '../../base-command.js'
import {listStages} from '../../domain/model-assign.js'
import {renderStages} from '../../render/models.js'

export default class ModelStages extends XvCommand {
  static override summary = 'Each stage and the version it holds (read from GTO-format tags).'
  static override examples = ['<%= config.bin %> model stages', '<%= config.bin %> model stages --json']
  static override enableJsonFlag = true

  override async run() {
    await this.parse(ModelStages)
    const ctx = await this.openRepo()
    const listing = await listStages(ctx)
    if (!this.jsonEnabled()) this.log(renderStages(listing))
    return this.result('model-stages', listing)
  }
}
