import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {dirname, isAbsolute, join} from 'node:path'
import {parseYaml} from './yaml.js'

import {XvError, errorMessage} from './errors.js'

export type Direction = 'higher' | 'lower'

export interface MetricSpec {
  name: string
  direction?: Direction
}

/** xv.yaml, every key optional. */
export interface XvConfig {
  prefix: string
  db: string
  table?: string
  versionColumn?: string
  metrics: MetricSpec[]
  artifacts: string[]
  worktreeDir: string
  cache?: string
  push: boolean
  /**
   * Files an experiment writes (model, database): in a worktree or explore checkout they are private
   * copies (reflink or copy), never links into the shared cache. Default: the artifacts.
   */
  writes?: string[]
  /** Largest file (bytes) `xv tag` lets git track; bigger ones are refused with the fix named. */
  maxGitFileSize: number
  /** Seconds without progress after which a remote operation (push, fetch, status) gives up. */
  remoteTimeout: number
  /** Model registry settings (`xv model`): the GTO-valid model name. */
  model?: {name?: string}
}

export const CONFIG_FILE = 'xv.yaml'

export const DEFAULT_CONFIG: XvConfig = {
  prefix: 'e',
  db: 'results/experiments.db',
  metrics: [],
  // A trailing slash marks an optional folder: skipped quietly while it does not exist.
  artifacts: ['results/experiments.db', 'models/production/model.bin', 'models/candidates/'],
  worktreeDir: '..',
  push: true,
  maxGitFileSize: 1024 * 1024,
  remoteTimeout: 120,
}

/** The files an experiment writes (xv.yaml `writes`, default the artifacts). */
export function writesOf(config: XvConfig): string[] {
  return config.writes ?? config.artifacts
}

const STRING_KEYS = ['prefix', 'db', 'table', 'versionColumn', 'worktreeDir', 'cache'] as const
/** Every top-level key of xv.yaml, in documentation order. */
export const CONFIG_KEYS: readonly string[] = [...STRING_KEYS, 'metrics', 'artifacts', 'push', 'writes', 'maxGitFileSize', 'remoteTimeout', 'model']
const KNOWN_KEYS = new Set<string>(CONFIG_KEYS)

function fail(detail: string): never {
  throw new XvError(`${CONFIG_FILE}: ${detail}; fix the file (keys: ${[...KNOWN_KEYS].join(', ')})`)
}

function parseMetric(value: unknown, i: number): MetricSpec {
  if (typeof value === 'string' && value.trim()) return {name: value.trim()}
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const {name, direction, ...rest} = value as Record<string, unknown>
    if (Object.keys(rest).length > 0) fail(`metrics[${i}] has unknown key '${Object.keys(rest)[0]}' (name, direction)`)
    if (typeof name !== 'string' || !name.trim()) fail(`metrics[${i}].name must be a non-empty string`)
    if (direction !== undefined && direction !== 'higher' && direction !== 'lower')
      fail(`metrics[${i}].direction must be 'higher' or 'lower'`)
    return {name: name.trim(), direction: direction}
  }

  return fail(`metrics[${i}] must be a column name or {name, direction}`)
}

/** Validates a parsed xv.yaml document; unknown keys and wrong types are errors. */
export function validateConfig(doc: unknown): XvConfig {
  const config: XvConfig = {...DEFAULT_CONFIG, metrics: [], artifacts: [...DEFAULT_CONFIG.artifacts]}
  if (doc === null || doc === undefined) return config
  if (typeof doc !== 'object' || Array.isArray(doc)) fail('must be a mapping of keys to values')
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (!KNOWN_KEYS.has(key)) fail(`unknown key '${key}'`)
    if (value === null || value === undefined) continue
    if ((STRING_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'string' || !value.trim()) fail(`'${key}' must be a non-empty string`)
      ;(config as unknown as Record<string, unknown>)[key] = value.trim()
    } else if (key === 'push') {
      if (typeof value !== 'boolean') fail(`'push' must be true or false`)
      config.push = value
    } else if (key === 'metrics') {
      if (!Array.isArray(value)) fail(`'metrics' must be a list`)
      config.metrics = value.map((v, i) => parseMetric(v, i))
    } else if (key === 'maxGitFileSize' || key === 'remoteTimeout') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(`'${key}' must be a positive number`)
      config[key] = value
    } else if (key === 'model') {
      if (typeof value !== 'object' || Array.isArray(value)) fail(`'model' must be a mapping (name)`)
      const {name, ...rest} = value as Record<string, unknown>
      if (Object.keys(rest).length > 0) fail(`model has unknown key '${Object.keys(rest)[0] ?? ''}' (name)`)
      if (name !== undefined && (typeof name !== 'string' || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name)))
        fail(`model.name must be lower-case letters, digits and dashes (GTO's rule)`)
      config.model = name === undefined ? {} : {name}
    } else if (key === 'writes') {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !v.trim())) fail(`'writes' must be a list of paths`)
      config.writes = (value as string[]).map((v) => v.trim())
    } else if (key === 'artifacts') {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !v.trim()))
        fail(`'artifacts' must be a list of paths`)
      config.artifacts = (value as string[]).map((v) => v.trim())
    }
  }

  for (const [key, paths] of [['db', [config.db]], ['artifacts', config.artifacts], ['writes', config.writes ?? []]] as const) {
    const outside = paths.find(leavesRepository)
    if (outside !== undefined) fail(`'${key}' names ${outside}, outside the repository; use a path inside it`)
  }

  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(config.prefix) && config.prefix !== '')
    fail(`'prefix' must be letters, digits, '-' or '_' starting with a letter`)
  return config
}

/** True for an absolute path or one that climbs out with '..' (xv.yaml paths are relative to the repository). */
function leavesRepository(path: string): boolean {
  if (isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) return true
  let depth = 0
  for (const part of path.split(/[\\/]+/)) {
    if (part === '..') depth--
    else if (part && part !== '.') depth++
    if (depth < 0) return true
  }

  return false
}

/** Reads `xv.yaml` at the root of a worktree (defaults when absent). */
/**
 * xv.yaml of the worktree at ROOT, validated. With CACHE_DIR (the repository's `.git/xv`), the
 * validated config is kept there by the file's exact text, so the next command with the same
 * xv.yaml skips the YAML parser (~45 ms of start-up); any change of the text parses it again.
 */
export function loadConfig(root: string, cacheDir?: string): XvConfig {
  const file = join(root, CONFIG_FILE)
  if (!existsSync(file)) return validateConfig(undefined)
  const text = readFileSync(file, 'utf8')
  const cacheFile = cacheDir === undefined ? undefined : join(cacheDir, 'config-cache.json')
  const cached = cacheFile === undefined ? undefined : readConfigCache(cacheFile, text)
  if (cached) return cached
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (error) {
    throw new XvError(`${CONFIG_FILE} is not valid YAML: ${errorMessage(error).split('\n')[0]}`)
  }

  const config = validateConfig(doc)
  if (cacheFile !== undefined) writeConfigCache(cacheFile, text, config)
  return config
}

function readConfigCache(cacheFile: string, text: string): XvConfig | undefined {
  try {
    const entry = JSON.parse(readFileSync(cacheFile, 'utf8')) as {text?: unknown; config?: XvConfig}
    return entry.text === text ? entry.config : undefined
  } catch {
    return undefined // absent or unreadable: parse
  }
}

function writeConfigCache(cacheFile: string, text: string, config: XvConfig): void {
  try {
    mkdirSync(dirname(cacheFile), {recursive: true})
    const tmp = `${cacheFile}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify({text, config}))
    renameSync(tmp, cacheFile) // whole or not at all, whoever writes last
  } catch {
    // a read-only repository: no cache, nothing lost
  }
}
