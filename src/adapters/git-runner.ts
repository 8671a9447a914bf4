/**
 * The one process runner behind the `Git` class: git as a plain child process (argument arrays,
 * never a shell). A non-zero exit is a failure, whatever git printed: `raw` throws a `ToolError`
 * carrying git's first error line, `tryRaw` returns undefined, `exec` returns the exit code. No
 * process library on this path: loading one (simple-git, execa) costs more start-up than most of
 * these reads, and simple-git waited ~50 ms after a process that printed nothing.
 */
import {spawn} from 'node:child_process'

import {ToolError} from '../errors.js'
import {firstGitLine} from './git-failure.js'

export interface GitResult {
  exitCode: number
  stdout: string
  stderr: string
  timedOut: boolean
}

export class GitRunner {
  readonly cwd: string

  constructor(cwd: string) {
    this.cwd = cwd
  }

  /** Runs git with an argument array and returns stdout (ToolError on a non-zero exit). */
  async raw(args: string[]): Promise<string> {
    const res = await spawnGit(this.cwd, args, {interactive: true})
    if (res.exitCode === 0) return res.stdout
    const message = `${res.stderr}${res.stdout}`
    throw new ToolError('git', args, `git ${args[0] ?? ''} failed: ${firstGitLine(message)}`, {stderr: message})
  }

  /** Like raw, but returns undefined when git exits non-zero. */
  async tryRaw(args: string[]): Promise<string | undefined> {
    const res = await spawnGit(this.cwd, args, {interactive: true})
    return res.exitCode === 0 ? res.stdout : undefined
  }

  /**
   * Runs git as a plain child process: exit code, stdout and stderr, never throwing for a non-zero
   * exit; git never prompts. A timeout ends git (SIGTERM, SIGKILL 5 s later) and says `timedOut`;
   * SIGNAL aborts it.
   */
  exec(
    args: string[],
    options: {input?: string; timeoutMs?: number; signal?: AbortSignal} = {},
  ): Promise<GitResult> {
    return spawnGit(this.cwd, args, options)
  }
}

export interface SpawnOptions {
  input?: string
  timeoutMs?: number
  signal?: AbortSignal
  /** git may ask for credentials on the terminal (raw/tryRaw); else it never prompts (exec). */
  interactive?: boolean
}

/** Runs git in CWD: exit code (1 when it could not start), stdout, stderr; never throws. */
export function spawnGit(cwd: string, args: string[], options: SpawnOptions = {}): Promise<GitResult> {
  return new Promise((done) => {
    const env = options.interactive
      ? process.env
      : {...process.env, GIT_TERMINAL_PROMPT: '0', GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes'}
    const child = spawn('git', args, {cwd, env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']})
    const out: Buffer[] = []
    const err: Buffer[] = []
    let timedOut = false
    let killer: NodeJS.Timeout | undefined
    const stop = () => {
      child.kill('SIGTERM')
      killer ??= setTimeout(() => child.kill('SIGKILL'), 5000).unref()
    }
    const timer = options.timeoutMs ? setTimeout(() => {
      timedOut = true
      stop()
    }, options.timeoutMs) : undefined
    options.signal?.addEventListener('abort', stop, {once: true})
    if (options.signal?.aborted) stop()
    child.stdout?.on('data', (c: Buffer) => out.push(c))
    child.stderr?.on('data', (c: Buffer) => err.push(c))
    const finish = (exitCode: number, stderr?: string) => {
      if (timer) clearTimeout(timer)
      if (killer) clearTimeout(killer)
      options.signal?.removeEventListener('abort', stop)
      done({exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: stderr ?? Buffer.concat(err).toString('utf8'), timedOut})
    }
    child.once('error', (error) => finish(1, error.message))
    child.once('close', (code) => finish(code ?? 1))
    if (child.stdin) {
      child.stdin.on('error', () => {}) // git gone early: its exit ends the call
      child.stdin.end(options.input)
    }
  })
}
