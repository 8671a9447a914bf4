/** `xv list` once its flags are parsed (run by src/commands/list.ts and by the fast entry). */
import type {CommandIo} from '../command-io.js'
import {listExperiments} from '../domain/experiments.js'
import {applyListQuery} from '../domain/list-query.js'
import {UsageError} from '../errors.js'
import {jsonResult, type JsonResult} from '../json/contract.js'

export interface ListFlags {
  where?: string[]
  sort?: string
  asc?: boolean
  desc?: boolean
  limit?: number
  all?: boolean
  columns?: string
  drop?: string
  md?: boolean
  csv?: boolean
}

const csvList = (text: string | undefined) => text?.split(',').map((c) => c.trim()).filter(Boolean)

export async function list(flags: ListFlags, io: CommandIo): Promise<JsonResult<'list'>> {
  for (const [a, b] of [['md', 'csv'], ['asc', 'desc']] as const)
    if (flags[a] && flags[b]) throw new UsageError(`--${a} and --${b} cannot be used together; choose one`)
  const ctx = await io.openRepo({needCommit: true, tagsSuffice: true})
  const order = flags.asc ? 'asc' : flags.desc ? 'desc' : undefined
  // --sort alone keeps the registry's ranking (best first, no-runs last); --asc/--desc sort any column here.
  const ranked = order === undefined ? flags.sort : undefined
  const filtered = (flags.where?.length ?? 0) > 0 || order !== undefined // limit after filtering/sorting here
  const experiments = await listExperiments(ctx, {sort: ranked, limit: filtered ? undefined : flags.limit, all: flags.all ?? false})
  const query = {
    where: flags.where,
    sort: order ? (flags.sort ?? 'version') : undefined,
    order,
    limit: flags.limit,
    columns: csvList(flags.columns),
    drop: csvList(flags.drop),
  } as const
  const result = applyListQuery(experiments, query, ctx.config.metrics)
  if (!io.json) {
    const custom = flags.md || flags.csv || query.columns || query.drop
    if (custom) {
      const {renderListAs} = await import('../render/list-formats.js')
      io.log(renderListAs(result, flags.md ? 'md' : flags.csv ? 'csv' : 'text'))
    } else {
      const {renderList} = await import('../render/reports.js') // tables and colours only for people
      io.log(experiments.experiments.length > 0 && result.experiments.length === 0 ? 'no experiment matches' : renderList(result))
    }
  }

  const json: Omit<typeof result, 'columns'> & {columns?: unknown} = {...result} // the JSON keeps list's shape: every field of every experiment
  delete json.columns
  return jsonResult('list', json)
}
