/**
 * `xv doctor`: what is installed, how the repository is set up, and for every problem the
 * command that fixes it.
 */
import {existsSync} from 'node:fs'
import {join, relative} from 'node:path'

import {INSTALL_HINT, dvcVersion, findDvc, isDvcRepo} from '../adapters/dvc.js'
import {Git} from '../adapters/git.js'
import {withResultStore} from '../adapters/result-store.js'
import {CONFIG_FILE, loadConfig, type XvConfig} from '../config.js'
import {RepoContext} from '../context.js'
import {errorMessage} from '../errors.js'
import {isWritable} from '../fs-access.js'
import {dvcYamlDbCheck, halfMadeWorktreesCheck, staleTempFilesCheck, untaggedExperimentCheck} from './doctor-local.js'
import {dvcRemoteChecks, gitRemoteChecks} from './doctor-remote.js'
import {chooseResultTable} from './results.js'

export type CheckStatus = 'ok' | 'warn' | 'fail'

export interface Check {
  name: string
  status: CheckStatus
  detail: string
  fix?: string
}


/** git and dvc themselves: found, and which version. */
async function toolChecks(git: Git): Promise<Check[]> {
  const gitVersion = await git.version()
  const dvcBin = findDvc()
  const version = dvcBin ? await dvcVersion() : undefined
  return [
    gitVersion ? {name: 'git', status: 'ok', detail: gitVersion} : {name: 'git', status: 'fail', detail: 'not found', fix: 'install git (apt-get install git)'},
    version
      ? {name: 'dvc', status: version.startsWith('3.') ? 'ok' : 'warn', detail: `${version} (${dvcBin ?? 'dvc'})`, fix: version.startsWith('3.') ? undefined : 'xv is tested with DVC 3.x'}
      : {name: 'dvc', status: 'fail', detail: 'not found', fix: INSTALL_HINT},
  ]
}

/** DVC initialised, its cache usable, its link type, and its remotes. */
async function dvcRepoChecks(top: string, ctx: RepoContext | undefined): Promise<Check[]> {
  if (!isDvcRepo(top)) return [{name: 'dvc repo', status: 'fail', detail: 'DVC is not initialised here', fix: 'xv init'}]
  if (!ctx) return []
  const cache = ctx.cacheDir
  const inside = !relative(top, cache).startsWith('..')
  const exists = existsSync(cache)
  const linkType = ctx.dvcConfig.cache?.type
  return [
    {name: 'dvc repo', status: 'ok', detail: '.dvc/ present'},
    {
      name: 'cache',
      status: exists && !isWritable(cache) ? 'fail' : 'ok',
      detail: `${cache}${inside ? ' (this worktree only)' : ' (shared)'}${exists ? '' : ' (created on first dvc add)'}`,
      fix: exists && !isWritable(cache) ? `make it writable or point elsewhere: dvc cache dir --local DIR` : undefined,
    },
    {name: 'link type', status: 'ok', detail: linkType ? linkType : 'DVC default (reflink, copy)'},
    ...(await dvcRemoteChecks(ctx)),
  ]
}

/** The result database: present, SQLite or DuckDB (by its header), and with a table that has a version column. */
async function resultDbCheck(top: string, config: XvConfig): Promise<Check> {
  const dbPath = join(top, config.db)
  if (!existsSync(dbPath)) return {name: 'result db', status: 'warn', detail: `${config.db} not found yet`}
  try {
    const {kind, tables} = await withResultStore(dbPath, {label: config.db}, async (store) => ({kind: store.kind, tables: await store.tables()}))
    const choice = chooseResultTable(tables, {table: config.table, versionColumn: config.versionColumn}, config.db)
    const label = `${config.db}${kind === 'duckdb' ? ' (DuckDB)' : ''}`
    return choice
      ? {name: 'result db', status: 'ok', detail: `${label}: table '${choice.table}', version column '${choice.versionColumn}'`}
      : {name: 'result db', status: 'warn', detail: `${label}: no table with a version column`, fix: `set table/versionColumn in ${CONFIG_FILE}`}
  } catch (error) {
    return {name: 'result db', status: 'fail', detail: errorMessage(error), fix: `check ${config.db}`}
  }
}

export async function runDoctor(cwd: string): Promise<Check[]> {
  const git = new Git(cwd)
  const checks: Check[] = await toolChecks(git)
  const add = (c: Check | undefined) => {
    if (c) checks.push(c)
  }

  const top = await git.topLevel()
  if (!top) {
    add({name: 'repository', status: 'fail', detail: `${cwd} is not inside a git repository`, fix: 'xv init'})
    return checks
  }

  const head = await git.revParse('HEAD')
  add({name: 'repository', status: head ? 'ok' : 'warn', detail: head ? top : `${top} (no commit yet)`, fix: head ? undefined : 'xv init (makes the first commit)'})

  let config: XvConfig | undefined
  try {
    config = loadConfig(top)
    add({name: CONFIG_FILE, status: 'ok', detail: existsSync(join(top, CONFIG_FILE)) ? 'valid' : 'absent (defaults apply)'})
  } catch (error) {
    add({name: CONFIG_FILE, status: 'fail', detail: errorMessage(error), fix: `edit ${CONFIG_FILE}`})
  }

  // Everything below reads the repository through one context: DVC config read once.
  const ctx = config ? await RepoContext.open(top) : undefined
  checks.push(...(await dvcRepoChecks(top, ctx)))
  if (ctx) {
    checks.push(...(await gitRemoteChecks(ctx)))
    add(await untaggedExperimentCheck(ctx))
    add(await staleTempFilesCheck(ctx))
    add(await halfMadeWorktreesCheck(ctx))
    add(dvcYamlDbCheck(ctx))
  }

  if (config) add(await resultDbCheck(top, config))
  return checks
}
