import {basename} from 'node:path'
import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {materialiseArtifact, STRATEGIES, type Strategy} from '../domain/get.js'
import {repoRelative, resolveRev} from '../domain/revision.js'
import {progress} from '../render/output.js'
import {renderGet} from '../render/time-travel.js'

export default class Get extends XvCommand {
  static override summary = 'Restore a file or directory as it was at a version, without a checkout.'
  static override description =
    'git-tracked files come from the git object store; DVC-tracked ones from the cache by the hash in the pointer at that tag; missing objects are fetched from the DVC remote (exactly those); a temporary detached worktree is the last resort. Every byte written is md5-checked while it is copied, into a temporary file renamed into place only when it verified.'
  static override examples = [
    '<%= config.bin %> get e0.1.0 models/production/model.bin',
    '<%= config.bin %> get e0.1.0 results/experiments.db -o /tmp/old.db',
    '<%= config.bin %> get e0.2.0 models/candidates -o old-candidates --force',
    '<%= config.bin %> get e0.1.0 data/raw/part-1.csv --strategy remote',
  ]
  static override enableJsonFlag = true
  static override args = {
    version: Args.string({description: "experiment version (tag), a commit, or 'workspace'", required: true}),
    path: Args.string({description: 'file or directory, relative to the repository root (./ or ../ : relative to the current directory)', required: true}),
  }
  static override flags = {
    output: Flags.string({char: 'o', description: 'where to write (default: the base name in the current directory)'}),
    strategy: Flags.string({description: 'how to obtain it', options: STRATEGIES, default: 'auto'}),
    force: Flags.boolean({default: false, description: 'overwrite OUT when it exists'}),
  }

  async run() {
    const {args, flags} = await this.parse(Get)
    const ctx = await this.openRepo({needCommit: true, tagsSuffice: true})
    const path = repoRelative(ctx.root, process.cwd(), args.path)
    const rev = await resolveRev(ctx, args.version)
    progress(`restoring ${path} at ${rev.name}`)
    const result = await materialiseArtifact(ctx, rev, path, flags.output ?? basename(path), {
      strategy: flags.strategy as Strategy,
      force: flags.force,
    })
    if (!this.jsonEnabled()) this.log(renderGet(result))
    return this.result('get', result)
  }
}
