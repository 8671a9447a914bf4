/**
 * Fetching exactly some DVC objects (by md5) from a DVC remote into the cache, through DVC's own
 * Python API in the repository's root (so the remote's URL, credentials and relative paths are
 * resolved by DVC as `dvc fetch` would), and DVC commands that talk to a remote — both under an
 * inactivity timeout: a transfer that makes no progress for `timeoutSec` seconds is stopped
 * (a large transfer that keeps moving is never cut short).
 */
import {ToolError, XvError, firstLine} from '../errors.js'
import {PY_QUIET_INTERRUPT, PY_REPORT_ERROR} from './dvc-python-error.js'
import {dvcPython, requireDvc} from './dvc.js'
import {watchInactivity} from './inactivity.js'
import {relayEnv, relayProgress} from '../terminal.js'

/** The remote could not be reached (connection refused, timeout, missing directory, credentials). */
export class RemoteUnreachableError extends ToolError {}

/** The remote made no progress for the inactivity timeout (the message names it). */
export class RemoteStalledError extends RemoteUnreachableError {}

export interface FetchResult {
  /** md5s now in the cache. */
  fetched: string[]
  /** md5s the remote does not have. */
  missing: string[]
}

const DRIVER = `${PY_QUIET_INTERRUPT}
import json, sys
step = json.loads(sys.argv[1])
try:
    from dvc.repo import Repo
    from dvc_data.hashfile.hash_info import HashInfo
    with Repo(step["root"]) as repo:
        objs = [HashInfo("md5", h) for h in step["md5s"]]
        res = repo.cloud.pull(objs, remote=step.get("remote") or None)
        print("XV-RESULT " + json.dumps({"fetched": sorted(h.value for h in res.transferred), "failed": sorted(h.value for h in res.failed)}), flush=True)
${PY_REPORT_ERROR}`

export interface WatchOptions {
  /** Give up after this many seconds without progress (no output, no bytes read or written). */
  timeoutSec: number
  /** Names the remote in the timeout message. */
  remote: string
}

interface Finished {
  exitCode?: number
  stdout: string
  stderr: string
}

/** Runs a DVC process under the inactivity watch (adapters/inactivity.ts). */
async function runWatched(file: string, args: string[], cwd: string, watch: WatchOptions, progress = false): Promise<Finished> {
  const {execa} = await import('execa')
  // With PROGRESS, DVC's transfer bars are relayed onto one line of a terminal.
  const env = {DVC_NO_ANALYTICS: '1', DVC_NO_UPDATER: '1', ...(progress ? relayEnv() : {})}
  const child = execa(file, args, {cwd, stdin: 'ignore', reject: false, env})
  const relay = progress ? relayProgress(child.stderr) : undefined
  const inactivity = watchInactivity(child, watch.timeoutSec)
  try {
    const res = await child
    if (inactivity.timedOut)
      throw new RemoteStalledError('dvc', args, `DVC remote ${watch.remote} made no progress for ${watch.timeoutSec} s; gave up (raise remoteTimeout in xv.yaml to wait longer)`)
    return {exitCode: res.exitCode, stdout: res.stdout, stderr: res.stderr}
  } finally {
    relay?.stop()
    inactivity.stop()
  }
}

const CONNECT = /connect|unreachable|timed? ?out|resolve|refused|credentials|no such host|endpoint|does not exist|permission|access denied|forbidden/i

/**
 * Fetches the objects MD5S from the default (or named) remote into the cache of the repository at
 * ROOT with DVC's Python API, without a checkout. Throws RemoteUnreachableError when the remote
 * cannot be reached or stalls; objects the remote lacks are returned as missing.
 */
export async function fetchObjectsWithDvc(root: string, md5s: string[], watch: WatchOptions, remote?: string): Promise<FetchResult> {
  const python = dvcPython()
  if (!python) throw new XvError('fetching single objects needs a pip-installed dvc')
  const res = await runWatched(python, ['-c', DRIVER, JSON.stringify({root, md5s, remote})], root, watch, true)
  const result = /^XV-RESULT (.*)$/m.exec(res.stdout)
  if (result?.[1]) {
    const doc = JSON.parse(result[1]) as {fetched: string[]; failed: string[]}
    const fetched = new Set(doc.fetched)
    return {fetched: md5s.filter((m) => fetched.has(m)), missing: md5s.filter((m) => !fetched.has(m))}
  }

  const error = /^XV-ERROR (.*)$/m.exec(res.stdout)?.[1] ?? (firstLine(res.stderr) || `exit code ${res.exitCode ?? '?'}`)
  if (CONNECT.test(error)) throw new RemoteUnreachableError('dvc', ['fetch'], error, {stderr: res.stderr, exitCode: res.exitCode})
  throw new ToolError('dvc', ['fetch'], error, {stderr: res.stderr, exitCode: res.exitCode})
}

/** DVC's messages of one level (`ERROR:`, `WARNING:`) with their continuation lines, each joined into one line. */
function dvcMessages(stderr: string, level: string): string[] {
  const out: string[] = []
  let current: string[] | undefined
  for (const raw of stderr.split('\n')) {
    const line = raw.trim()
    if (/^(ERROR|WARNING|INFO):/.test(line)) {
      current = line.startsWith(`${level}:`) ? [line.slice(level.length + 1).trim()] : undefined
      if (current) out.push('')
    } else if (current && line && !/^<?https?:\/\//.test(line) && !/^(Is your cache up to date\?|Having any troubles)/.test(line)) current.push(line)
    if (current) out[out.length - 1] = current.join(' ')
  }

  return out
}

/** The one-line cause DVC gave: its ERROR (continuation lines joined) with the WARNING that explains it, else its last line. */
export function dvcCause(stderr: string, stdout = ''): string {
  const [error] = dvcMessages(stderr, 'ERROR').reverse()
  const warnings = dvcMessages(stderr, 'WARNING')
  if (!error) return firstLine([...warnings, stderr, stdout].join('\n'))
  return `${error.replace(/:$/, '')}${warnings.length > 0 ? ` (${warnings.join('; ')})` : ''}`.replace(/\s+/g, ' ')
}

/** A `dvc` command in ROOT that may talk to the remote, under the inactivity timeout; fails with DVC's cause in one line. */
export async function runDvcWatched(root: string, args: string[], watch: WatchOptions): Promise<void> {
  const res = await runWatched(requireDvc(`run 'dvc ${args[0] ?? ''}'`), args, root, watch)
  if (res.exitCode === 0) return
  const cause = dvcCause(res.stderr, res.stdout) || `exit code ${res.exitCode ?? '?'}`
  throw new ToolError('dvc', args, `dvc ${args[0] ?? ''} failed: ${cause}`, {stderr: res.stderr, exitCode: res.exitCode})
}
