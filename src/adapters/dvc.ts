/**
 * The one place xv talks to DVC: the `dvc` program through execa (argument arrays, never a
 * shell), and DVC's own files (.dvc/config, pointers, dvc.lock, the cache layout) read directly
 * where that is faster and safe.
 */
import {existsSync, readFileSync} from 'node:fs'
import {delimiter, dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {ToolError, XvError} from '../errors.js'
import {isExecutable} from '../fs-access.js'
import {relayEnv, relayProgress} from '../terminal.js'
import {watchInactivity} from './inactivity.js'
import {keepDriverAlive, startAddPushDriver, type AddPushDriver} from './dvc-add-push.js'
import {readDvcConfig, remoteFrom, remotesFrom, type DvcConfig, type RemoteInfo} from './dvc-config.js'

export {
  cacheDirOf, defaultRemote, isLocalPath, localRemoteDir, parseDvcIni, readDvcConfig, type DvcConfig, type RemoteInfo,
} from './dvc-config.js'



export const INSTALL_HINT =
  "install it with 'bash scripts/install-dvc.sh' (from the xv checkout) or 'pip install dvc', or set XV_DVC to its path"

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

let cachedBinary: string | null | undefined

/** The dvc executable: $XV_DVC, then PATH, then the .venv that xv's install script made. */
export function findDvc(): string | undefined {
  if (cachedBinary !== undefined) return cachedBinary ?? undefined
  const fromEnv = process.env.XV_DVC
  let found: string | undefined
  if (fromEnv) found = isExecutable(fromEnv) ? fromEnv : undefined
  else {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (dir && isExecutable(join(dir, 'dvc'))) {
        found = join(dir, 'dvc')
        break
      }
    }

    if (!found && isExecutable(join(PACKAGE_ROOT, '.venv', 'bin', 'dvc'))) found = join(PACKAGE_ROOT, '.venv', 'bin', 'dvc')
  }

  cachedBinary = found ?? null
  return found
}

export function requireDvc(why: string): string {
  const bin = findDvc()
  if (!bin) {
    const env = process.env.XV_DVC ? ` (XV_DVC=${process.env.XV_DVC} is not executable)` : ''
    throw new XvError(`dvc is needed to ${why} but was not found${env}; ${INSTALL_HINT}`)
  }

  return bin
}

/** Starts loading execa (~0.1 s) while the caller waits on git, before dvc is first run. */
export function preloadProcessRunner(): void {
  void import('execa')
}

/** `dvc --version`, or undefined when dvc is missing or broken. */
export async function dvcVersion(): Promise<string | undefined> {
  const bin = findDvc()
  if (!bin) return undefined
  const {execa} = await import('execa')
  try {
    const res = await execa(bin, ['--version'], {timeout: 30_000, env: {DVC_NO_ANALYTICS: '1'}})
    return res.stdout.trim().split('\n')[0]
  } catch {
    return undefined
  }
}

/** True when the repository (worktree) at root has been `dvc init`ed. */
export function isDvcRepo(root: string): boolean {
  return existsSync(join(root, '.dvc', 'config')) || existsSync(join(root, '.dvc'))
}

export interface DvcRunOptions {
  /** Relay DVC's own progress bars onto one line of stderr (only when it is a terminal: src/terminal.ts). */
  progress?: boolean
  /** What the step does, for the error message. */
  what?: string
  /** Stops dvc (SIGTERM) when aborted, e.g. by an interrupted command's undo. */
  signal?: AbortSignal
}

/** `-- TARGETS`, or nothing for the whole workspace. */
function targetArgs(targets: string[]): string[] {
  return targets.length > 0 ? ['--', ...targets] : []
}

/** DVC driven in one repository (worktree) root. */
export class Dvc {
  readonly root: string
  private readonly knownConfig?: DvcConfig

  /** `addAndPush`'s process, started before its step is known (`startAddAndPush`). */
  private earlyDriver?: Promise<{child: AddPushDriver}>

  /** CONFIG: the worktree's DVC config when the caller has read it already (RepoContext). */
  constructor(root: string, config?: DvcConfig) {
    this.root = root
    this.knownConfig = config
  }

  async run(args: string[], options: DvcRunOptions = {}): Promise<string> {
    const bin = requireDvc(options.what ?? `run 'dvc ${args[0]}'`)
    const remote = isRemoteOperation(args)
    // --quiet would hide DVC's ERROR line (only its support banner remains): remote operations keep it.
    const argv = remote ? args.filter((a) => a !== '--quiet' && a !== '-q') : args
    const {execa} = await import('execa')
    const child = execa(bin, argv, {
      cwd: this.root,
      stdin: 'ignore',
      reject: false,
      env: {DVC_NO_ANALYTICS: '1', DVC_NO_UPDATER: '1', ...(options.progress ? relayEnv() : {})},
      ...(options.signal ? {cancelSignal: options.signal} : {}),
    })
    const relay = options.progress ? relayProgress(child.stderr) : undefined
    const watch = remote ? watchInactivity(child, remoteTimeoutSeconds) : undefined
    const res = await child.finally(() => relay?.stop())
    watch?.stop()
    if (watch?.timedOut) throw remoteTimeoutError(`dvc ${args[0]}`, args, this.remoteOf(args))
    if (res.exitCode !== 0 || res.failed) {
      const detail = dvcErrorCause(`${res.stderr}\n${res.stdout}`) || res.shortMessage || 'failed'
      throw new ToolError('dvc', args, `dvc ${args[0]} failed: ${detail}`, {stderr: res.stderr, exitCode: res.exitCode})
    }

    return res.stdout
  }

  // ---- the DVC verbs xv runs, each spelled once ------------------------------------------------

  /** `dvc push` of the workspace's outputs (a remote operation: DVC's ERROR line is kept). */
  async push(options: DvcRunOptions = {}, targets: string[] = []): Promise<void> {
    await this.run(['push', '--quiet', ...targetArgs(targets)], {what: 'push the artifacts', ...options})
  }

  /** `dvc checkout` of TARGETS (every output when none) from the cache; quiet unless DVC's progress is shown. */
  async checkout(options: DvcRunOptions & {force?: boolean} = {}, targets: string[] = []): Promise<void> {
    const {force, ...run} = options
    await this.run(['checkout', ...(force ? ['--force'] : []), ...(run.progress ? [] : ['--quiet']), ...targetArgs(targets)], {what: 'check out the artifacts', ...run})
  }

  /** `dvc pull` of TARGETS (every output when none) that the cache lacks. */
  async pull(options: DvcRunOptions = {}, targets: string[] = []): Promise<void> {
    await this.run(['pull', '--quiet', ...targetArgs(targets)], {what: 'fetch the artifacts', ...options})
  }

  /** `dvc init` in the root. */
  async init(): Promise<void> {
    await this.run(['init', '--quiet'], {what: 'initialise DVC'})
  }

  /** `dvc remote add --default NAME URL`. */
  async addDefaultRemote(name: string, url: string): Promise<void> {
    await this.run(['remote', 'add', '--default', name, url], {what: 'add the DVC remote'})
  }

  /** `dvc cache dir --local DIR` (this clone's cache, not committed). */
  async setLocalCacheDir(dir: string): Promise<void> {
    await this.run(['cache', 'dir', '--local', dir], {what: 'set the cache directory'})
  }

  /**
   * Starts `addAndPush`'s DVC process now (a pip-installed dvc only), so that DVC loads while the
   * caller checks; `addAndPush` gives it its step, `cancelAddAndPush` stops it unused.
   */
  startAddAndPush(): void {
    const python = dvcPython()
    if (!python || this.earlyDriver) return
    this.earlyDriver = startAddPushDriver(python, this.root)
    this.earlyDriver.catch(() => {}) // a failed start is reported by addAndPush, if it runs
  }

  /** Stops a process `startAddAndPush` started and `addAndPush` did not use (it exits without touching anything). */
  cancelAddAndPush(): void {
    const early = this.earlyDriver
    this.earlyDriver = undefined
    void early?.then(({child}) => child.stdin.end(), () => {})
  }

  /**
   * `dvc add` (and `dvc commit --force` of stage outputs) then `dvc push`, in ONE DVC process
   * through DVC's own Python API (the same code the CLI runs), which saves a DVC start-up
   * (~0.5 s) over two commands. `onAdded` fires once the cache holds the objects, so the caller
   * can commit and tag while the push runs. Falls back to the two CLI commands when dvc is not a
   * Python entry point. Resolves with the push error message, if the push (only) failed.
   */
  async addAndPush(
    step: {add: string[]; commit: string[]; push: boolean; revs?: string[]},
    onAdded: () => void = () => {},
    /** Registers a way to stop the DVC process (SIGINT by default, on Ctrl-C); returns the function that forgets it. */
    track?: (kill: (signal?: NodeJS.Signals) => void) => () => void,
  ): Promise<string | undefined> {
    const python = dvcPython()
    if (!python) {
      if (step.revs) throw new XvError('pushing the objects of other revisions needs a pip-installed dvc')
      if (step.add.length > 0) await this.run(['add', ...step.add], {what: 'track the artifacts', progress: true})
      if (step.commit.length > 0) await this.run(['commit', '--force', '--quiet', ...step.commit], {what: 'record the stage outputs'})
      onAdded()
      if (!step.push) return undefined
      try {
        await this.push({progress: true})
        return undefined
      } catch (error) {
        return error instanceof Error ? error.message : String(error)
      }
    }

    const {child} = await (this.earlyDriver ?? startAddPushDriver(python, this.root))
    this.earlyDriver = undefined
    keepDriverAlive(child, true)
    child.stdin.end(`${JSON.stringify({...step, config: localRemoteOverrides(this.config())})}\n`)
    const relay = relayProgress(child.stderr)
    const forget = track?.((signal: NodeJS.Signals = 'SIGINT') => child.kill(signal))
    const state = {added: false}
    let buffer = ''
    const watch = step.push || step.revs ? watchInactivity(child, remoteTimeoutSeconds) : undefined
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      if (!state.added && buffer.includes('XV-ADDED\n')) {
        state.added = true
        onAdded()
      }
    })
    const res = await child.finally(() => {
      forget?.()
      relay.stop()
    })
    watch?.stop()
    if (watch?.timedOut) {
      if (state.added) return remoteTimeoutError('dvc push', [], this.remoteOf([])).message
      throw remoteTimeoutError('dvc add')
    }

    const out = res.stdout
    const failure = /^XV-ERROR (\w+) (.*)$/m.exec(out)
    if (failure) {
      const message = `dvc ${failure[1]} failed: ${failure[2]}`
      if (failure[1] === 'push') return message
      throw new XvError(message)
    }

    if (res.exitCode !== 0 || !out.includes('XV-DONE')) {
      throw new XvError(`dvc failed: ${dvcErrorCause(`${res.stderr}\n${out}`) || `exit code ${res.exitCode ?? '?'}`}`)
    }

    return undefined
  }

  private config(): DvcConfig {
    return this.knownConfig ?? readDvcConfig(this.root)
  }

  /** The remote a command line talks to: `-r NAME`, else the default remote. */
  private remoteOf(args: string[]): RemoteInfo | undefined {
    const flag = args.findIndex((a) => a === '-r' || a === '--remote')
    return remoteFrom(this.config(), flag >= 0 ? args[flag + 1] : undefined)
  }

}

/** Config overrides naming every local remote by its absolute path (and the default remote). */
function localRemoteOverrides(config: DvcConfig): {remote?: Record<string, {url: string}>; core?: {remote: string}} {
  const remote: Record<string, {url: string}> = {}
  for (const r of remotesFrom(config)) if (r.dir !== undefined) remote[r.name] = {url: r.dir}
  if (Object.keys(remote).length === 0) return {}
  return config.core?.remote ? {remote, core: {remote: config.core.remote}} : {remote}
}

/** True when DVC's Python API can be driven directly (dvc is a pip entry point). */
export function canDriveDvcPython(): boolean {
  return dvcPython() !== undefined
}

/** The Python interpreter of a pip-installed dvc (from its shebang), if that is what dvc is. */
export function dvcPython(): string | undefined {
  const bin = findDvc()
  if (!bin) return undefined
  try {
    const head = readFileSync(bin, {encoding: 'latin1'}).slice(0, 300).split('\n')[0] ?? ''
    const python = /^#!\s*(\S*python[\d.]*)\s*$/.exec(head)?.[1]
    return python && isExecutable(python) ? python : undefined
  } catch {
    return undefined
  }
}

/**
 * The cause DVC gave, in one line: its last `ERROR:` line (without "unexpected error - "), never
 * its support banner; else the last other line.
 */
export function dvcErrorCause(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !/^Having any troubles\?/.test(l))
  const err = lines.filter((l) => l.startsWith('ERROR:')).pop()
  return (err ?? lines.pop() ?? '').replace(/^ERROR:\s*/, '').replace(/^unexpected error - /, '')
}

const REMOTE_COMMANDS = new Set(['push', 'pull', 'fetch', 'get', 'import', 'update'])

/** Whether a dvc command line talks to a remote (and so gets the inactivity timeout). */
export function isRemoteOperation(args: string[]): boolean {
  return REMOTE_COMMANDS.has(args[0] ?? '') || (args[0] === 'status' && (args.includes('--cloud') || args.includes('-c')))
}

let remoteTimeoutSeconds = 120

/** Seconds without progress after which remote operations give up (xv.yaml `remoteTimeout`). */
export function setRemoteTimeout(seconds: number): void {
  remoteTimeoutSeconds = seconds
}

export function remoteTimeout(): number {
  return remoteTimeoutSeconds
}

/** The one-line error of a remote operation stopped by the inactivity timeout. */
export function remoteTimeoutError(what: string, args: readonly string[] = [], remote?: RemoteInfo): ToolError {
  const who = remote ? `DVC remote '${remote.name}' (${remote.url})` : 'the remote'
  return new ToolError(
    'dvc',
    args,
    `${what} gave up: no progress for ${remoteTimeoutSeconds} s (${who} is not answering); check the remote, or raise remoteTimeout in xv.yaml`,
  )
}
