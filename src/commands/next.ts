import {Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {nextVersionFor, releaseVersion} from '../domain/run-versions.js'

export default class Next extends XvCommand {
  static override summary = 'Print the next free experiment version; --claim reserves it for this worktree.'
  static override description =
    'Skips every experiment tag and every claim (refs/xv/claims/*, this repository and fetched remotes). With --claim the version is claimed atomically for this worktree, so a parallel worktree never gets the same one; `xv run` and `xv tag` here use it. --release V gives a claim back (refused while result rows are labelled V).'
  static override examples = [
    '<%= config.bin %> next',
    '<%= config.bin %> next --bump major --claim',
    '<%= config.bin %> next --release e0.4.0',
  ]
  static override enableJsonFlag = true
  static override flags = {
    bump: Flags.string({description: 'which part to bump', options: ['major', 'minor', 'patch'], default: 'minor'}),
    claim: Flags.boolean({description: 'claim the version for this worktree'}),
    release: Flags.string({description: 'give back a version this worktree claimed', exclusive: ['claim']}),
  }

  async run() {
    const {flags} = await this.parse(Next)
    const ctx = await this.openRepo()
    if (flags.release !== undefined) {
      const report = await releaseVersion(ctx, flags.release)
      this.log(`released ${report.version}`)
      return this.result('next-release', report)
    }

    const report = await nextVersionFor(ctx, flags.bump as 'major' | 'minor' | 'patch', flags.claim)
    this.log(report.claimed ? `${report.version} (claimed for this worktree)` : report.version)
    return this.result('next', report)
  }
}
