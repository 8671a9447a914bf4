import {Args} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {pushExperiments} from '../domain/publish.js'
import {progress} from '../render/output.js'
import {renderPush} from '../render/reports.js'

export default class Push extends XvCommand {
  static override summary = 'Publish experiment tags: their DVC objects, then the tags.'
  static override description =
    'Finishes or repeats publication: dvc push of the artifacts each tag references (older tags through a temporary worktree sharing the cache), then git push of the tags. Idempotent. Without VERSION: every local experiment tag the git remote lacks.'
  static override examples = ['<%= config.bin %> push', '<%= config.bin %> push e0.1.0 e0.2.0']
  static override strict = false
  static override enableJsonFlag = true
  static override args = {version: Args.string({description: 'experiment version(s) to publish'})}

  async run() {
    const {argv} = await this.parse(Push)
    const ctx = await this.openRepo({needCommit: true})
    const report = await pushExperiments(ctx, argv as string[], {step: progress})
    this.log(renderPush(report))
    return this.result('push', report)
  }
}
