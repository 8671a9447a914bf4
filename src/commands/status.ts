import {XvCommand} from '../base-command.js'
import {projectStatus} from '../domain/status.js'
import {renderStatus} from '../render/status.js'

export default class Status extends XvCommand {
  static override summary = 'Where the project stands, on one screen, and the next command to type.'
  static override description =
    "The experiment version at HEAD and the newest one; configured artifacts modified since their DVC pointer or not tracked at all; experiment tags, DVC objects and commits not pushed; experiment worktrees whose result runs are not merged into main's database; versions claimed by a tag or run that never finished (refs/xv/claims without a tag); and the one command to type next."
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json | jq .next.command']
  static override enableJsonFlag = true

  override async run() {
    await this.parse(Status)
    const ctx = await this.openRepo()
    const report = await projectStatus(ctx)
    this.log(renderStatus(report))
    return this.result('status', report)
  }
}
