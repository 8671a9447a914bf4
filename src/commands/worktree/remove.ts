import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../../base-command.js'
import {removeExperimentWorktree} from '../../domain/worktree-remove.js'
import {RefusedError} from '../../errors.js'
import {warn} from '../../render/output.js'
import {renderChecklist, renderRemove} from '../../render/worktrees.js'

export default class WorktreeRemove extends XvCommand {
  static override summary = 'Remove an experiment worktree and its branch — only when nothing would be lost.'
  static override description =
    "Checks, and lists every failing item: no uncommitted changes (git and DVC outputs); the branch's last commit carries an experiment tag; the DVC objects of every experiment tag only its branch reaches, and of its current files, are in the remote (objects in the remote count even when the local cache lacks them; without a remote: in the shared cache, with a warning); its result database is merged into main's (rows by --id-column, as xv merge, and xv run's records by run id and lifecycle end; warning only). Outputs are compared by content, as `dvc status` does. Each failing item names the command that fixes it. Refuses unless --force, which also works while the remote is unreachable. Then `git worktree remove`, `git branch -D exp/NAME` (the tag keeps the history) and prunes stale worktree records."
  static override examples = [
    '<%= config.bin %> worktree remove transformer',
    '<%= config.bin %> worktree remove transformer --dry-run',
    '<%= config.bin %> worktree remove scratch --force',
  ]
  static override enableJsonFlag = true
  static override args = {
    name: Args.string({description: 'experiment name (as given to xv worktree new) or exp-NAME', required: true}),
  }
  static override flags = {
    force: Flags.boolean({default: false, description: 'remove even when checks fail (uncommitted or unpushed work is lost)'}),
    'dry-run': Flags.boolean({default: false, description: 'run the checklist and say what would happen; change nothing'}),
    'id-column': Flags.string({description: "run id column of the result database for the 'merged' check, as in xv merge (default: track_id)"}),
  }

  override async run() {
    const {args, flags} = await this.parse(WorktreeRemove)
    const ctx = await this.openRepo({needCommit: true})
    const report = await removeExperimentWorktree(ctx, {name: args.name, force: flags.force, dryRun: flags['dry-run'], idColumn: flags['id-column']})
    const failing = report.checks.filter((c) => !c.ok && !c.warning)
    if (!report.removed && !report.dryRun) {
      process.stderr.write(`${renderChecklist(report.checks)}\n`)
      throw new RefusedError(
        `refusing to remove ${report.path}: ${failing.length} check(s) failed (listed above); fix them, or use --force to remove anyway`,
      )
    }

    if (report.removed) for (const c of report.checks.filter((c) => !c.ok && c.warning)) warn(`${c.check}: ${c.detail}`)
    if (!this.jsonEnabled()) this.log(renderRemove(report))
    return this.result('worktree-remove', report)
  }
}
