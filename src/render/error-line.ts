/**
 * How a failure is told to the user: one line `xv: error: …` on stderr (and, under --json, the same
 * facts as `{"schemaVersion": 1, "error": {code, message, hint, exitCode}}` on stdout), and the exit
 * code. xv's own errors carry their class (src/errors.ts); oclif's parse errors are reworded here
 * so that a usage error keeps its reason and names the help to read.
 */
import {EXIT_FAILED, EXIT_USAGE, type ErrorCode, XvError} from '../errors.js'
import {FlagValueError} from '../flag-values.js'
import {jsonText} from '../json/json-text.js'

export interface ErrorReport {
  code: ErrorCode
  message: string
  hint?: string
  exitCode: number
}

/** Where the error happened: the command (for "see: xv CMD --help") and its flags (for "did you mean"). */
export interface ErrorScope {
  /** oclif id, e.g. `worktree:new`. */
  commandId?: string
  flagNames?: readonly string[]
}

type OclifError = Error & {
  exitCode?: number
  oclif?: {exit?: number}
  parse?: unknown
  args?: Array<{name?: string} | string>
  flags?: string[]
}

function helpCommand(scope: ErrorScope): string {
  return scope.commandId ? `xv ${scope.commandId.replaceAll(':', ' ')} --help` : 'xv help'
}

/** The closest name (oclif's not-found plugin's own measure, so commands and flags suggest alike). */
export async function closest(target: string, candidates: readonly string[]): Promise<string | undefined> {
  if (candidates.length === 0) return undefined
  try {
    const url = import.meta.resolve('@oclif/plugin-not-found').replace(/index\.js$/, 'utils.js')
    const utils = (await import(url)) as {default: {closest: (t: string, p: readonly string[]) => string}}
    return utils.default.closest(target, candidates) || undefined
  } catch {
    return undefined
  }
}

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean)
}

/** oclif's wording of a parse error, made one line that says what is wrong. */
async function parseErrorLine(err: OclifError, scope: ErrorScope): Promise<string> {
  const kind = err.constructor.name
  const text = lines(err.message)
  if (kind === 'RequiredArgsError' && Array.isArray(err.args)) {
    const names = err.args.map((a) => (typeof a === 'string' ? a : (a.name ?? 'ARG')).toUpperCase())
    return `missing argument${names.length === 1 ? '' : 's'} ${names.join(' ')}`
  }

  if (kind === 'UnexpectedArgsError' && Array.isArray(err.args))
    return `unexpected argument${err.args.length === 1 ? '' : 's'}: ${err.args.map(String).join(' ')}`
  if (kind === 'NonExistentFlagsError' && Array.isArray(err.flags)) {
    const parts: string[] = []
    for (const flag of err.flags) {
      const name = flag.replace(/^-+/, '').split('=')[0] ?? flag
      const guess = await closest(name, scope.flagNames ?? [])
      parts.push(guess ? `${flag} (did you mean --${guess}?)` : flag)
    }

    return `unknown flag${parts.length === 1 ? '' : 's'} ${parts.join(', ')}`
  }

  const option = /^Expected --([\w-]+)=(.*) to be one of: (.*)$/.exec(text[0] ?? '')
  if (option) return `--${option[1]}: expected one of ${option[3]}, got '${option[2]}'`
  const argOption = /^Expected (.*) to be one of: (.*)$/.exec(text[0] ?? '')
  if (argOption) return `expected one of ${argOption[2]}, got '${argOption[1]}'`
  // FailedFlagValidationError / ViolatedFlagConstraintError: "The following error occurred:" + reasons.
  if (/^The following errors? occurred:?$/.test(text[0] ?? '')) return text.slice(1).filter((l) => !l.includes('--help')).join('; ')
  return text.filter((l) => !l.startsWith('See more help with')).join(': ')
}

/** A flag whose value failed to parse: oclif wraps the reason as "Parsing --NAME \n\tREASON\nSee more help…". */
function flagParseLine(err: OclifError): string | undefined {
  if (err instanceof FlagValueError) return err.reason
  const text = lines(err.message)
  const flag = /^Parsing (--[\w-]+)$/.exec(text[0] ?? '')
  if (!flag) return undefined
  const reason = (text[1] ?? 'bad value').replace(/^Expected/, 'expected').replace(/ but received: (.*)$/, ", got '$1'")
  return `${flag[1]}: ${reason}`
}

/** Classifies any error thrown by a command (or by oclif before it ran). */
export async function explainError(err: OclifError, scope: ErrorScope): Promise<ErrorReport> {
  const flagLine = flagParseLine(err)
  if (flagLine !== undefined || err.parse !== undefined) {
    const help = helpCommand(scope)
    const message = `${flagLine ?? (await parseErrorLine(err, scope))} (see: ${help})`
    return {code: 'usage', message, hint: `see ${help}`, exitCode: EXIT_USAGE}
  }

  if (err instanceof XvError) return err.toJSON()
  const text = lines(err.message)
  const message = (text[0] ?? 'failed').replace(/^Error: /, '')
  const code = err.oclif?.exit ?? err.exitCode
  return {code: 'failed', message, exitCode: typeof code === 'number' && code > 0 ? code : EXIT_FAILED}
}

/** Writes the error: one line on stderr; the JSON form on stdout when --json was asked for. */
export function reportError(report: ErrorReport, json: boolean): void {
  process.stderr.write(`xv: error: ${report.message}\n`)
  if (json) process.stdout.write(jsonText({schemaVersion: 1, error: report}))
}
