/**
 * Failures outside any command (an unknown command, a bad global flag): the same one line
 * `xv: error: …` (and `{"error": …}` under --json) and exit codes as inside a command. An unknown
 * command is a usage error (exit 2) that names the closest command, as measured by oclif's
 * not-found plugin (which, on a terminal, has already offered to run it).
 */
import {Config} from '@oclif/core'

import {EXIT_USAGE} from './errors.js'
import {closest, explainError, reportError} from './render/error-line.js'

type Failure = Error & {oclif?: {exit?: number}; code?: string}

/** NOT_FOUND_EXIT is what the not-found plugin exits with when the user declines or is not asked. */
const NOT_FOUND_EXIT = 127

export async function reportFailure(error: Failure, argv: string[], root: string): Promise<never> {
  if (error.code === 'EEXIT' && error.oclif?.exit !== undefined) process.exit(error.oclif.exit)
  if (process.env.DEBUG) console.error(error)
  const json = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined).includes('--json')
  const config = await Config.load(root)
  const words = argv.filter((a) => !a.startsWith('-'))
  const notFound = error.oclif?.exit === NOT_FOUND_EXIT || /^command .* not found$/.test(error.message)
  if (notFound && words.length > 0) {
    const [first = ''] = words
    const topic = config.findTopic(first) !== undefined
    const id = (topic ? words.slice(0, 2) : words.slice(0, 1)).join(':')
    const visible = config.commands.filter((c) => !c.hidden).map((c) => c.id)
    const typed = id.replaceAll(':', ' ')
    const extra = words[topic ? 2 : 1]
    if (visible.includes(id) && extra !== undefined) {
      // oclif read `worktree list EXTRA` as a command id: it is an argument the command does not take.
      reportError({code: 'usage', message: `unexpected argument: ${extra} (see: xv ${typed} --help)`, hint: `see xv ${typed} --help`, exitCode: EXIT_USAGE}, json)
      process.exit(EXIT_USAGE)
    }

    const guess = await closest(id, visible)
    const suggestion = guess ? `; did you mean '${guess.replaceAll(':', ' ')}'?` : ''
    reportError({code: 'usage', message: `'${typed}' is not an xv command${suggestion} (see: xv help)`, hint: 'see xv help', exitCode: EXIT_USAGE}, json)
    process.exit(EXIT_USAGE)
  }

  const report = await explainError(error, {})
  reportError(report, json)
  process.exit(report.exitCode)
}
