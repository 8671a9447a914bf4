/**
 * The Python side of a run's provenance: the interpreter's version and its `pip freeze --all`
 * list, read from the environment's own files when the interpreter is a virtual environment
 * (`pyvenv.cfg` for the version, each `*.dist-info/METADATA` for `Name==Version`) — no Python
 * process, which would cost ~1.5 s for `pip freeze`. Any other interpreter (system, conda, a venv
 * that also sees the system's packages) is asked directly: `python -c …` and `python -m pip freeze --all`.
 */
import {execFile} from 'node:child_process'
import {closeSync, existsSync, openSync, readFileSync, readSync, readdirSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'

export interface PythonEnv {
  version?: string
  /** `pip freeze --all` lines (unsorted). */
  packages?: string[]
}

const DIST_INFO = /\.dist-info$/

/** The venv's `pyvenv.cfg` as key → value, when PY (as named, not resolved) lives in `<venv>/bin/`. */
function venvConfig(py: string): Record<string, string> | undefined {
  const cfg = join(dirname(dirname(py)), 'pyvenv.cfg')
  if (!existsSync(cfg)) return undefined
  const out: Record<string, string> = {}
  for (const line of readFileSync(cfg, 'utf8').split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) out[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim()
  }

  return out
}

/** The start of a file (METADATA's headers come first; its long description is not needed). */
function readHead(path: string, bytes = 4096): string {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(bytes)
    return buf.toString('utf8', 0, readSync(fd, buf, 0, bytes, 0))
  } finally {
    closeSync(fd)
  }
}

/** One header of a METADATA text (`Name`, `Version`), read up to the first blank line. */
function header(text: string, name: string): string | undefined {
  for (const line of text.split('\n')) {
    if (line.trim() === '') break
    if (line.toLowerCase().startsWith(`${name.toLowerCase()}:`)) return line.slice(name.length + 1).trim()
  }

  return undefined
}

/** The freeze line of one installed distribution, as pip prints it (`name==1.0`, `name @ url`, `-e url`). */
function freezeLine(infoDir: string): string | undefined {
  let meta: string
  try {
    meta = readHead(join(infoDir, 'METADATA'))
  } catch {
    return undefined
  }

  const name = header(meta, 'Name')
  const version = header(meta, 'Version')
  if (!name || !version) return undefined
  const direct = join(infoDir, 'direct_url.json')
  if (!existsSync(direct)) return `${name}==${version}`
  try {
    const doc = JSON.parse(readFileSync(direct, 'utf8')) as {url?: string; dir_info?: {editable?: boolean}; vcs_info?: {vcs?: string; commit_id?: string}}
    if (!doc.url) return `${name}==${version}`
    if (doc.dir_info?.editable) return `-e ${doc.url}`
    if (doc.vcs_info?.vcs) return `${name} @ ${doc.vcs_info.vcs}+${doc.url}${doc.vcs_info.commit_id ? `@${doc.vcs_info.commit_id}` : ''}`
    return `${name} @ ${doc.url}`
  } catch {
    return `${name}==${version}`
  }
}

/** Version and packages of the venv PY belongs to; undefined when they cannot be read from its files alone. */
function readVenv(py: string): PythonEnv | undefined {
  const cfg = venvConfig(py)
  if (!cfg || cfg['include-system-site-packages'] === 'true') return undefined
  const version = /^(\d+\.\d+\.\d+)/.exec(cfg.version ?? cfg.version_info ?? '')?.[1]
  const lib = join(dirname(dirname(py)), 'lib')
  const pythons = existsSync(lib) ? readdirSync(lib).filter((d) => /^python\d/.test(d)) : []
  const site = pythons.map((d) => join(lib, d, 'site-packages')).filter((d) => existsSync(d))
  if (!version || site.length !== 1 || !site[0]) return undefined
  const packages: string[] = []
  for (const entry of readdirSync(site[0])) {
    if (!DIST_INFO.test(entry)) continue
    const line = freezeLine(join(site[0], entry))
    if (line) packages.push(line)
  }

  return {version, packages}
}

/** stdout of a short-lived helper process (a version query), undefined when it fails or times out. */
export function outputOf(cmd: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<string | undefined> {
  return new Promise((done) => {
    execFile(cmd, args, {cwd, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024, encoding: 'utf8'}, (error, stdout) => done(error ? undefined : stdout))
  })
}

/** Version and `pip freeze --all` of the interpreter PY (a path): its files when a plain venv, else Python itself. */
export async function pythonEnv(py: string, cwd: string): Promise<PythonEnv> {
  const fromFiles = basename(dirname(py)) === 'bin' ? readVenv(py) : undefined
  if (fromFiles) return fromFiles
  const [version, freeze] = await Promise.all([
    outputOf(py, ['-c', 'import sys; print(sys.version.split()[0])'], cwd),
    outputOf(py, ['-m', 'pip', 'freeze', '--all'], cwd),
  ])
  return {
    ...(version?.trim() ? {version: version.trim()} : {}),
    ...(freeze === undefined ? {} : {packages: freeze.split('\n').map((l) => l.trim()).filter(Boolean)}),
  }
}
