/**
 * The base of every xv command: errors become one line on stderr and a non-zero exit (a stack
 * trace only with DEBUG set), and the repository context is one call away.
 */
import {Command} from '@oclif/core'

import {RepoContext, type OpenOptions} from './context.js'
import {XvError} from './errors.js'

export abstract class XvCommand extends Command {
  protected async openRepo(options: OpenOptions = {}): Promise<RepoContext> {
    return RepoContext.open(process.cwd(), options)
  }

  /** Plain JSON on stdout (oclif's colouriser costs ~0.3 s on large outputs such as 10,000 tags). */
  public logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
  }

  protected async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}; code?: string}): Promise<unknown> {
    // oclif's own exits (help, version, this.exit) pass through untouched.
    if (err.oclif?.exit !== undefined && !(err instanceof XvError) && err.code === 'EEXIT') throw err
    if (process.env.DEBUG && !(err instanceof XvError)) throw err
    const lines = (err.message ?? String(err)).split('\n').map((l) => l.trim()).filter(Boolean)
    let message = lines[0] ?? 'failed'
    // oclif's parse errors carry "See more help with --help" on a second line.
    if (!(err instanceof XvError) && lines.some((l) => l.includes('--help'))) message += ` (see: xv ${this.id?.replaceAll(':', ' ') ?? ''} --help)`
    process.stderr.write(`xv: error: ${message}\n`)
    const code = err instanceof XvError ? err.exitCode : (err.oclif?.exit ?? err.exitCode ?? 1)
    this.exit(typeof code === 'number' && code > 0 ? code : 1)
    return undefined
  }
}
