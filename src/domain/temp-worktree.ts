/**
 * A temporary detached worktree at a revision, whose DVC uses this repository's cache and remote
 * settings. Always removed afterwards, also on error or Ctrl-C.
 */
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {isAbsolute, join, resolve} from 'node:path'

import {parseDvcIni, readDvcConfig, remotesFrom, type DvcConfig} from '../adapters/dvc-config.js'
import {cacheDirOf, isLocalPath} from '../adapters/dvc.js'
import {addWorktree, pruneWorktrees, removeWorktree} from '../adapters/git.js'
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
  const local = join(fromRoot, '.dvc', 'config.local')
  const kept = existsSync(local) ? absoluteRemoteUrls(withoutSection(readFileSync(local, 'utf8'), 'cache'), join(fromRoot, '.dvc')) : ''
  // Local remotes as the source resolves them (a relative URL in the committed config would
  // otherwise be read relative to this worktree's .dvc/ and point nowhere), and its default remote.
  const keptSections = parseDvcIni(kept)
  const remotes = remotesFrom(config)
    .filter((r) => r.dir !== undefined && !keptSections[`remote "${r.name}"`])
    .map((r) => `['remote "${r.name}"']\n    url = ${r.dir}\n`)
    .join('')
  const core = config.core?.remote && !keptSections.core && !readDvcConfig(toRoot).core?.remote ? `[core]\n    remote = ${config.core.remote}\n` : ''
  // Same keys `dvc cache dir --local` and `dvc config --local cache.type` write, in one file write.
  const cache = `[cache]\n    dir = ${cacheDir}\n${linkType ? `    type = ${linkType}\n` : ''}`
  writeFileSync(join(toRoot, '.dvc', 'config.local'), `${kept.trimEnd()}\n${core}${remotes}${cache}`.trimStart())
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
