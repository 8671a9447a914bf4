/**
 * `xv doctor`'s remote checks: every DVC remote is contacted (bounded by `remoteTimeout` seconds
 * without progress), the default one is asked for every object HEAD and the experiment tags
 * reference; the git remote is asked for the branch and the tags. Never "all good" with a remote
 * down.
 */
import {existsSync, statSync} from 'node:fs'

import {remotesFrom, type RemoteInfo} from '../adapters/dvc-config.js'
import {objectsInRemote} from '../adapters/dvc-remote.js'
import {remoteTimeout} from '../adapters/dvc.js'
import type {RepoContext} from '../context.js'
import {XvError, errorMessage} from '../errors.js'
import {isWritable} from '../fs-access.js'
import type {Check} from './doctor.js'
import {checkRemoteObjects, describeObjects, objectsAt, type ObjectRef} from './remote-objects.js'

function versionsOf(objects: ObjectRef[]): string[] {
  return [...new Set(objects.flatMap((o) => o.labels))].filter((l) => l !== 'HEAD')
}

function unreachable(remote: RemoteInfo, error: unknown): Check {
  const fix = remote.dir !== undefined ? `mkdir -p ${remote.dir} (or: dvc remote modify ${remote.name} url NEW)` : `check the remote's address and credentials: dvc remote modify ${remote.name} …`
  return {name: 'dvc remote', status: 'fail', detail: `${remote.name} → ${remote.url}: ${firstLineOf(errorMessage(error))}`, fix}
}

function firstLineOf(text: string): string {
  return text.split('\n')[0] ?? text
}

/** The default remote with the objects of HEAD and every experiment tag; the others contacted. */
export async function dvcRemoteChecks(ctx: RepoContext): Promise<Check[]> {
  const remotes = remotesFrom(ctx.dvcConfig)
  const fallback = ctx.remote()
  const checks: Check[] = []
  if (!fallback) {
    checks.push({name: 'dvc remote', status: 'warn', detail: 'no default remote: artifacts live only in the local cache', fix: 'xv init --remote PATH_OR_URL'})
  }

  for (const remote of remotes) {
    if (remote.name !== fallback?.name) {
      try {
        await objectsInRemote(ctx.root, remote, [])
        checks.push({name: 'dvc remote', status: 'ok', detail: `${remote.name} → ${remote.url} (reachable)`})
      } catch (error) {
        checks.push(unreachable(remote, error))
      }

      continue
    }

    if (remote.dir !== undefined && existsSync(remote.dir) && statSync(remote.dir).isDirectory() && !isWritable(remote.dir)) {
      checks.push({name: 'dvc remote', status: 'fail', detail: `${remote.name} → ${remote.dir} (not writable)`, fix: `make it writable (or: dvc remote modify ${remote.name} url NEW)`})
      continue
    }

    const tags = await ctx.experimentTags()
    const head = ctx.location.head
    const revs: Array<[string, string]> = [...(head ? [['HEAD', head] as [string, string]] : []), ...tags.map((t): [string, string] => [t.name, t.commit])]
    let objects: ObjectRef[]
    try {
      objects = await objectsAt(ctx, revs)
    } catch (error) {
      checks.push({name: 'dvc remote', status: 'warn', detail: `${remote.name}: cannot list the objects to check: ${errorMessage(error)}`})
      continue
    }

    try {
      const check = await checkRemoteObjects(ctx, remote, objects)
      checks.push({name: 'dvc remote', status: 'ok', detail: `${remote.name} → ${remote.url} (reachable; ${check.checked} object(s) of HEAD and ${tags.length} tag(s) checked)`})
      if (check.lost.length > 0)
        checks.push({
          name: 'objects',
          status: 'fail',
          detail: `${check.lost.length} object(s) in neither the local cache nor remote '${remote.name}': ${describeObjects(check.lost)}`,
          fix: `push them from a machine that has them (xv push ${versionsOf(check.lost).join(' ') || '…'})`,
        })
      if (check.notPushed.length > 0) {
        const versions = versionsOf(check.notPushed)
        checks.push({
          name: 'objects',
          status: 'warn',
          detail: `${check.notPushed.length} object(s) only in the local cache, not in remote '${remote.name}': ${describeObjects(check.notPushed)}`,
          fix: versions.length > 0 ? `xv push ${versions.join(' ')}` : 'dvc push',
        })
      }
    } catch (error) {
      if (!(error instanceof XvError)) throw error
      checks.push(unreachable(remote, error))
    }
  }

  return checks
}

/** The git remote: reachable, the current branch published, the experiment tags on it. */
export async function gitRemoteChecks(ctx: RepoContext): Promise<Check[]> {
  const remotes = await ctx.git.remotes()
  if (remotes.length === 0) return [{name: 'git remote', status: 'warn', detail: 'none: tags stay local', fix: 'git remote add origin URL'}]
  const branch = await ctx.git.currentBranch()
  const upstream = branch ? await ctx.git.upstreamOf(branch) : undefined
  const name = upstream?.remote ?? (remotes.includes('origin') ? 'origin' : (remotes[0] ?? 'origin'))
  let onRemote: Map<string, string>
  try {
    onRemote = await ctx.git.remoteTags(name, remoteTimeout() * 1000)
  } catch (error) {
    return [{name: 'git remote', status: 'fail', detail: `${name} (unreachable: ${errorMessage(error)})`, fix: `check: git ls-remote ${name}`}]
  }

  const checks: Check[] = [{name: 'git remote', status: 'ok', detail: `${name} (reachable)`}]
  if (branch && !upstream)
    checks.push({name: 'branch', status: 'warn', detail: `${branch} is not on ${name} (no upstream): a clone cannot check it out`, fix: 'xv push (publishes the branch with the tags)'})
  else if (branch && upstream) {
    const ahead = await ctx.git.countAhead(`refs/remotes/${upstream.remote}/${upstream.branch}`, 'HEAD')
    if (ahead > 0)
      checks.push({name: 'branch', status: 'warn', detail: `${branch} has ${ahead} commit(s) not on ${upstream.remote}/${upstream.branch}`, fix: 'xv push'})
    else checks.push({name: 'branch', status: 'ok', detail: `${branch} → ${upstream.remote}/${upstream.branch}`})
  }

  const unpushed = (await ctx.experimentTags()).filter((t) => !onRemote.has(t.name)).map((t) => t.name)
  if (unpushed.length > 0)
    checks.push({name: 'tags', status: 'warn', detail: `${unpushed.length} experiment tag(s) not on ${name}: ${unpushed.slice(0, 5).join(', ')}${unpushed.length > 5 ? ', …' : ''}`, fix: 'xv push'})
  return checks
}
