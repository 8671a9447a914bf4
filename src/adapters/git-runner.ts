/**
 * The process runners behind the `Git` class (see git.ts for which verbs use which). A non-zero
 * exit is a failure on each, whatever git printed, reported with git's first error line.
 * simple-git is loaded on first use: the reads every command makes at start-up (`read`) do not
 * need it.
 */
import {execFile} from 'node:child_process'

import type {SimpleGit} from 'simple-git'

import {ToolError} from '../errors.js'
import {firstGitLine, gitFailure} from './git-failure.js'

export class GitRunner {
  readonly cwd: string
  private sg?: Promise<SimpleGit>

  constructor(cwd: string) {
    this.cwd = cwd
  }

  private simpleGit(): Promise<SimpleGit> {
    this.sg ??= import('simple-git').then(({simpleGit}) =>
      // A non-zero exit is a failure even when git printed nothing on stderr (simple-git's default
      // treats that as success).
      simpleGit({
        baseDir: this.cwd,
        trimmed: false,
        errors: (error, result) => {
          if (result.exitCode === 0) return undefined
          return error ?? Buffer.concat([...result.stdErr, ...result.stdOut])
        },
      }),
    )
    return this.sg
  }

  /** Runs git with an argument array and returns stdout. */
  async raw(args: string[]): Promise<string> {
    try {
      return await (await this.simpleGit()).raw(args)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      throw new ToolError('git', args, `git ${args[0] ?? ''} failed: ${gitFailure(error)}`, {stderr: message})
    }
  }

  /** Like raw, but returns undefined when git exits non-zero. */
  async tryRaw(args: string[]): Promise<string | undefined> {
    try {
      return await (await this.simpleGit()).raw(args)
    } catch {
      return undefined
    }
  }

  /**
   * A read on every command's start-up path (locating the repository, listing tags): git started
   * with plain child_process, no module to load. Stdout, or undefined when git exits non-zero
   * (`strict`: a ToolError with git's first error line instead).
   */
  read(args: string[], strict = false): Promise<string | undefined> {
    return new Promise((done, fail) => {
      execFile('git', args, {cwd: this.cwd, maxBuffer: 1 << 30, encoding: 'utf8'}, (error, stdout, stderr) => {
        if (!error) done(stdout)
        else if (strict) fail(new ToolError('git', args, `git ${args[0] ?? ''} failed: ${firstGitLine(stderr || error.message)}`, {stderr}))
        else done(undefined)
      })
    })
  }

  /** Runs git through execa: exit code, stdout and stderr, never throwing for a non-zero exit. */
  async exec(
    args: string[],
    options: {input?: string; timeoutMs?: number; encoding?: 'utf8' | 'buffer'; signal?: AbortSignal} = {},
  ): Promise<{exitCode: number; stdout: string; stderr: string; timedOut: boolean}> {
    const {execa} = await import('execa')
    const res = await execa('git', args, {
      cwd: this.cwd,
      reject: false,
      stripFinalNewline: false,
      ...(options.input !== undefined ? {input: options.input} : {stdin: 'ignore'}),
      ...(options.timeoutMs ? {timeout: options.timeoutMs} : {}),
      ...(options.signal ? {cancelSignal: options.signal} : {}),
      env: {GIT_TERMINAL_PROMPT: '0', GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes'},
    })
    return {exitCode: res.exitCode ?? 1, stdout: res.stdout, stderr: res.stderr, timedOut: res.timedOut}
  }
}
