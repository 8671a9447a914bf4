import {XvCommand} from '../../base-command.js'
import {listWorktrees} from '../../domain/worktree-list.js'
import {renderWorktreeList} from '../../render/worktrees.js'

export default class WorktreeList extends XvCommand {
  static override summary = 'Every worktree: branch, HEAD, uncommitted changes, experiment tags, DVC state.'
  static override description =
    'Lists the main worktree, exp-* and explore-* worktrees with their branch and HEAD, uncommitted git changes, the experiment tags reachable on their branch and not on main, and their DVC state: outputs modified and not committed, objects not yet in the remote (checked directly in a local remote; for other remotes `xv worktree remove` asks DVC).'
  static override examples = ['<%= config.bin %> worktree list', '<%= config.bin %> worktree list --json']
  static override enableJsonFlag = true

  override async run() {
    await this.parse(WorktreeList)
    const ctx = await this.openRepo()
    const list = await listWorktrees(ctx)
    if (!this.jsonEnabled()) this.log(renderWorktreeList(list))
    return this.result('worktree-list', {worktrees: list})
  }
}
