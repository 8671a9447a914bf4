/** `xv run` once parsed (run by src/commands/run.ts and by the fast entry). */
import type {CommandIo} from '../command-io.js'
import {runExperiment} from '../domain/runs.js'
import {UsageError} from '../errors.js'
import {jsonResult, type JsonResult} from '../json/contract.js'
import {progress, warn} from '../render/output.js'
import {renderRun} from '../render/runs.js'

export interface RunFlags {
  version?: string
  bump?: string
  tag?: boolean
  message?: string
  name?: string
  seed?: string
  rerun?: string
  'no-push'?: boolean
}

/** Runs COMMAND (the words after `--`) under a claimed version; sets the exit code of a failed run. */
export async function run(command: string[], flags: RunFlags, io: CommandIo): Promise<JsonResult<'run'>> {
  if (flags.message !== undefined && !flags.tag) throw new UsageError('-m is the tag description; use it with --tag')
  const ctx = await io.openRepo({needCommit: true})
  const report = await runExperiment(
    ctx,
    {
      command,
      version: flags.version,
      bump: flags.bump as 'major' | 'minor' | 'patch' | undefined,
      tag: flags.tag ?? false,
      message: flags.message,
      name: flags.name,
      seed: flags.seed,
      rerun: flags.rerun,
      push: !flags['no-push'],
      stdoutToStderr: io.json,
    },
    {step: progress, warn},
  )
  process.stderr.write(`${renderRun(report)}\n`)
  if (report.status !== 'completed') process.exitCode = report.status === 'cancelled' ? 130 : report.exitCode > 0 && report.exitCode < 256 ? report.exitCode : 1
  return jsonResult('run', report)
}
