/**
 * A temporary detached worktree at a revision, whose DVC uses this repository's cache and remote
 * settings. Always removed afterwards, also on error or Ctrl-C.
 */
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {isAbsolute, join, resolve} from 'node:path'

import {mergeDvcConfig, readDvcConfig, remotesFrom, withSettings, type DvcConfig} from '../adapters/dvc-config.js'
import {cacheDirOf, isLocalPath} from '../adapters/dvc.js'
import {addWorktree, pruneWorktrees, removeWorktree} from '../adapters/git-worktrees.js'
import type {RepoContext} from '../context.js'
import {interrupted, withUndo} from '../interrupt.js'

/**
 * Points a worktree's DVC at a cache through `.dvc/config.local` (the committed `.dvc/config` is
 * untouched), keeping the source worktree's other local settings such as a local remote.
 */
export function shareDvcSettings(
  fromRoot: string,
  toRoot: string,
  cacheDir: string = cacheDirOf(fromRoot),
  linkType?: string,
  config: DvcConfig = readDvcConfig(fromRoot),
): void {
  if (!existsSync(join(toRoot, '.dvc'))) return
  const dvcDir = join(fromRoot, '.dvc')
  const local = join(dvcDir, 'config.local')
  const kept = existsSync(local) ? absoluteRemoteUrls(withoutSection(readFileSync(local, 'utf8'), 'cache'), dvcDir) : ''
  // What the worktree would read: its checked-out .dvc/config (maybe an older commit's) under the kept local settings.
  const committed = join(toRoot, '.dvc', 'config')
  const layers = existsSync(committed) ? [{text: readFileSync(committed, 'utf8'), dir: join(toRoot, '.dvc')}] : []
  const seen = mergeDvcConfig([...layers, {text: kept, dir: dvcDir}])
  const remotes = withSettings(kept, remoteSettingsMissing(config, seen))
  // Same keys `dvc cache dir --local` and `dvc config --local cache.type` write, in one file write.
  const cache = `[cache]\n    dir = ${cacheDir}\n${linkType ? `    type = ${linkType}\n` : ''}`
  writeFileSync(join(toRoot, '.dvc', 'config.local'), `${remotes.trim()}\n${cache}`.trimStart())
}

/**
 * The remote settings of CONFIG (the source's, as it resolves them now) that SEEN lacks or says
 * otherwise: a remote added since the checked-out commit, a relative local URL that would point
 * elsewhere from another folder, another default remote. Keys SEEN has and CONFIG lacks stay.
 */
function remoteSettingsMissing(config: DvcConfig, seen: DvcConfig): DvcConfig {
  const missing: DvcConfig = {}
  const want = (section: string, key: string, value: string) => {
    if (seen[section]?.[key] !== value) (missing[section] ??= {})[key] = value
  }

  for (const remote of remotesFrom(config)) {
    const section = `remote "${remote.name}"`
    want(section, 'url', remote.dir ?? remote.url)
    for (const [key, value] of Object.entries(remote.options)) want(section, key, value)
  }

  if (config.core?.remote) want('core', 'remote', config.core.remote)
  return missing
}

/** Relative local remote URLs (relative to the source's .dvc/) made absolute, so they still work elsewhere. */
function absoluteRemoteUrls(text: string, dvcDir: string): string {
  let inRemote = false
  return text
    .split('\n')
    .map((line) => {
      const header = /^\s*\[\s*'?"?([^\]'"]+)/.exec(line)
      if (header) inRemote = (header[1] ?? '').trim() === 'remote'
      const url = inRemote ? /^(\s*url\s*=\s*)(.+?)\s*$/.exec(line) : null
      const [, key = '', value = ''] = url ?? []
      if (!url || !isLocalPath(value) || value.startsWith('file://') || isAbsolute(value)) return line
      return `${key}${resolve(dvcDir, value)}`
    })
    .join('\n')
}

/** An INI text without one section. */
function withoutSection(text: string, section: string): string {
  const out: string[] = []
  let skipping = false
  for (const line of text.split('\n')) {
    const header = /^\s*\[\s*'?"?([^\]'"]+)/.exec(line)
    if (header) skipping = (header[1] ?? '').trim() === section
    if (!skipping) out.push(line)
  }

  return out.join('\n')
}

/**
 * Runs fn in a temporary detached worktree at REV sharing this repository's cache and remote.
 * The worktree (and git's record of it) is removed afterwards — also on error, SIGINT and SIGTERM
 * (through withUndo).
 */
export async function withTemporaryWorktree<T>(ctx: RepoContext, rev: string, fn: (root: string) => Promise<T>): Promise<T> {
  const parent = mkdtempSync(join(tmpdir(), 'xv-wt-'))
  const root = join(parent, 'tree')
  let removed = false
  const remove = async () => {
    if (removed) return
    removed = true
    await removeWorktree(ctx.git, root, true).catch(() => undefined)
    rmSync(parent, {recursive: true, force: true})
    await pruneWorktrees(ctx.git)
  }

  return withUndo(async (log) => {
    log.onUndo(remove)
    try {
      await addWorktree(ctx.git, root, rev)
      shareDvcSettings(ctx.root, root, ctx.cacheDir, undefined, ctx.dvcConfig)
      return await fn(root)
    } finally {
      if (!interrupted()) await remove()
    }
  }, {quietRollback: true})
}
