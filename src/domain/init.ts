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
  let root = await git.topLevel()
  const report: InitReport = {root: root ?? cwd, changed: [], unchanged: [], warnings: []}

  // Validate before touching anything.
  if (root && existsSync(join(root, CONFIG_FILE))) loadConfig(root)
  const remoteUrl = options.remote ? normaliseLocation(options.remote, cwd) : undefined
  const cacheDir = options.cache ? normaliseLocation(options.cache, cwd) : undefined

  if (!root) {
    say('git init')
    await git.init()
    root = cwd
    report.root = cwd
    report.changed.push('git repository created')
  } else report.unchanged.push('git repository')

  const dvc = new Dvc(root)
  if (!isDvcRepo(root)) {
    say('dvc init')
    await dvc.init()
    report.changed.push('DVC initialised (.dvc/)')
  } else report.unchanged.push('DVC')

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

  if (remoteUrl) {
    const current = defaultRemote(root)
    if (current?.url === remoteUrl || (current && resolve(current.url) === remoteUrl)) report.unchanged.push(`DVC remote '${current.name}'`)
    else if (current) report.warnings.push(`default DVC remote '${current.name}' (${current.url}) kept; --remote ${options.remote} not applied`)
    else {
      if (isLocalPath(remoteUrl)) mkdirSync(remoteUrl, {recursive: true})
      const names = Object.keys(readDvcConfig(root)).filter((s) => s.startsWith('remote '))
      const name = names.includes('remote "storage"') ? 'xv-storage' : 'storage'
      // A relative path stays relative (DVC records it relative to .dvc/), so moving the folder
      // that holds the project and its store keeps the remote working; dvc runs in ROOT.
      const given = options.remote && isLocalPath(remoteUrl) && !isAbsolute(stripFileScheme(options.remote)) ? relative(root, remoteUrl) || '.' : remoteUrl
      say(`dvc remote add -d ${name} ${given}`)
      await dvc.addDefaultRemote(name, given)
      report.changed.push(`DVC remote '${name}' → ${remoteUrl} (default)`)
    }
  }

  if (cacheDir) {
    const current = readDvcConfig(root).cache?.dir
    if (current && resolve(current) === cacheDir) report.unchanged.push('DVC cache dir')
    else {
      mkdirSync(cacheDir, {recursive: true})
      say(`dvc cache dir --local ${cacheDir}`)
      await dvc.setLocalCacheDir(cacheDir)
      report.changed.push(`DVC cache → ${cacheDir} (.dvc/config.local)`)
    }
  }

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
