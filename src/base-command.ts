/**
 * The base of every xv command: errors become one line on stderr and a non-zero exit (a stack
 * trace only with DEBUG set), and the repository context is one call away.
 */
import {Command} from '@oclif/core'

import {RepoContext, type OpenOptions} from './context.js'
import {EXIT_USAGE, XvError} from './errors.js'

export abstract class XvCommand extends Command {
  protected async openRepo(options: OpenOptions = {}): Promise<RepoContext> {
    return RepoContext.open(process.cwd(), options)
  }

  /** Plain JSON on stdout (oclif's colouriser costs ~0.3 s on large outputs such as 10,000 tags). */
  public override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
  }

  // Not async: every path ends in a throw (oclif's exit or the error itself), as oclif expects of catch.
  protected override catch(err: Error & {exitCode?: number; oclif?: {exit?: number}; code?: string}): Promise<unknown> {
    // oclif's own exits (help, version, this.exit) pass through untouched.
    if (err.oclif?.exit !== undefined && !(err instanceof XvError) && err.code === 'EEXIT') throw err
    if (process.env.DEBUG && !(err instanceof XvError)) throw err
    const lines = err.message.split('\n').map((l) => l.trim()).filter(Boolean)
    let message = lines[0] ?? 'failed'
    // oclif's parse errors carry "See more help with --help" on a second line.
    const usage = !(err instanceof XvError) && lines.some((l) => l.includes('--help'))
    const help = `xv ${this.id?.replaceAll(':', ' ') ?? ''} --help`
    if (usage) message += ` (see: ${help})`
    process.stderr.write(`xv: error: ${message}\n`)
    const code = err instanceof XvError ? err.exitCode : usage ? EXIT_USAGE : ((err as {oclif?: {exit?: number}}).oclif?.exit ?? err.exitCode ?? 1)
    const exitCode = typeof code === 'number' && code > 0 ? code : 1
    if (this.jsonRequested()) {
      const body =
        err instanceof XvError
          ? err.toJSON()
          : {code: usage ? 'usage' : 'failed', message, ...(usage ? {hint: `see ${help}`} : {}), exitCode}
      process.stdout.write(`${JSON.stringify({error: body}, null, 2)}\n`)
    }

    this.exit(exitCode)
  }

  /** --json was given (also when parsing failed before oclif knew). */
  private jsonRequested(): boolean {
    try {
      if (this.jsonEnabled()) return true
    } catch {
      // flags not parsed yet
    }

    const argv = this.argv
    const end = argv.indexOf('--')
    return (end === -1 ? argv : argv.slice(0, end)).includes('--json')
  }
}
