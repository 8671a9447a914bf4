/**
 * The one place xv talks to DVC: the `dvc` program through execa (argument arrays, never a
 * shell), and DVC's own files (.dvc/config, pointers, dvc.lock, the cache layout) read directly
 * where that is faster and safe.
 */
import {createHash} from 'node:crypto'
import {constants, copyFileSync, createReadStream, existsSync, linkSync, readFileSync, rmSync, statSync, writeFileSync, type Stats} from 'node:fs'
import {delimiter, dirname, join, posix, resolve} from 'node:path'
import {pipeline} from 'node:stream/promises'
import {fileURLToPath} from 'node:url'
import {parse as parseYaml} from 'yaml'

import {ToolError, XvError} from '../errors.js'
import {isExecutable} from '../fs-access.js'
import {watchInactivity} from './inactivity.js'
import {cacheDirOf, readDvcConfig, remoteFrom, remotesFrom, type DvcConfig, type RemoteInfo} from './dvc-config.js'

export {
  cacheDirOf, defaultRemote, isLocalPath, localRemoteDir, parseDvcIni, readDvcConfig, type DvcConfig, type RemoteInfo,
} from './dvc-config.js'

export interface DvcOut {
  path: string
  md5?: string
  size?: number
  nfiles?: number
  /** True when md5 names a `.dir` manifest. */
  isDir: boolean
}

export interface DirEntry {
  md5: string
  relpath: string
  size?: number
}


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
  /** Show DVC's own progress on stderr (only when stderr is a terminal). */
  progress?: boolean
  /** What the step does, for the error message. */
  what?: string
  /** Stops dvc (SIGTERM) when aborted, e.g. by an interrupted command's undo. */
  signal?: AbortSignal
}

/** DVC driven in one repository (worktree) root. */
export class Dvc {
  readonly root: string
  private readonly knownConfig?: DvcConfig

  /** CONFIG: the worktree's DVC config when the caller has read it already (RepoContext). */
  constructor(root: string, config?: DvcConfig) {
    this.root = root
    this.knownConfig = config
  }

  async run(args: string[], options: DvcRunOptions = {}): Promise<string> {
    const bin = requireDvc(options.what ?? `run 'dvc ${args[0]}'`)
    const showProgress = Boolean(options.progress && process.stderr.isTTY)
    const remote = isRemoteOperation(args)
    // --quiet would hide DVC's ERROR line (only its support banner remains): remote operations keep it.
    const argv = remote ? args.filter((a) => a !== '--quiet' && a !== '-q') : args
    const {execa} = await import('execa')
    const child = execa(bin, argv, {
      cwd: this.root,
      stdin: 'ignore',
      stderr: showProgress ? 'inherit' : 'pipe',
      reject: false,
      env: {DVC_NO_ANALYTICS: '1', DVC_NO_UPDATER: '1'},
      ...(options.signal ? {cancelSignal: options.signal} : {}),
    })
    const watch = remote ? watchInactivity(child, remoteTimeoutSeconds) : undefined
    const res = await child
    watch?.stop()
    if (watch?.timedOut) throw remoteTimeoutError(`dvc ${args[0]}`, args, this.remoteOf(args))
    if (res.exitCode !== 0 || res.failed) {
      const detail = dvcErrorCause(`${String(res.stderr ?? '')}\n${String(res.stdout ?? '')}`) || res.shortMessage || 'failed'
      throw new ToolError('dvc', args, `dvc ${args[0]} failed: ${detail}`, {stderr: String(res.stderr ?? ''), exitCode: res.exitCode})
    }

    return String(res.stdout)
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
      if (step.add.length > 0) await this.run(['add', '--quiet', ...step.add], {what: 'track the artifacts'})
      if (step.commit.length > 0) await this.run(['commit', '--force', '--quiet', ...step.commit], {what: 'record the stage outputs'})
      onAdded()
      if (!step.push) return undefined
      try {
        await this.run(['push', '--quiet'], {what: 'push the artifacts'})
        return undefined
      } catch (error) {
        return error instanceof Error ? error.message : String(error)
      }
    }

    const {execa} = await import('execa')
    const child = execa(python, ['-c', DRIVER, JSON.stringify({...step, config: localRemoteOverrides(this.config())})], {
      cwd: this.root,
      stdin: 'ignore',
      reject: false,
      env: {DVC_NO_ANALYTICS: '1', DVC_NO_UPDATER: '1'},
    })
    const forget = track?.((signal: NodeJS.Signals = 'SIGINT') => child.kill(signal))
    let added = false
    let buffer = ''
    const watch = step.push || step.revs ? watchInactivity(child, remoteTimeoutSeconds) : undefined
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      if (!added && buffer.includes('XV-ADDED\n')) {
        added = true
        onAdded()
      }
    })
    const res = await child.finally(() => forget?.())
    watch?.stop()
    if (watch?.timedOut) {
      if (added) return remoteTimeoutError('dvc push', [], this.remoteOf([])).message
      throw remoteTimeoutError('dvc add')
    }

    const out = String(res.stdout)
    const failure = /^XV-ERROR (\w+) (.*)$/m.exec(out)
    if (failure) {
      const message = `dvc ${failure[1]} failed: ${failure[2]}`
      if (failure[1] === 'push') return message
      throw new XvError(message)
    }

    if (res.exitCode !== 0 || !out.includes('XV-DONE')) {
      throw new XvError(`dvc failed: ${dvcErrorCause(`${String(res.stderr)}\n${out}`) || 'exit code ' + res.exitCode}`)
    }

    return undefined
  }

  config(): DvcConfig {
    return this.knownConfig ?? readDvcConfig(this.root)
  }

  /** The remote a command line talks to: `-r NAME`, else the default remote. */
  private remoteOf(args: string[]): RemoteInfo | undefined {
    const flag = args.findIndex((a) => a === '-r' || a === '--remote')
    return remoteFrom(this.config(), flag >= 0 ? args[flag + 1] : undefined)
  }

  cacheDir(): string {
    return cacheDirOf(this.root)
  }
}

/** One DVC process: add, commit stage outputs, push — reporting each phase on stdout. */
const DRIVER = `
import json, sys
step = json.loads(sys.argv[1])
phase = "add"
try:
    from dvc.repo import Repo
    # Local remotes by absolute path: reading an older revision's config from git, DVC would
    # resolve a relative URL against the git tree's root ("/store").
    with Repo(config=step.get("config") or None) as repo:
        if step["add"]:
            repo.add(step["add"])
        phase = "commit"
        for target in step["commit"]:
            repo.commit(target, force=True)
        print("XV-ADDED", flush=True)
        phase = "push"
        if step.get("revs"):
            repo.push(revs=step["revs"], workspace=False)
        elif step["push"]:
            repo.push()  # everything the workspace references: a tag is never published without its data
    print("XV-DONE", flush=True)
except Exception as exc:
    message = " ".join(str(exc).split()) or type(exc).__name__
    cause = exc.__cause__
    if cause is not None and str(cause):
        message += ": " + " ".join(str(cause).split())
    print(f"XV-ERROR {phase} {message}", flush=True)
    sys.exit(2)
`

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

/** Where a cache object lives, DVC 3 layout first then DVC 2. */
export function cacheObjectCandidates(cacheDir: string, md5: string): string[] {
  const h = md5.toLowerCase()
  return [join(cacheDir, 'files', 'md5', h.slice(0, 2), h.slice(2)), join(cacheDir, h.slice(0, 2), h.slice(2))]
}

export function findCacheObject(cacheDir: string, md5: string): string | undefined {
  return cacheObjectCandidates(cacheDir, md5).find((p) => existsSync(p))
}

function toOut(o: Record<string, unknown>): DvcOut | undefined {
  if (!o || typeof o.path !== 'string') return undefined
  const md5 = typeof o.md5 === 'string' ? o.md5 : undefined
  return {
    path: o.path,
    md5,
    size: typeof o.size === 'number' ? o.size : undefined,
    nfiles: typeof o.nfiles === 'number' ? o.nfiles : undefined,
    isDir: Boolean(md5?.endsWith('.dir')),
  }
}

/** The outs of a `.dvc` pointer file (paths relative to the pointer's directory). */
export function parsePointer(text: string): DvcOut[] {
  const doc = parseYaml(text) as {outs?: Array<Record<string, unknown>>} | null
  return (doc?.outs ?? []).map(toOut).filter((o): o is DvcOut => Boolean(o))
}

export interface LockOut extends DvcOut {
  stage: string
}

/** The outs of every stage of a `dvc.lock` (paths relative to the lock file's directory). */
export function parseLock(text: string): LockOut[] {
  const doc = parseYaml(text) as {stages?: Record<string, {outs?: Array<Record<string, unknown>>}>} | null
  const outs: LockOut[] = []
  for (const [stage, body] of Object.entries(doc?.stages ?? {})) {
    for (const o of body?.outs ?? []) {
      const out = toOut(o)
      if (out) outs.push({...out, stage})
    }
  }

  return outs
}

/** True for the files that declare DVC outs: `*.dvc` pointers and `dvc.lock`. */
export function isPointerFile(path: string): boolean {
  return path.endsWith('.dvc') || posix.basename(path) === 'dvc.lock'
}

/** An out declared by a pointer or lock file, with its repository-relative path. */
export interface DeclaredOut {
  /** The pointer or dvc.lock file (repository-relative, '/'-separated). */
  pointer: string
  out: DvcOut
  /** The out's path relative to the repository root ('/'-separated, normalised, no trailing '/'). */
  outPath: string
}

/**
 * The DVC outs declared by pointer files and dvc.lock files (paths relative to the repository
 * root, '/'-separated). Every caller uses this one path rule; only where the files come from (a git
 * tree, the index, the working copy) differs. A file that does not parse declares nothing.
 */
export function declaredOuts(files: Array<{path: string; text: string}>): DeclaredOut[] {
  const found: DeclaredOut[] = []
  for (const file of files) {
    const pointer = file.path.replaceAll('\\', '/')
    let outs: DvcOut[]
    try {
      outs = posix.basename(pointer) === 'dvc.lock' ? parseLock(file.text) : parsePointer(file.text)
    } catch {
      continue
    }

    const dir = posix.dirname(pointer)
    for (const out of outs) {
      const outPath = posix.normalize(dir === '.' ? out.path : `${dir}/${out.path}`).replace(/\/+$/, '').replace(/^\.\//, '')
      found.push({pointer, out, outPath})
    }
  }

  return found
}

/** A `.dir` manifest object. */
export function parseDirManifest(text: string): DirEntry[] {
  const doc = JSON.parse(text) as DirEntry[]
  if (!Array.isArray(doc)) throw new XvError('corrupt DVC directory manifest (not a list)')
  return doc
}


// ---- issue 3 (time travel: get/show/diff) ----------------------------------------------------

/** `dvc fetch` of exactly these targets (paths, possibly inside a tracked directory). */
export async function dvcFetch(dvc: Dvc, targets: string[], remote?: string): Promise<void> {
  await dvc.run(['fetch', ...(remote ? ['-r', remote] : []), '--', ...targets], {progress: true, what: 'fetch artifacts from the DVC remote'})
}

/** `dvc checkout` of these targets; falls back to `dvc pull` when the cache lacks them. */
export async function dvcCheckoutOrPull(dvc: Dvc, targets: string[]): Promise<void> {
  try {
    await dvc.run(['checkout', '--', ...targets], {progress: true, what: 'check out artifacts'})
  } catch {
    await dvc.run(['pull', '--', ...targets], {progress: true, what: 'pull artifacts from the DVC remote'})
  }
}

// ---------------------------------------------------------------------------------------------
// issue 5 (worktrees, explore): link-type probe, checking outputs against their pointers and
// locating objects in a cache or a local remote without running dvc.

export type LinkType = 'reflink' | 'hardlink' | 'symlink'

/**
 * The cheapest link DVC can use between CACHE and files under TARGET_DIR, tried for real:
 * a copy-on-write clone (reflink), else a hard link (same filesystem), else a symlink.
 */
export function probeLinkType(cacheDir: string, targetDir: string): LinkType {
  const tag = `.xv-link-probe-${process.pid}-${Date.now()}`
  const source = join(cacheDir, tag)
  const dest = join(targetDir, tag)
  writeFileSync(source, 'probe')
  try {
    for (const [type, attempt] of [
      ['reflink', () => copyFileSync(source, dest, constants.COPYFILE_FICLONE_FORCE)],
      ['hardlink', () => linkSync(source, dest)],
    ] as const) {
      try {
        attempt()
        return type
      } catch {
        // not supported here: try the next one
      } finally {
        rmSync(dest, {force: true})
      }
    }

    return 'symlink'
  } finally {
    rmSync(source, {force: true})
  }
}

export async function md5File(path: string): Promise<string> {
  const hash = createHash('md5')
  await pipeline(createReadStream(path), hash)
  return hash.digest('hex')
}

/**
 * Lookups of objects in cache and local-remote folders, remembered for one command so that
 * worktrees sharing a cache do not stat the same objects again.
 */
export class ObjectLookup {
  private readonly found = new Map<string, {path: string; ino: number; dev: number} | null>()
  private readonly manifests = new Map<string, DirEntry[] | null>()

  /** The object's file in STORE (DVC 3 layout, then DVC 2) with its inode, or undefined. */
  find(store: string, md5: string): {path: string; ino: number; dev: number} | undefined {
    const key = `${store}\0${md5}`
    let hit = this.found.get(key)
    if (hit === undefined) {
      hit = null
      for (const path of cacheObjectCandidates(store, md5)) {
        const st = statSync(path, {throwIfNoEntry: false})
        if (st) {
          hit = {path, ino: st.ino, dev: st.dev}
          break
        }
      }

      this.found.set(key, hit)
    }

    return hit ?? undefined
  }

  /** A `.dir` manifest read from the cache, or undefined when the cache lacks it. */
  manifest(cacheDir: string, md5: string): DirEntry[] | undefined {
    const key = `${cacheDir}\0${md5}`
    let m = this.manifests.get(key)
    if (m === undefined) {
      const obj = this.find(cacheDir, md5)
      m = obj ? parseDirManifest(readFileSync(obj.path, 'utf8')) : null
      this.manifests.set(key, m)
    }

    return m ?? undefined
  }
}

/** Content hashes known for files as they are now (by device, inode, size and mtime), as DVC's state keeps them. */
export interface HashState {
  known(st: Stats, md5: string): boolean
  remember(st: Stats, md5: string): void
}

/**
 * Whether the file at PATH (false when absent) holds the object MD5 — its CONTENT, as `dvc status`
 * compares it: a link into the cache proves nothing (root can write through it, changing the
 * cache too). A different size is a change; a hash STATE recorded for the file as it is now (same
 * inode, size and mtime) is trusted; otherwise the md5 is computed, within BUDGET bytes when given
 * (beyond it: 'unverified').
 */
export async function fileMatches(path: string, md5: string, size: number | undefined, budget?: {bytes: number}, state?: HashState): Promise<boolean | 'unverified'> {
  const st = statSync(path, {throwIfNoEntry: false})
  if (!st?.isFile()) return false
  if (size !== undefined && st.size !== size) return false
  const want = md5.toLowerCase()
  if (state?.known(st, want)) return true
  // Reading is bounded by the budget when one is given (a caller that must be sure gives none).
  if (budget) {
    if (st.size > budget.bytes) return 'unverified'
    budget.bytes -= st.size
  }

  const same = (await md5File(path)) === want
  if (same) state?.remember(st, want)
  return same
}

/** The object ids an out references: the file md5, or a `.dir` manifest and its entries. */
export function objectsOf(out: DvcOut, cacheDir: string, lookup: ObjectLookup = new ObjectLookup()): {objects: string[]; manifest?: DirEntry[]} {
  if (!out.md5) return {objects: []}
  if (!out.isDir) return {objects: [out.md5]}
  const manifest = lookup.manifest(cacheDir, out.md5)
  if (!manifest) return {objects: [out.md5]}
  return {objects: [out.md5, ...manifest.map((e) => e.md5)], manifest}
}

/** Objects (of IDS) that a local directory store (cache or local remote) lacks. */
export function missingObjects(storeDir: string, ids: string[], lookup: ObjectLookup = new ObjectLookup()): string[] {
  return ids.filter((id) => !lookup.find(storeDir, id))
}

/** One DVC process: for the workspace and each revision, the outs whose objects the remote lacks. */
const CLOUD_STATUS_DRIVER = `
import json, sys
revs = json.loads(sys.argv[1])
try:
    from dvc.repo import Repo
    out = {}
    with Repo() as repo:
        def unsafe():
            used = repo.used_objs(force=True, push=True)
            found = {}
            for odb, ids in used.items():
                if odb is not None:
                    continue  # imported objects
                status = repo.cloud.status(ids, None)
                for kind in ("new", "missing"):
                    for h in getattr(status, kind, []):
                        found[h.obj_name] = kind
            return found
        out[""] = unsafe()
        for rev in revs:
            with repo.switch(rev):
                out[rev] = unsafe()
    print("XV-STATUS " + json.dumps(out), flush=True)
except Exception as exc:
    print("XV-ERROR " + (" ".join(str(exc).split()) or type(exc).__name__), flush=True)
    sys.exit(2)
`

/**
 * For the workspace of ROOT (key '') and each of REVS: the outs whose objects are not safe in the
 * default remote — 'new' (only in the cache) or 'missing' (in neither). 'deleted' (in the remote,
 * not in the cache) is safe. One DVC process (its Python API) when dvc is pip-installed; otherwise
 * `dvc status --cloud` of the workspace only.
 */
export async function unpushedByRevision(root: string, revs: string[]): Promise<Map<string, Array<{path: string; status: string}>>> {
  const python = dvcPython()
  const result = new Map<string, Array<{path: string; status: string}>>()
  if (!python) {
    result.set('', await unpushedInCloud(root))
    return result
  }

  const {execa} = await import('execa')
  const child = execa(python, ['-c', CLOUD_STATUS_DRIVER, JSON.stringify(revs)], {
    cwd: root,
    stdin: 'ignore',
    reject: false,
    env: {DVC_NO_ANALYTICS: '1', DVC_NO_UPDATER: '1'},
  })
  const watch = watchInactivity(child, remoteTimeoutSeconds)
  const res = await child
  watch.stop()
  if (watch.timedOut) throw remoteTimeoutError('dvc status --cloud', ['status', '--cloud'])
  const out = String(res.stdout)
  const failure = /^XV-ERROR (.*)$/m.exec(out)
  if (failure) throw new XvError(`dvc status --cloud failed: ${failure[1] ?? ''}`)
  const done = /^XV-STATUS (.*)$/m.exec(out)
  if (!done) throw new XvError(`dvc status --cloud failed: ${dvcErrorCause(`${String(res.stderr)}\n${out}`) || `exit code ${res.exitCode ?? '?'}`}`)
  for (const [rev, outs] of Object.entries(JSON.parse(done[1] ?? '{}') as Record<string, Record<string, string>>))
    result.set(rev, Object.entries(outs).map(([path, status]) => ({path, status})))
  return result
}

/**
 * `dvc status --cloud --json` in ROOT: the outs whose objects are not safe in the remote — 'new'
 * (only in the cache) or 'missing' (in neither). 'deleted' (in the remote, not in the cache) is safe.
 */
export async function unpushedInCloud(root: string): Promise<Array<{path: string; status: string}>> {
  const out = await new Dvc(root).run(['status', '--cloud', '--json'], {what: 'compare the cache with the remote'})
  const doc = (out.trim() ? JSON.parse(out) : {}) as Record<string, unknown>
  return Object.entries(doc)
    .filter(([, status]) => status === 'new' || status === 'missing')
    .map(([path, status]) => ({path, status: String(status)}))
}
