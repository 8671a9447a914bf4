/**
 * The process runners behind the `Git` class. A non-zero exit is a failure on each, whatever git
 * printed: `raw` throws a `ToolError` carrying git's first error line, `tryRaw`/`read` return
 * undefined, `exec` returns the exit code.
 * - simple-git (the project's git library, loaded on first use) serves `raw`/`tryRaw`: the verbs a
 *   command runs once or twice.
 * - git as a plain child process (`spawnGit`, argument arrays, never a shell) serves `read` — the
 *   reads on the start-up path of every command and of `xv run` (locating the repository, listing
 *   tags and refs, status) — and `exec`: stdin input, timeouts and cancellation for remote
 *   operations, and verbs whose output may be empty. Loading a process library costs more start-up
 *   than these reads, and simple-git waits ~50 ms after a process that printed nothing.
 */
import {spawn} from 'node:child_process'

import type {SimpleGit} from 'simple-git'

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

  /** Runs git with an argument array (simple-git) and returns stdout (ToolError on a non-zero exit). */
  async raw(args: string[]): Promise<string> {
    try {
      return await (await this.simpleGit()).raw(args)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      throw new ToolError('git', args, `git ${args[0] ?? ''} failed: ${firstGitLine(message)}`, {stderr: message})
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

  /** A start-up read as a plain child process: stdout, or undefined when git exits non-zero (`run` throws instead). */
  async read(args: string[]): Promise<string | undefined> {
    const res = await this.exec(args)
    return res.exitCode === 0 ? res.stdout : undefined
  }

  /** Runs git and returns stdout; a non-zero exit is a ToolError carrying git's first error line. */
  async run(args: string[], options: {input?: string} = {}): Promise<string> {
    const res = await this.exec(args, options)
    if (res.exitCode !== 0)
      throw new ToolError('git', args, `git ${args[0] ?? ''} failed: ${firstGitLine(res.stderr || res.stdout)}`, {stderr: res.stderr, exitCode: res.exitCode})
    return res.stdout
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
    const plain = options.input === undefined && options.timeoutMs === undefined && options.signal === undefined
    return (plain ? takePrefetched(this.cwd, args) : undefined) ?? spawnGit(this.cwd, args, options)
  }
}

/**
 * Reads started before the code that asks for them has loaded: bin/run.js starts `xv list`'s
 * rev-parse and for-each-ref first, so git works while node loads modules. Each is taken once, by a
 * `Git` in the directory it ran in or whose root was located from that directory (`Git.locate`):
 * the same repository's answer, as of the command's start.
 */
const prefetched = new Map<string, Promise<GitResult>>()
const locatedFrom = new Map<string, string>()
const keyOf = (cwd: string, args: readonly string[]) => `${cwd}\0${args.join('\0')}`

export function prefetchGit(cwd: string, args: readonly string[]): void {
  prefetched.set(keyOf(cwd, args), spawnGit(cwd, [...args]))
}

/** Records that ROOT is the repository around CWD. */
export function noteLocated(root: string, cwd: string): void {
  locatedFrom.set(root, cwd)
}

function takeAt(cwd: string | undefined, args: readonly string[]): Promise<GitResult> | undefined {
  if (cwd === undefined || prefetched.size === 0) return undefined
  const key = keyOf(cwd, args)
  const result = prefetched.get(key)
  prefetched.delete(key)
  return result
}

/** The prefetched answer to ARGS for a Git in CWD, once; undefined when there is none. */
function takePrefetched(cwd: string, args: readonly string[]): Promise<GitResult> | undefined {
  return takeAt(cwd, args) ?? takeAt(locatedFrom.get(cwd), args)
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
