/** `xv runs` and `xv runs show` once parsed (run by src/commands/runs/ and by the fast entry). */
import type {CommandIo} from '../command-io.js'
import {listRuns, showRun, type RunsQuery} from '../domain/run-query.js'
import {jsonResult, type JsonResult} from '../json/contract.js'

export async function runs(query: RunsQuery, io: CommandIo): Promise<JsonResult<'runs'>> {
  const ctx = await io.openRepo()
  const found = await listRuns(ctx, query)
  if (!io.json) {
    const {renderRuns} = await import('../render/runs.js')
    io.log(renderRuns(found))
  }

  return jsonResult('runs', found)
}

export async function runsShow(run: string, io: CommandIo): Promise<JsonResult<'runs-show'>> {
  const ctx = await io.openRepo()
  const detail = await showRun(ctx, run)
  if (!io.json) {
    const {renderRunDetail} = await import('../render/runs.js')
    io.log(renderRunDetail(detail))
  }

  return jsonResult('runs-show', detail)
}
