/**
 * Values for shell completion (`xv __complete`): versions, worktree names, model candidates and
 * metric names, each read with the cheapest call there is (10,000 tags answer in well under 0.3 s).
 * Which argument takes which kind of value follows its name, so a new command completes by naming
 * its argument `version`, `name` (worktree commands), `candidate`, `metric` or a flag `--sort`/`--metric`/`--best`;
 * `model info NAME` completes candidates, `model promote SOURCE` candidates and versions.
 */
import {existsSync, readdirSync} from 'node:fs'
import {basename, join} from 'node:path'

import {tagNamesSync, topLevelSync, worktreePathsSync} from '../adapters/git-sync.js'

export type CompletionKind = 'versions' | 'worktrees' | 'candidates' | 'metrics' | 'sources' | 'model-sources'

const VERSION_ARGS = new Set(['version', 'versions', 'v1', 'v2', 'rev', 'from', 'to', 'base'])
const METRIC_FLAGS = new Set(['sort', 'metric', 'by', 'metrics', 'best'])

/** The kind of value an argument or flag of command ID takes, by its name. */
export function kindOf(commandId: string, name: string, isFlag: boolean): CompletionKind | undefined {
  if (isFlag) {
    if (METRIC_FLAGS.has(name)) return 'metrics'
    if (VERSION_ARGS.has(name)) return 'versions'
    return undefined
  }

  if (VERSION_ARGS.has(name)) return 'versions'
  if (name === 'metric' || name === 'metrics') return 'metrics'
  if (commandId === 'model:info' && name === 'name') return 'candidates'
  if (commandId === 'model:promote' && name === 'source') return 'model-sources'
  if (name === 'name' && commandId.startsWith('worktree:') && commandId !== 'worktree:new') return 'worktrees'
  if (name === 'candidate' || name === 'candidates') return 'candidates'
  if (name === 'source' || name === 'sources') return 'sources'
  return undefined
}

const VERSION_TAG = /^[A-Za-z][A-Za-z0-9_-]*?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$|^\d+\.\d+\.\d+/

/** Experiment tags starting with PREFIX (ref names only: no tag object is read; the shell sorts them). */
export function versions(cwd: string, prefix: string): string[] {
  const pattern = /^[\w.-]*$/.test(prefix) ? `refs/tags/${prefix}*` : 'refs/tags'
  return tagNamesSync(cwd, pattern).filter((t) => t.startsWith(prefix) && VERSION_TAG.test(t))
}

/** Experiment worktree names (exp-NAME → NAME). */
export function worktrees(cwd: string): string[] {
  return worktreePathsSync(cwd)
    .map((path) => basename(path))
    .filter((base) => base.startsWith('exp-'))
    .map((base) => base.slice('exp-'.length))
}

/** Files and folders in models/candidates of the repository. */
export function candidates(cwd: string): string[] {
  const dir = join(topLevelSync(cwd) ?? cwd, 'models', 'candidates')
  return existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.')) : []
}

/** Metric columns of the result database (and those named in xv.yaml). */
export async function metrics(cwd: string): Promise<string[]> {
  const root = topLevelSync(cwd) ?? cwd
  const {loadConfig} = await import('../config.js')
  const config = loadConfig(root)
  const names = config.metrics.map((m) => m.name)
  const db = join(root, config.db)
  if (!existsSync(db)) return names
  // Either engine (SQLite or DuckDB, by the file's header).
  const {withResultStore} = await import('../adapters/result-store.js')
  const {chooseResultTable, metricColumns} = await import('./results.js')
  // A database that cannot be read now (held by a writer, damaged): the configured metrics only.
  const tables = await withResultStore(db, {label: config.db}, (store) => store.tables()).catch(() => [])
  const choice = chooseResultTable(tables, {table: config.table, versionColumn: config.versionColumn}, config.db)
  const cols = choice ? tables.find((t) => t.table === choice.table)?.columns : undefined
  if (choice && cols) for (const m of metricColumns(cols, choice.versionColumn, config.metrics)) if (!names.includes(m)) names.push(m)

  return names
}

export async function valuesOf(kind: CompletionKind, cwd: string, current: string): Promise<string[]> {
  switch (kind) {
    case 'versions':
      return versions(cwd, current)
    case 'worktrees':
      return worktrees(cwd)
    case 'candidates':
      return candidates(cwd)
    case 'metrics':
      return metrics(cwd).catch(() => [])
    case 'sources':
      return [...worktrees(cwd), ...versions(cwd, current)]
    case 'model-sources':
      return [...candidates(cwd), ...versions(cwd, current)]
  }
}
