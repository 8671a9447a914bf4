import {Flags} from '@oclif/core'

import {XvCommand} from '../../base-command.js'
import {runs} from '../../actions/runs.js'
import {integer} from '../../flags.js'

export default class Runs extends XvCommand {
  static override summary = 'List recorded runs (xv run), newest first.'
  static override description =
    'Reads the run records in the result database (table xv_runs). --input finds the runs that consumed a data path or a DVC hash (prefix).'
  static override examples = [
    '<%= config.bin %> runs',
    '<%= config.bin %> runs --status failed --since 2026-11-01',
    '<%= config.bin %> runs --input data/train.csv',
    '<%= config.bin %> runs --input data@e0.1.0',
    '<%= config.bin %> runs --input 3a2f1b9c --json',
  ]
  static override enableJsonFlag = true
  static override flags = {
    status: Flags.string({description: 'pending, running, completed, failed or cancelled'}),
    version: Flags.string({description: 'runs of this version'}),
    since: Flags.string({description: 'runs created at or after this date'}),
    until: Flags.string({description: 'runs created at or before this date'}),
    commit: Flags.string({description: 'runs of this commit (prefix)'}),
    input: Flags.string({description: 'runs whose inputs include PATH, PATH@VERSION (the data that version used) or a DVC hash (prefix)'}),
    where: Flags.string({description: 'COLUMN=VALUE on the run record (repeatable)', multiple: true}),
    limit: integer({description: 'show at most this many (default 50)', min: 1}),
  }

  async run() {
    const {flags} = await this.parse(Runs)
    return runs(flags, this.io())
  }
}
