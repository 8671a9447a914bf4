/**
 * What a command body (src/actions/) needs from whoever parsed its command line — oclif
 * (src/base-command.ts) or the oclif-free fast entry (src/fast-entry.ts) — so the body is written
 * once and behaves the same under both. This module must not import oclif.
 */
import {RepoContext, type OpenOptions} from './context.js'
import {pageOrPrint} from './render/pager.js'

export interface CommandIo {
  /** --json was given: human output is suppressed and the returned result is printed as JSON. */
  readonly json: boolean
  /** Human output (nothing under --json); through a pager when longer than the terminal. */
  log(text: string): void
  /** The repository the command runs in (the current directory's). */
  openRepo(options?: OpenOptions): Promise<RepoContext>
}

/** The io of a command run in this process's current directory. */
export function processIo(json: boolean): CommandIo {
  return {
    json,
    log: (text) => {
      if (!json) pageOrPrint(text)
    },
    openRepo: async (options = {}) => {
      // The same terminal bar as under oclif (src/base-command.ts); off a terminal it would print nothing, so it is not loaded.
      const progress = process.stderr.isTTY ? (await import('./render/progress-bar.js')).progressBar : undefined
      return RepoContext.open(process.cwd(), {...(progress ? {progress} : {}), ...options})
    },
  }
}
