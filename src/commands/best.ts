import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {best} from '../actions/best.js'

export default class Best extends XvCommand {
  static override summary = 'Name the best run by a metric: its version, run id, value and params.'
  static override description =
    'The run holding the best row of METRIC (higher is better unless the name says loss/error/latency/… or xv.yaml says so; --min/--max to choose), not a version mean: for a sweep, the winner. Retracted versions are left out unless --all.'
  static override examples = ['<%= config.bin %> best f1', '<%= config.bin %> best loss --min --version e0.3.0', '<%= config.bin %> best f1 --where model=bert --json']
  static override enableJsonFlag = true
  static override args = {metric: Args.string({description: 'metric column', required: true})}
  static override flags = {
    min: Flags.boolean({description: 'lower is better', exclusive: ['max']}),
    max: Flags.boolean({description: 'higher is better', exclusive: ['min']}),
    version: Flags.string({description: 'only runs of this version'}),
    where: Flags.string({description: 'COLUMN=VALUE filter on the result rows (repeatable)', multiple: true}),
    all: Flags.boolean({description: 'include retracted versions'}),
  }

  async run() {
    const {args, flags} = await this.parse(Best)
    return best(args.metric, flags, this.io())
  }
}
