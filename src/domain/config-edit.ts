/**
 * `xv config`: read and change xv.yaml like `dvc config` — keys with dots (`model.name`), values
 * written as YAML (`true`, `120`, `[f1, loss]`). Every change is validated with the same schema as
 * every command reads (src/config.ts) before the file is written, and the file keeps its comments
 * and layout (the yaml package's Document API). Written atomically.
 */
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {isMap, isScalar, parseDocument, parse as parseYaml, type Document} from 'yaml'

import {CONFIG_FILE, CONFIG_KEYS, DEFAULT_CONFIG, validateConfig} from '../config.js'
import {UsageError, XvError, errorMessage} from '../errors.js'

export type ConfigAction = 'list' | 'get' | 'set' | 'unset'

export interface ConfigReport {
  action: ConfigAction
  file: string
  key?: string
  /** The value of KEY (get, set): from the file, else the default; null when unset and without default. */
  value?: unknown
  /** Whether the value comes from the file or is the default. */
  source?: 'file' | 'default' | 'unset'
  /** list: every key with its value and source. */
  values?: Array<{key: string; value: unknown; source: 'file' | 'default'}>
  /** set/unset: the file changed. */
  changed: boolean
}

function loadDocument(file: string): Document {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : ''
  const doc = parseDocument(text)
  if (doc.errors.length > 0) throw new XvError(`${CONFIG_FILE} is not valid YAML: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`)
  return doc
}

function keyPath(key: string): string[] {
  const path = key.split('.').filter(Boolean)
  const top = path[0]
  if (!top || !CONFIG_KEYS.includes(top)) {
    const known = CONFIG_KEYS.join(', ')
    throw new UsageError(`unknown key '${key}' in ${CONFIG_FILE}; keys: ${known}, model.name`)
  }

  return path
}

function plain(value: unknown): unknown {
  return value && typeof value === 'object' && 'toJSON' in value ? (value as {toJSON: () => unknown}).toJSON() : value
}

function defaultOf(path: string[]): unknown {
  let v: unknown = DEFAULT_CONFIG
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined
  return v
}

function write(file: string, doc: Document): void {
  validated(doc)
  const tmp = `${file}.xv-tmp-${process.pid}`
  writeFileSync(tmp, doc.toString())
  renameSync(tmp, file)
}

function validated(doc: Document): void {
  try {
    validateConfig(doc.toJS())
  } catch (error) {
    throw new UsageError(errorMessage(error).replace(/; fix the file.*$/, ''), {hint: `see: xv config list`})
  }
}

export function editConfig(root: string, action: ConfigAction, key?: string, rawValue?: string): ConfigReport {
  const file = join(root, CONFIG_FILE)
  const doc = loadDocument(file)
  if (action === 'list') {
    const values: NonNullable<ConfigReport['values']> = []
    for (const k of CONFIG_KEYS) {
      const mine = doc.has(k) ? plain(doc.get(k)) : undefined
      if (mine !== undefined && mine !== null) values.push({key: k, value: mine, source: 'file'})
      else if (defaultOf([k]) !== undefined) values.push({key: k, value: defaultOf([k]), source: 'default'})
    }

    return {action, file, values, changed: false}
  }

  if (key === undefined) throw new UsageError(`missing argument KEY (see: xv config --help)`)
  const path = keyPath(key)
  if (action === 'get') {
    const mine = plain(doc.getIn(path))
    if (mine !== undefined && mine !== null) return {action, file, key, value: mine, source: 'file', changed: false}
    const def = defaultOf(path)
    return {action, file, key, value: def ?? null, source: def === undefined ? 'unset' : 'default', changed: false}
  }

  if (action === 'unset') {
    if (!doc.hasIn(path)) return {action, file, key, changed: false}
    doc.deleteIn(path)
    write(file, doc)
    return {action, file, key, changed: true}
  }

  if (rawValue === undefined) throw new UsageError(`missing argument VALUE (see: xv config --help)`)
  let value: unknown
  try {
    value = parseYaml(rawValue)
  } catch {
    value = rawValue
  }

  const before = plain(doc.getIn(path))
  if (!isMap(doc.contents) && doc.contents !== null && !(isScalar(doc.contents) && doc.contents.value === null))
    throw new XvError(`${CONFIG_FILE} is not a mapping of keys to values; fix the file first`)
  doc.setIn(path, value)
  const changed = JSON.stringify(before) !== JSON.stringify(value)
  if (changed) write(file, doc)
  return {action, file, key, value, source: 'file', changed}
}
