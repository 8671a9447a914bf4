import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {lineage} from '../domain/lineage.js'

export default class Lineage extends XvCommand {
  static override summary = 'Which versions and runs used (or produced) an artifact version — across every experiment tag.'
  static override description =
    "Reads the DVC pointers and dvc.lock at every experiment tag from git objects in a few batched reads (no checkout). PATH alone: each hash PATH had and the tags that had it; --at V: the tags (also later ones) that used the version of PATH that V used; --hash: the tags and runs with that DVC hash (prefix). Runs come from the run records (xv run)."
  static override examples = [
    '<%= config.bin %> lineage data',
    '<%= config.bin %> lineage data/train.csv --at e0.1.0',
    '<%= config.bin %> lineage --hash 3a2f1b9c --json',
  ]
  static override enableJsonFlag = true
  static override args = {path: Args.string({description: 'a DVC-tracked path (as its pointer or dvc.lock names it)'})}
  static override flags = {
    at: Flags.string({description: 'the version of PATH used by this experiment version'}),
    hash: Flags.string({description: 'a DVC md5 (or prefix) instead of PATH', exclusive: ['at']}),
  }

  async run() {
    const {args, flags} = await this.parse(Lineage)
    const ctx = await this.openRepo({needCommit: true})
    const report = await lineage(ctx, {path: args.path, at: flags.at, hash: flags.hash})
    if (!this.jsonEnabled()) {
      const {renderLineage} = await import('../render/runs.js')
      this.log(renderLineage(report))
    }

    return this.result('lineage', report)
  }
}
