/** `xv runs` and `xv runs show` once parsed (run by src/commands/runs/ and by the fast entry). */
import type {CommandIo} from '../command-io.js'
import {listRuns, showRun, type RunsQuery} from '../domain/run-query.js'
import {jsonResult, type JsonResult, type ResultKind, type ResultTypes} from '../json/contract.js'

/** DATA as kind K: printed for people by RENDER (loaded only then), returned for --json. */
async function answer<K extends ResultKind>(io: CommandIo, kind: K, data: ResultTypes[K], render: (r: typeof import('../render/runs.js')) => string): Promise<JsonResult<K>> {
  if (!io.json) io.log(render(await import('../render/runs.js')))
  return jsonResult(kind, data)
}

export async function runs(query: RunsQuery, io: CommandIo): Promise<JsonResult<'runs'>> {
  const found = await listRuns(await io.openRepo(), query)
  return answer(io, 'runs', found, (r) => r.renderRuns(found))
}

export async function runsShow(run: string, io: CommandIo): Promise<JsonResult<'runs-show'>> {
  const detail = await showRun(await io.openRepo(), run)
  return answer(io, 'runs-show', detail, (r) => r.renderRunDetail(detail))
}
