import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {explore, exploreClean, exploreList} from '../domain/explore.js'
import {EXIT_REFUSED, XvError} from '../errors.js'
import {progress} from '../render/output.js'
import {renderClean, renderExplore, renderExploreList} from '../render/worktrees.js'

export default class Explore extends XvCommand {
  static override summary = 'Look around an old version: a disposable detached worktree ../explore-VERSION.'
  static override description =
    "Creates `<worktreeDir>/explore-VERSION`, detached at the version's tag, with its DVC artifacts linked from the shared cache (no copies; linked files are read-only). `--list` shows the explore worktrees, `--clean [VERSION]` removes one or all of them (those with uncommitted changes only with --force)."
  static override examples = [
    '<%= config.bin %> explore e0.1.0',
    '<%= config.bin %> explore --list',
    '<%= config.bin %> explore --clean e0.1.0',
    '<%= config.bin %> explore --clean            # every explore-* worktree',
  ]
  static override enableJsonFlag = true
  static override args = {
    version: Args.string({description: 'experiment version, e.g. e0.1.0'}),
  }
  static override flags = {
    list: Flags.boolean({default: false, description: 'list the explore worktrees', exclusive: ['clean']}),
    clean: Flags.boolean({default: false, description: 'remove the explore worktree of VERSION, or all of them'}),
    force: Flags.boolean({default: false, description: 'with --clean: also remove worktrees that hold uncommitted changes'}),
    'dry-run': Flags.boolean({default: false, description: 'with --clean: say what would be removed; change nothing'}),
  }

  override async run() {
    const {args, flags} = await this.parse(Explore)
    const ctx = await this.openRepo({needCommit: true})
    if (flags.list) {
      if (args.version) throw new XvError('--list takes no VERSION; run: xv explore --list')
      const list = await exploreList(ctx)
      if (!this.jsonEnabled()) this.log(renderExploreList(list))
      return this.result('explore-list', {worktrees: list})
    }

    if (flags.clean) {
      const report = await exploreClean(ctx, {version: args.version, force: flags.force, dryRun: flags['dry-run']})
      if (!this.jsonEnabled()) this.log(renderClean(report))
      // Kept something (local changes, no --force): the clean did not do what was asked.
      if (report.kept.length > 0 && !report.dryRun) process.exitCode = EXIT_REFUSED
      return this.result('explore-clean', report)
    }

    if (!args.version) throw new XvError('which version? run: xv explore VERSION (see xv list), or xv explore --list / --clean')
    const report = await explore(ctx, args.version, {step: progress})
    if (!this.jsonEnabled()) this.log(renderExplore(report))
    return this.result('explore', report)
  }
}
