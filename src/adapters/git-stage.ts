/**
 * The tag step's git verbs (execa: stdin pathspecs, a killable commit, timeouts on push): exact
 * staging, index snapshots, undo of a commit, pushing the branch with the tag.
 */
import {XvError} from '../errors.js'
import type {Git} from './git.js'
import {firstGitLine} from './git-failure.js'

export interface StatusEntry {
  /** Two-letter porcelain code ('??' untracked, ' M', 'D ', …). */
  code: string
  path: string
}

/** `git status --porcelain -z` of every changed or untracked file (no rename pairing). */
export async function statusEntries(git: Git): Promise<StatusEntry[]> {
  const res = await git.exec(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames'])
  if (res.exitCode !== 0) throw new XvError(`git status failed: ${firstGitLine(res.stderr)}`)
  return res.stdout
    .split('\0')
    .filter((rec) => rec.length > 3)
    .map((rec) => ({code: rec.slice(0, 2), path: rec.slice(3)}))
}

/** The tree of the current index (`git write-tree`); fails on unmerged paths. */
export async function indexTree(git: Git): Promise<string> {
  const res = await git.exec(['write-tree'])
  if (res.exitCode !== 0) throw new XvError(`the index has unmerged paths (${firstGitLine(res.stderr)}); resolve them before 'xv tag'`)
  return res.stdout.trim()
}

/** Makes the index hold TREE again (the working tree is not touched). */
export async function restoreIndex(git: Git, tree: string): Promise<void> {
  const res = await git.exec(['read-tree', tree])
  if (res.exitCode !== 0) throw new XvError(`git read-tree failed: ${firstGitLine(res.stderr)}`)
}

/** `git add -A -- PATHS` (new, changed and deleted files among exactly these paths). */
export async function stagePaths(git: Git, paths: string[]): Promise<void> {
  if (paths.length === 0) return
  const res = await git.exec(['--literal-pathspecs', 'add', '-A', '--pathspec-from-file=-', '--pathspec-file-nul'], {input: `${paths.join('\0')}\0`})
  if (res.exitCode !== 0) throw new XvError(`git add failed: ${firstGitLine(res.stderr)}`)
}

/** `git reset --soft COMMIT` when HEAD is still EXPECTED (someone else's commit is never undone). */
export async function undoCommit(git: Git, expected: string, previous: string): Promise<void> {
  const res = await git.exec(['update-ref', '-m', 'xv: undo experiment commit', 'HEAD', previous, expected])
  if (res.exitCode !== 0) throw new XvError(`HEAD moved since xv committed (${firstGitLine(res.stderr)})`)
}

/** Remote and remote branch ref of BRANCH's upstream, if one is set. */
export async function upstreamOf(git: Git, branch: string): Promise<{remote: string; ref: string} | undefined> {
  const res = await git.exec(['for-each-ref', '--format=%(upstream:remotename)%00%(upstream:remoteref)', `refs/heads/${branch}`])
  const [remote = '', ref = ''] = res.stdout.trim().split('\0')
  return remote && ref ? {remote, ref} : undefined
}

export interface PushOutcome {
  /** Refspec destinations the remote accepted (or already had). */
  accepted: string[]
  /** Destinations the remote refused, with git's reason. */
  rejected: Array<{ref: string; reason: string}>
  /** Nothing could be sent: the remote was not reached (or timed out). */
  unreachable?: string
}

/** One `git push --porcelain` of several refspecs (with `--set-upstream` when asked). */
export async function pushRefspecs(git: Git, remote: string, refspecs: string[], options: {setUpstream?: boolean; timeoutMs?: number} = {}): Promise<PushOutcome> {
  const args = ['push', '--porcelain', ...(options.setUpstream ? ['--set-upstream'] : []), remote, ...refspecs]
  const res = await git.exec(args, {timeoutMs: options.timeoutMs})
  const outcome: PushOutcome = {accepted: [], rejected: []}
  for (const line of res.stdout.split('\n')) {
    const m = /^([ +\-*=!])\t([^\t]*):([^\t]*)\t?(.*)$/.exec(line)
    if (!m) continue
    const dest = m[3] ?? ''
    if (m[1] === '!') outcome.rejected.push({ref: dest, reason: (m[4] ?? '').replace(/^\[rejected\]\s*/, '').trim() || 'rejected'})
    else outcome.accepted.push(dest)
  }

  if (res.exitCode !== 0 && outcome.accepted.length === 0 && outcome.rejected.length === 0)
    outcome.unreachable = res.timedOut ? `no answer from ${remote} within ${Math.round((options.timeoutMs ?? 0) / 1000)} s` : firstGitLine(res.stderr)
  return outcome
}

/** `git commit` of the index; the process is handed to TRACK so Ctrl-C can stop it. Returns the new HEAD. */
export async function commitIndex(git: Git, message: string, track?: (kill: (signal?: NodeJS.Signals) => void) => () => void): Promise<string> {
  const {execa} = await import('execa')
  const child = execa('git', ['commit', '-q', '-m', message], {cwd: git.cwd, reject: false, stdin: 'ignore'})
  // SIGTERM: git removes its lock files (index.lock) on the way out.
  const forget = track?.((signal: NodeJS.Signals = 'SIGTERM') => child.kill(signal))
  const res = await child.finally(() => forget?.())
  if (res.exitCode !== 0) throw new XvError(`git commit failed: ${firstGitLine(res.stderr || res.stdout)}`)
  return (await git.raw(['rev-parse', 'HEAD'])).trim()
}

/** HEAD's commit and subject, and whether a tag points at it (one log + one for-each-ref). */
export async function headSummary(git: Git): Promise<{commit: string; parent?: string; subject: string; tags: string[]} | undefined> {
  const res = await git.exec(['log', '-1', '--format=%H%x00%P%x00%s', 'HEAD', '--'])
  if (res.exitCode !== 0) return undefined
  const [commit = '', parents = '', subject = ''] = res.stdout.trim().split('\0')
  const tags = await git.exec(['tag', '--points-at', commit])
  return {commit, parent: parents.split(' ')[0] || undefined, subject, tags: tags.stdout.split('\n').filter(Boolean)}
}
