/**
 * The base of every xv command:
 * - `this.result(kind, data)`: the one way a command returns its --json object (src/json/contract.ts).
 * - errors become one line `xv: error: …` on stderr (under --json also `{"error": …}` on stdout) and
 *   the exit code of their class: 0 ok · 1 failed · 2 usage error or refused · 130 interrupted.
 *   A stack trace only with DEBUG set.
 * - `this.log(text)`: human output; long output goes through a pager on a terminal (src/render/pager.ts).
 * - the repository context is one call away.
 */
import {Command} from '@oclif/core'

import type {CommandIo} from './command-io.js'
import {RepoContext, type OpenOptions} from './context.js'
import {XvError} from './errors.js'
import {jsonResult, type JsonResult, type ResultKind, type ResultTypes} from './json/contract.js'
import {explainError, reportError} from './render/error-line.js'
import {pageOrPrint} from './render/pager.js'
import {progressBar} from './render/progress-bar.js'
import {jsonText} from './json/json-text.js'

export abstract class XvCommand extends Command {
  /** The repository around the current directory; long steps report to the terminal's progress bar. */
  protected async openRepo(options: OpenOptions = {}): Promise<RepoContext> {
    return RepoContext.open(process.cwd(), {progress: progressBar, ...options})
  }

  /** The command's --json object: `{schemaVersion, kind, ...data}` (see src/json/contract.ts). */
  protected result<K extends ResultKind>(kind: K, data: ResultTypes[K]): JsonResult<K> {
    return jsonResult(kind, data)
  }

  /** What a command body in src/actions/ needs (the same bodies run under the oclif-free fast entry). */
  protected io(): CommandIo {
    return {json: this.jsonEnabled(), log: (text) => this.log(text), openRepo: (options) => this.openRepo(options)}
  }

  /** Plain JSON on stdout (oclif's colouriser costs ~0.3 s on large outputs such as 10,000 tags). */
  public override logJson(json: unknown): void {
    process.stdout.write(jsonText(json))
  }

  /** Human output (nothing under --json); through a pager when it is longer than the terminal. */
  public override log(message = '', ...args: unknown[]): void {
    if (this.jsonRequested()) return
    if (args.length > 0) super.log(message, ...args)
    else pageOrPrint(message)
  }

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}; code?: string}): Promise<unknown> {
    // oclif's own exits (help, version, this.exit) pass through untouched.
    if (err.oclif?.exit !== undefined && !(err instanceof XvError) && err.code === 'EEXIT') throw err
    if (process.env.DEBUG && !(err instanceof XvError)) throw err
    const flags = (this.constructor as {flags?: Record<string, unknown>}).flags // undefined when a command has none
    const flagNames = Object.keys(flags ?? {})
    const report = await explainError(err, {commandId: this.id, flagNames})
    reportError(report, this.jsonRequested())
    this.exit(report.exitCode)
    return undefined
  }

  /** --json was given (also when parsing failed before oclif knew). */
  protected jsonRequested(): boolean {
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
