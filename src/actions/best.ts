/** `xv best` once its arguments are parsed (run by src/commands/best.ts and by the fast entry). */
import type {CommandIo} from '../command-io.js'
import {bestRun} from '../domain/run-query.js'
import {jsonResult, type JsonResult} from '../json/contract.js'

export interface BestFlags {
  min?: boolean
  max?: boolean
  version?: string
  where?: string[]
  all?: boolean
}

export async function best(metric: string, flags: BestFlags, io: CommandIo): Promise<JsonResult<'best'>> {
  const ctx = await io.openRepo()
  const found = await bestRun(ctx, {
    metric,
    ...(flags.min ? {direction: 'lower' as const} : flags.max ? {direction: 'higher' as const} : {}),
    version: flags.version,
    where: flags.where,
    all: flags.all,
  })
  if (!io.json) {
    const {renderBest} = await import('../render/runs.js')
    io.log(renderBest(found))
  }

  return jsonResult('best', found)
}
