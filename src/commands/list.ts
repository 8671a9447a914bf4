import {Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {listExperiments} from '../domain/experiments.js'
import {applyListQuery} from '../domain/list-query.js'
import {UsageError} from '../errors.js'
import {integer} from '../flags.js'

const csvList = (text: string | undefined) => text?.split(',').map((c) => c.trim()).filter(Boolean)

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
    for (const [a, b] of [['md', 'csv'], ['asc', 'desc']] as const)
      if (flags[a] && flags[b]) throw new UsageError(`--${a} and --${b} cannot be used together; choose one`)
    const ctx = await this.openRepo({needCommit: true, tagsSuffice: true})
    const order = flags.asc ? 'asc' : flags.desc ? 'desc' : undefined
    // --sort alone keeps the registry's ranking (best first, no-runs last); --asc/--desc sort any column here.
    const ranked = order === undefined ? flags.sort : undefined
    const filtered = (flags.where?.length ?? 0) > 0 || order !== undefined // limit after filtering/sorting here
    const list = await listExperiments(ctx, {sort: ranked, limit: filtered ? undefined : flags.limit, all: flags.all})
    const query = {
      where: flags.where,
      sort: order ? (flags.sort ?? 'version') : undefined,
      order,
      limit: flags.limit,
      columns: csvList(flags.columns),
      drop: csvList(flags.drop),
    } as const
    const result = applyListQuery(list, query, ctx.config.metrics)
    if (!this.jsonEnabled()) {
      const custom = flags.md || flags.csv || query.columns || query.drop
      if (custom) {
        const {renderListAs} = await import('../render/list-formats.js')
        this.log(renderListAs(result, flags.md ? 'md' : flags.csv ? 'csv' : 'text'))
      } else {
        const {renderList} = await import('../render/reports.js') // tables and colours only for people
        this.log(list.experiments.length > 0 && result.experiments.length === 0 ? 'no experiment matches' : renderList(result))
      }
    }

    const json: Omit<typeof result, 'columns'> & {columns?: unknown} = {...result} // the JSON keeps list's shape: every field of every experiment
    delete json.columns
    return this.result('list', json)
  }
}
