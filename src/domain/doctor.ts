/**
 * `xv doctor`: what is installed, how the repository is set up, and for every problem the
 * command that fixes it.
 */
import {existsSync} from 'node:fs'
import {join, relative} from 'node:path'

import {INSTALL_HINT, dvcVersion, findDvc, isDvcRepo} from '../adapters/dvc.js'
import {Git} from '../adapters/git.js'
import {describeTables, openDb} from '../adapters/sqlite.js'
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


export async function runDoctor(cwd: string): Promise<Check[]> {
  const checks: Check[] = []
  const add = (c: Check) => checks.push(c)

  const gitVersion = (await new Git(cwd).tryRaw(['--version']))?.trim()
  add(gitVersion ? {name: 'git', status: 'ok', detail: gitVersion} : {name: 'git', status: 'fail', detail: 'not found', fix: 'install git (apt-get install git)'})
  const dvcBin = findDvc()
  const version = dvcBin ? await dvcVersion() : undefined
  add(
    version
      ? {name: 'dvc', status: version.startsWith('3.') ? 'ok' : 'warn', detail: `${version} (${dvcBin})`, fix: version.startsWith('3.') ? undefined : 'xv is tested with DVC 3.x'}
      : {name: 'dvc', status: 'fail', detail: 'not found', fix: INSTALL_HINT},
  )

  const git = new Git(cwd)
  const top = (await git.tryRaw(['rev-parse', '--show-toplevel']))?.trim()
  if (!top) {
    add({name: 'repository', status: 'fail', detail: `${cwd} is not inside a git repository`, fix: 'xv init'})
    return checks
  }

  const head = await git.tryRaw(['rev-parse', '--verify', '-q', 'HEAD'])
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
  if (!isDvcRepo(top)) {
    add({name: 'dvc repo', status: 'fail', detail: 'DVC is not initialised here', fix: 'xv init'})
  } else if (ctx) {
    add({name: 'dvc repo', status: 'ok', detail: '.dvc/ present'})
    const cache = ctx.cacheDir
    const inside = !relative(top, cache).startsWith('..')
    const exists = existsSync(cache)
    add({
      name: 'cache',
      status: exists && !isWritable(cache) ? 'fail' : 'ok',
      detail: `${cache}${inside ? ' (this worktree only)' : ' (shared)'}${exists ? '' : ' (created on first dvc add)'}`,
      fix: exists && !isWritable(cache) ? `make it writable or point elsewhere: dvc cache dir --local DIR` : undefined,
    })
    const linkType = ctx.dvcConfig.cache?.type
    add({name: 'link type', status: 'ok', detail: linkType ? linkType : 'DVC default (reflink, copy)'})
    for (const c of await dvcRemoteChecks(ctx)) add(c)
  }

  if (ctx) {
    for (const c of await gitRemoteChecks(ctx)) add(c)
    const untagged = await untaggedExperimentCheck(ctx)
    if (untagged) add(untagged)
    add(await staleTempFilesCheck(ctx))
    add(await halfMadeWorktreesCheck(ctx))
    const dvcYaml = dvcYamlDbCheck(ctx)
    if (dvcYaml) add(dvcYaml)
  }

  if (config) {
    const dbPath = join(top, config.db)
    if (!existsSync(dbPath)) add({name: 'result db', status: 'warn', detail: `${config.db} not found yet`})
    else {
      try {
        const db = openDb(dbPath, {readonly: true, label: config.db})
        try {
          const tables = describeTables(db)
          const choice = chooseResultTable(tables, {table: config.table, versionColumn: config.versionColumn}, config.db)
          add({name: 'result db', status: choice ? 'ok' : 'warn', detail: choice ? `${config.db}: table '${choice.table}', version column '${choice.versionColumn}'` : `${config.db}: no table with a version column`, fix: choice ? undefined : `set table/versionColumn in ${CONFIG_FILE}`})
        } finally {
          db.close()
        }
      } catch (error) {
        add({name: 'result db', status: 'fail', detail: errorMessage(error), fix: `check ${config.db}`})
      }
    }
  }

  return checks
}
