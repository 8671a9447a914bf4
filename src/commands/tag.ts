import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {tagExperiment} from '../domain/tagging.js'
import {progress, warn} from '../render/output.js'
import {renderTag} from '../render/reports.js'

export default class Tag extends XvCommand {
  static summary = 'Version an experiment after a run: dvc add, commit, annotated tag, push.'
  static description =
    'Checks the version (or picks the next one), tracks the configured artifacts with DVC, commits, writes the annotated tag whose message is built from the result database (key=value | … | data=<hash> | description), then pushes the DVC objects and the tag when remotes exist. If a push fails the tag stays local: finish with `xv push VERSION`.'
  static examples = [
    '<%= config.bin %> tag e0.1.0 -m baseline',
    '<%= config.bin %> tag -m "lower lr"            # next minor version',
    '<%= config.bin %> tag --bump patch -m rerun',
    '<%= config.bin %> tag e1.0.0 --dry-run',
  ]
  static enableJsonFlag = true
  static args = {
    version: Args.string({description: 'experiment version, e.g. e0.1.0 (default: the next one, see --bump)'}),
  }
  static flags = {
    message: Flags.string({char: 'm', description: 'human description (end of the tag message and the commit)'}),
    bump: Flags.string({description: 'which part to bump when VERSION is omitted', options: ['major', 'minor', 'patch'], default: 'minor'}),
    'dry-run': Flags.boolean({description: 'print every step and the tag message; change nothing'}),
    'no-push': Flags.boolean({description: 'do not push to the DVC or git remote'}),
    'no-commit': Flags.boolean({description: 'tag HEAD as it is: no dvc add, no commit'}),
  }

  async run() {
    const {args, flags} = await this.parse(Tag)
    const ctx = await this.openRepo({needCommit: true})
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
      {step: progress},
    )
    for (const w of report.warnings) warn(w)
    this.log(renderTag(report))
    return report
  }
}
