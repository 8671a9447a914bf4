import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {tagExperiment} from '../domain/tagging.js'
import {progress, warn} from '../render/output.js'
import {renderTag} from '../render/reports.js'

export default class Tag extends XvCommand {
  static override summary = 'Version an experiment after a run: dvc add, commit, annotated tag, push.'
  static override description =
    'Claims the version (or the next free one) before anything changes, checks that the artifacts and the result database are inside the repository, that no large or binary data file would go into git and that the disk has room, checkpoints a SQLite write-ahead log, tracks the configured artifacts with DVC, commits exactly the listed files, writes the annotated tag whose message is built from the result database (key=value | … | data=<hash> | description), then pushes the DVC objects, the branch and the tag when remotes exist. An error or Ctrl-C before the tag exists undoes everything; if a push fails the tag stays local: finish with `xv push VERSION`.'
  static override examples = [
    '<%= config.bin %> tag e0.1.0 -m baseline',
    '<%= config.bin %> tag -m "lower lr"            # next minor version',
    '<%= config.bin %> tag --bump patch -m rerun',
    '<%= config.bin %> tag e1.0.0 --dry-run',
  ]
  static override enableJsonFlag = true
  static override args = {
    version: Args.string({description: 'experiment version, e.g. e0.1.0 (default: the next one, see --bump)'}),
  }
  static override flags = {
    message: Flags.string({char: 'm', description: 'human description (end of the tag message and the commit)'}),
    bump: Flags.string({description: 'which part to bump when VERSION is omitted', options: ['major', 'minor', 'patch'], default: 'minor'}),
    'dry-run': Flags.boolean({default: false, description: 'print every step, the exact files git would record, and the tag message; change nothing'}),
    'no-push': Flags.boolean({default: false, description: 'push nothing: no DVC objects, no branch, no tag, no claim'}),
    'no-commit': Flags.boolean({default: false, description: 'tag HEAD as it is: no dvc add, no commit'}),
    retract: Flags.string({description: 'mark VERSION bad (-m REASON): hidden from list/best unless --all, data kept'}),
  }

  async run() {
    const {args, flags} = await this.parse(Tag)
    const ctx = await this.openRepo({needCommit: true})
    if (flags.retract !== undefined) {
      const {retractVersion} = await import('../domain/retract.js')
      const retracted = await retractVersion(ctx, flags.retract, flags.message, !flags['no-push'])
      this.log(`retracted ${retracted.version}: ${retracted.reason}${retracted.pushed ? ` (pushed to ${retracted.pushed})` : ''}`)
      return retracted
    }

    const report = await tagExperiment(
      ctx,
      {
        version: args.version,
        bump: flags.bump as 'major' | 'minor' | 'patch',
        description: flags.message,
        dryRun: flags['dry-run'],
        push: !flags['no-push'],
        commit: !flags['no-commit'],
      },
      {step: progress, warn},
    )
    this.log(renderTag(report))
    return this.result('tag', report)
  }
}
