/**
 * DVC's configuration files (`.dvc/config` overlaid by `.dvc/config.local`) read directly: the
 * cache directory and the remotes. Relative local paths are resolved as DVC resolves them —
 * against the folder of the config file that names them — so a remote URL means the same place
 * wherever xv runs (a temporary worktree, a clone, another directory).
 */
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {isAbsolute, join, resolve} from 'node:path'

export type DvcConfig = Record<string, Record<string, string>>

/** One configuration file's text and the folder its relative paths are relative to. */
export interface ConfigLayer {
  text: string
  dir: string
}

export interface RemoteInfo {
  name: string
  /** The URL, with a relative local path made absolute (against the config file's folder). */
  url: string
  /** The other keys of the remote's section (endpointurl, region, …). */
  options: Record<string, string>
  /** The local directory for a local remote (path or file:// URL); undefined for cloud remotes. */
  dir?: string
}

/** Parses DVC's configobj INI format. Section `['remote "x"']` becomes key `remote "x"`. */
export function parseDvcIni(text: string): DvcConfig {
  const out: DvcConfig = {}
  let section: Record<string, string> | undefined
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith(';')) continue
    const sec = /^\[\s*(.+?)\s*\]$/.exec(line)
    if (sec?.[1] !== undefined) {
      const name = sec[1].replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1')
      section = out[name] ??= {}
      continue
    }

    const eq = line.indexOf('=')
    if (eq > 0 && section) {
      const value = line.slice(eq + 1).trim().replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1')
      section[line.slice(0, eq).trim()] = value
    }
  }

  return out
}

/** The header line DVC writes for a section key (`remote "x"` → `['remote "x"']`). */
function sectionHeader(section: string): string {
  return section.includes('"') ? `['${section}']` : `[${section}]`
}

const HEADER = /^\s*\[\s*(.+?)\s*\]\s*$/

/** TEXT (a config file) with the keys of SETTINGS set: a key's line replaced, else added under its section (new at the end). */
export function withSettings(text: string, settings: DvcConfig): string {
  const lines = text.split('\n')
  const nameOf = (line: string) => HEADER.exec(line)?.[1]?.replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1')
  for (const [section, values] of Object.entries(settings)) {
    let at = lines.findIndex((line) => nameOf(line) === section)
    if (at < 0) at = lines.push(sectionHeader(section)) - 1
    const next = lines.findIndex((line, i) => i > at && HEADER.test(line))
    const end = next < 0 ? lines.length : next
    for (const [key, value] of Object.entries(values)) {
      const line = `    ${key} = ${value}`
      const old = lines.slice(at + 1, end).findIndex((l) => l.split('=')[0]?.trim() === key)
      if (old >= 0) lines[at + 1 + old] = line
      else lines.splice(at + 1, 0, line)
    }
  }

  return lines.join('\n')
}

export function isLocalPath(url: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || url.startsWith('file://')
}

/** The local directory of a remote url, or undefined for cloud remotes. */
export function localRemoteDir(url: string): string | undefined {
  if (!isLocalPath(url)) return undefined
  return url.startsWith('file://') ? url.slice(7) : url
}

/** Config layers merged in order (later wins), relative local paths resolved against each layer's folder. */
export function mergeDvcConfig(layers: ConfigLayer[]): DvcConfig {
  const merged: DvcConfig = {}
  for (const layer of layers) {
    for (const [name, values] of Object.entries(parseDvcIni(layer.text))) {
      const target = (merged[name] ??= {})
      for (const [k, v] of Object.entries(values)) {
        const isPath = (name === 'cache' && k === 'dir') || (name.startsWith('remote ') && k === 'url')
        const local = isPath ? localRemoteDir(v) : undefined
        target[k] = local !== undefined && !isAbsolute(local) ? resolve(layer.dir, local) : v
      }
    }
  }

  return merged
}

/** The config layers of a worktree: `.dvc/config` then `.dvc/config.local` (absent files skipped). */
export function worktreeConfigLayers(root: string): ConfigLayer[] {
  const dir = join(root, '.dvc')
  const layers: ConfigLayer[] = []
  for (const file of [join(dir, 'config'), join(dir, 'config.local')]) {
    if (existsSync(file)) layers.push({text: readFileSync(file, 'utf8'), dir})
  }

  return layers
}

/** `.dvc/config` overlaid by `.dvc/config.local`, with paths resolved relative to `.dvc/`. */
export function readDvcConfig(root: string): DvcConfig {
  return mergeDvcConfig(worktreeConfigLayers(root))
}

/** The cache directory a config names, else DVC's default under ROOT. */
export function cacheDirFrom(config: DvcConfig, root: string): string {
  const dir = config.cache?.dir
  if (dir) return localRemoteDir(dir) ?? dir
  return join(root, '.dvc', 'cache')
}

/** The cache directory DVC uses in this worktree. */
export function cacheDirOf(root: string): string {
  return cacheDirFrom(readDvcConfig(root), root)
}

/** The remote NAME (default: `core.remote`) of a config, if configured. */
export function remoteFrom(config: DvcConfig, name?: string): RemoteInfo | undefined {
  const chosen = name ?? config.core?.remote
  if (!chosen) return undefined
  const {url, ...options} = config[`remote "${chosen}"`] ?? {}
  if (!url) return undefined
  return {name: chosen, url, options, dir: localRemoteDir(url)}
}

/** Every remote a config names, the default first. */
export function remotesFrom(config: DvcConfig): RemoteInfo[] {
  const names = Object.keys(config)
    .filter((s) => s.startsWith('remote "'))
    .map((s) => s.slice('remote "'.length, -1))
  const first = config.core?.remote
  names.sort((a, b) => Number(b === first) - Number(a === first))
  return names.map((n) => remoteFrom(config, n)).filter((r): r is RemoteInfo => r !== undefined)
}

/** The default DVC remote (`core.remote`) of a worktree, if any. */
export function defaultRemote(root: string): RemoteInfo | undefined {
  return remoteFrom(readDvcConfig(root))
}

/**
 * The `.dvc/config` committed at HEAD — or, where HEAD is unborn (a fresh clone whose remote HEAD
 * names a branch that was never pushed), at the newest tag. For a clone without a checkout.
 */
export function committedDvcConfigText(root: string): string | undefined {
  const git = (args: string[]) => execFileSync('git', args, {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']})
  for (const rev of ['HEAD', undefined]) {
    try {
      const at = rev ?? git(['for-each-ref', '--sort=-creatordate', '--count=1', '--format=%(refname)', 'refs/tags']).trim()
      if (at) return git(['cat-file', 'blob', `${at}:.dvc/config`])
    } catch {
      // not at this revision: try the next
    }
  }

  return undefined
}
