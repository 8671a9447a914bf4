import {Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {collectGarbage} from '../domain/gc.js'
import {renderGc} from '../render/models.js'

export default class Gc extends XvCommand {
  static override summary = 'Free DVC cache (and remote) space that no tag, branch, claim, worktree or working copy needs.'
  static override description =
    'Removes the objects of the DVC cache (with --remote also of a local DVC remote) that nothing references: every tag (experiment, stage or other), branch, claim and worktree HEAD, and the pointers in every worktree\'s working copy are kept — unlike `dvc gc -w`, an object any tag needs is never removed. Objects younger than --min-age are kept too (another worktree may be about to commit them). Reports the bytes freed.'
  static override examples = ['<%= config.bin %> gc --dry-run', '<%= config.bin %> gc', '<%= config.bin %> gc --remote']
  static override enableJsonFlag = true
  static override flags = {
    remote: Flags.boolean({description: 'also clean the default DVC remote (local directory remotes)'}),
    'dry-run': Flags.boolean({description: 'report what would be freed; remove nothing', default: false}),
    'min-age': Flags.integer({description: 'keep unreferenced objects younger than this many seconds', default: 600, min: 0}),
  }

  override async run() {
    const {flags} = await this.parse(Gc)
    const ctx = await this.openRepo({needCommit: true})
    const report = await collectGarbage(ctx, {remote: flags.remote, dryRun: flags['dry-run'], minAgeSeconds: flags['min-age']})
    if (!this.jsonEnabled()) this.log(renderGc(report))
    return this.result('gc', report)
  }
}
