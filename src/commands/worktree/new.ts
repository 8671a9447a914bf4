import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../../base-command.js'
import {newWorktree} from '../../domain/worktree-new.js'
import {progress} from '../../render/output.js'
import {renderNew} from '../../render/worktrees.js'

export default class WorktreeNew extends XvCommand {
  static override summary = 'Start a parallel experiment: a git worktree ../exp-NAME on branch exp/NAME sharing the DVC cache.'
  static override description =
    "Creates `<worktreeDir>/exp-NAME` (worktreeDir from xv.yaml, default ..) on a new branch exp/NAME, points its DVC at the main worktree's cache (or --cache, or `cache` in xv.yaml) through .dvc/config.local, picks a link type that shares data instead of copying it (reflink, else hardlink, else symlink), and checks out every artifact. The files an experiment writes (`writes:` in xv.yaml, default the artifacts, and the result database) are private files (reflink or copy), never links into the cache, so a run cannot change the shared cache; other tracked files stay linked and read-only. Everything is checked first (--cache too); if a step fails or is interrupted (Ctrl-C, SIGTERM) the worktree and branch are removed again."
  static override examples = [
    '<%= config.bin %> worktree new transformer',
    '<%= config.bin %> worktree new cnn --from e0.2.0',
    '<%= config.bin %> worktree new big --cache /mnt/shared/dvc-cache',
  ]
  static override enableJsonFlag = true
  static override args = {
    name: Args.string({description: 'experiment name: letters, digits, -, _ or . (folder exp-NAME, branch exp/NAME)', required: true}),
  }
  static override flags = {
    from: Flags.string({description: 'start from this branch, tag or commit (default HEAD)'}),
    cache: Flags.string({description: 'DVC cache directory to share (default: the main worktree\'s cache)'}),
  }

  override async run() {
    const {args, flags} = await this.parse(WorktreeNew)
    const ctx = await this.openRepo({needCommit: true})
    const report = await newWorktree(ctx, {name: args.name, from: flags.from, cache: flags.cache}, {step: progress})
    if (!this.jsonEnabled()) this.log(renderNew(report))
    return this.result('worktree-new', report)
  }
}
