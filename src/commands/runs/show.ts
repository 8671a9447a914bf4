import {Args} from '@oclif/core'

import {XvCommand} from '../../base-command.js'
import {runsShow} from '../../actions/runs.js'

export default class RunsShow extends XvCommand {
  static override summary = 'Show one run: command, lifecycle, provenance, inputs/outputs and the metrics of its rows.'
  static override examples = ['<%= config.bin %> runs show r261123-1402-a1b2c3', '<%= config.bin %> runs show r261123-1402-a1b2c3 --json']
  static override enableJsonFlag = true
  static override args = {run: Args.string({description: 'run id (see xv runs)', required: true})}

  async run() {
    const {args} = await this.parse(RunsShow)
    return runsShow(args.run, this.io())
  }
}
