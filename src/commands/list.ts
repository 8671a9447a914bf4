import {Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {list} from '../actions/list.js'
import {integer} from '../flags.js'

export default class List extends XvCommand {
  static override summary = 'List experiment tags, newest first, with their fields and metrics; filter, sort and choose columns.'
  static override description =
    "Reads every experiment tag in one git call and the summary frozen at each tag (results/metrics.json) in one batched read, never today's database; sorts by semver or by a metric (tags with no runs last). Values marked * come from the tag message of a tag made before summaries were frozen. Retracted versions are hidden unless --all. Listing controls (as dvc exp show): --where COLUMN OP VALUE (OP: = != > >= < <= ~ for 'contains'; repeat for AND), --sort by any column with --asc/--desc to choose the order, --columns/--drop (names or * globs; version always stays), and --md/--csv output."
  static override examples = [
    '<%= config.bin %> list',
    "<%= config.bin %> list --where 'f1>0.8' --where model=cnn",
    '<%= config.bin %> list --sort f1 --limit 5',
    '<%= config.bin %> list --sort loss --desc --columns version,loss,f1',
    "<%= config.bin %> list --drop 'date,commit' --md",
    '<%= config.bin %> list --csv > experiments.csv',
    '<%= config.bin %> list --json',
  ]
  static override enableJsonFlag = true
  static override flags = {
    where: Flags.string({description: "keep versions matching COLUMN OP VALUE, e.g. 'f1>0.8' or model=cnn (repeatable: all must hold)", multiple: true}),
    sort: Flags.string({description: 'sort by this column (metrics best first; loss/error/latency/time: lowest first)'}),
    asc: Flags.boolean({default: false, description: 'sort ascending'}),
    desc: Flags.boolean({default: false, description: 'sort descending'}),
    limit: integer({description: 'show at most this many', min: 1}),
    all: Flags.boolean({default: false, description: 'include retracted versions'}),
    columns: Flags.string({description: 'columns to show, comma-separated (* globs), e.g. version,f1,model'}),
    drop: Flags.string({description: 'columns to hide, comma-separated (* globs)'}),
    md: Flags.boolean({default: false, description: 'print a Markdown table'}),
    csv: Flags.boolean({default: false, description: 'print CSV (full-precision numbers)'}),
  }

  async run() {
    const {flags} = await this.parse(List)
    return list(flags, this.io())
  }
}
