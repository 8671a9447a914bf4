/**
 * `xv init`: prepare a repository for experiment versioning. Idempotent and never overwrites a
 * file the user has: a second run changes nothing and says so.
 */
import {existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync} from 'node:fs'
import {dirname, isAbsolute, join, relative, resolve, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Dvc, defaultRemote, isDvcRepo, isLocalPath, readDvcConfig, requireDvc} from '../adapters/dvc.js'
import {Git} from '../adapters/git.js'
import {CONFIG_FILE, DEFAULT_CONFIG, loadConfig} from '../config.js'
import {RefusedError, UsageError} from '../errors.js'
import {declareSummaries} from './dvc-interop.js'

const LAYOUT = ['data', 'models/production', 'models/candidates', 'results']
const TEMPLATES = [CONFIG_FILE, 'params.yaml', 'dvc.yaml']

const TEMPLATE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates')

export interface InitOptions {
  remote?: string
  cache?: string
}

export interface InitReport {
  root: string
  changed: string[]
  unchanged: string[]
  warnings: string[]
}

export async function initRepository(cwd: string, options: InitOptions, say: (m: string) => void = () => {}): Promise<InitReport> {
  requireDvc('initialise DVC (xv init)')
  const git = new Git(cwd)
  if (insideGitDir(cwd) || (await git.isInsideGitDir()))
    throw new RefusedError(`${cwd} is inside a .git directory (git's own data); run 'xv init' in the project folder instead`)
  const top = await git.topLevel()
  // Validate before touching anything.
  if (top && existsSync(join(top, CONFIG_FILE))) loadConfig(top)
  const remoteUrl = options.remote ? normaliseLocation(options.remote, cwd) : undefined
  const cacheDir = options.cache ? normaliseLocation(options.cache, cwd) : undefined

  const report: InitReport = {root: top ?? cwd, changed: [], unchanged: [], warnings: []}
  const root = await ensureRepositories(git, top, cwd, report, say)
  writeLayout(root, report)
  const dvc = new Dvc(root)
  if (remoteUrl && options.remote) await setDefaultRemote(dvc, root, remoteUrl, options.remote, report, say)
  if (cacheDir) await setCacheDir(dvc, root, cacheDir, report, say)

  // A repository with no commit gets one, so that `xv tag` has something to stand on.
  if (!(await git.revParse('HEAD'))) {
    const repo = new Git(root)
    await repo.addAll()
    if (await repo.hasStagedChanges()) {
      await repo.commit('xv init: experiment versioning with git + DVC')
      report.changed.push('first commit')
    }
  }

  return report
}

/** `git init` where there is no repository (TOP undefined), `dvc init` where DVC is not set up; returns the root. */
async function ensureRepositories(git: Git, top: string | undefined, cwd: string, report: InitReport, say: (m: string) => void): Promise<string> {
  let root = top
  if (!root) {
    say('git init')
    await git.init()
    root = cwd
    report.changed.push('git repository created')
  } else report.unchanged.push('git repository')

  if (!isDvcRepo(root)) {
    say('dvc init')
    await new Dvc(root).init()
    report.changed.push('DVC initialised (.dvc/)')
  } else report.unchanged.push('DVC')
  return root
}

/** The folders and template files a project lacks, and the summaries declared in dvc.yaml. */
function writeLayout(root: string, report: InitReport): void {
  for (const dir of LAYOUT) {
    const abs = join(root, dir)
    if (existsSync(abs)) report.unchanged.push(`${dir}/`)
    else {
      mkdirSync(abs, {recursive: true})
      report.changed.push(`${dir}/ created`)
    }
  }

  for (const name of TEMPLATES) {
    const dest = join(root, name)
    if (existsSync(dest)) report.unchanged.push(name)
    else {
      writeFileSync(dest, renderTemplate(name, root))
      report.changed.push(`${name} written`)
    }
  }

  // DVC reads xv's frozen summaries (also in a dvc.yaml the project already had).
  const declared = declareSummaries(root, loadConfig(root).metrics.map((m) => m.name))
  if (declared.changed) report.changed.push(`dvc.yaml declares ${declared.added.join(', ')}`)
  else report.unchanged.push('dvc.yaml metrics/params/plots')
}

/** --remote: added as the default remote unless one is set (then kept, with a warning when it differs). */
async function setDefaultRemote(dvc: Dvc, root: string, remoteUrl: string, given: string, report: InitReport, say: (m: string) => void): Promise<void> {
  const current = defaultRemote(root)
  if (current?.url === remoteUrl || (current && resolve(current.url) === remoteUrl)) report.unchanged.push(`DVC remote '${current.name}'`)
  else if (current) report.warnings.push(`default DVC remote '${current.name}' (${current.url}) kept; --remote ${given} not applied`)
  else {
    if (isLocalPath(remoteUrl)) mkdirSync(remoteUrl, {recursive: true})
    const names = Object.keys(readDvcConfig(root)).filter((s) => s.startsWith('remote '))
    const name = names.includes('remote "storage"') ? 'xv-storage' : 'storage'
    // A relative path stays relative (DVC records it relative to .dvc/), so moving the folder
    // that holds the project and its store keeps the remote working; dvc runs in ROOT.
    const url = isLocalPath(remoteUrl) && !isAbsolute(stripFileScheme(given)) ? relative(root, remoteUrl) || '.' : remoteUrl
    say(`dvc remote add -d ${name} ${url}`)
    await dvc.addDefaultRemote(name, url)
    report.changed.push(`DVC remote '${name}' → ${remoteUrl} (default)`)
  }
}

/** --cache: DVC's cache directory in .dvc/config.local. */
async function setCacheDir(dvc: Dvc, root: string, cacheDir: string, report: InitReport, say: (m: string) => void): Promise<void> {
  const current = readDvcConfig(root).cache?.dir
  if (current && resolve(current) === cacheDir) report.unchanged.push('DVC cache dir')
  else {
    mkdirSync(cacheDir, {recursive: true})
    say(`dvc cache dir --local ${cacheDir}`)
    await dvc.setLocalCacheDir(cacheDir)
    report.changed.push(`DVC cache → ${cacheDir} (.dvc/config.local)`)
  }
}

function stripFileScheme(value: string): string {
  return value.startsWith('file://') ? value.slice(7) : value
}

function normaliseLocation(value: string, cwd: string): string {
  if (!value.trim()) throw new UsageError('an empty path was given; pass a directory or URL')
  if (!isLocalPath(value)) return value
  const path = stripFileScheme(value)
  return isAbsolute(path) ? path : resolve(cwd, path)
}

/** True when DIR is (inside) a folder named .git. */
function insideGitDir(dir: string): boolean {
  const real = existsSync(dir) ? realpathSync(dir) : resolve(dir)
  return real.split(sep).includes('.git')
}

/** A template's text; dvc.yaml names the result database xv.yaml configures (E13). */
function renderTemplate(name: string, root: string): string {
  const text = readFileSync(join(TEMPLATE_DIR, name), 'utf8')
  if (name !== 'dvc.yaml') return text
  const db = loadConfig(root).db
  return db === DEFAULT_CONFIG.db ? text : text.split(DEFAULT_CONFIG.db).join(db)
}
