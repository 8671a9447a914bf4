/**
 * Branch and worktree plumbing, and the fast reads of another worktree (`gitQuick`, a plain git
 * process in that worktree). Existence is read from output.
 */
import {ToolError, XvError} from '../errors.js'
import type {Git} from './git.js'
import {firstGitLine} from './git-failure.js'
import {spawnGit} from './git-runner.js'

/** True when refs/heads/BRANCH exists. */
export async function branchExists(git: Git, branch: string): Promise<boolean> {
  const out = await git.tryRaw(['for-each-ref', '--format=%(refname)', `refs/heads/${branch}`])
  return (out ?? '').split('\n').includes(`refs/heads/${branch}`)
}

/** True when `git check-ref-format --branch NAME` accepts NAME. */
export async function isValidBranchName(git: Git, branch: string): Promise<boolean> {
  const out = await git.tryRaw(['check-ref-format', '--branch', branch])
  return out?.trim() === branch
}

/** The commit a ref names, or undefined when it names none. */
export async function resolveCommit(git: Git, ref: string): Promise<string | undefined> {
  return git.revParse(`${ref}^{commit}`)
}

/** `git worktree add`: on a new branch (`-b BRANCH`) or detached; SIGNAL stops git. */
export async function addWorktree(git: Git, path: string, rev: string, branch?: string, signal?: AbortSignal): Promise<void> {
  const how = branch ? ['-b', branch] : ['--detach']
  const res = await git.exec(['worktree', 'add', '--quiet', ...how, '--', path, rev], {signal})
  if (res.exitCode !== 0) {
    const args = ['worktree', 'add', ...how, '--', path, rev]
    throw new ToolError('git', args, `git worktree add failed: ${firstGitLine(res.stderr)}`, {stderr: res.stderr, exitCode: res.exitCode})
  }
}

export async function removeWorktree(git: Git, path: string, force: boolean): Promise<void> {
  await git.raw(['worktree', 'remove', ...(force ? ['--force', '--force'] : []), '--', path])
}

export async function deleteBranch(git: Git, branch: string): Promise<void> {
  await git.raw(['branch', '-D', '--', branch])
}

export async function pruneWorktrees(git: Git): Promise<void> {
  await git.tryRaw(['worktree', 'prune'])
}

/** Tag names reachable from REV and (when given) not from NOT (one for-each-ref). */
export async function tagsReachable(git: Git, rev: string, not?: string): Promise<string[]> {
  const args = ['for-each-ref', '--format=%(refname:strip=2)', `--merged=${rev}`]
  if (not) args.push(`--no-merged=${not}`)
  const out = await gitQuick(git.cwd, [...args, 'refs/tags'])
  if (out === undefined) throw new XvError(`git for-each-ref failed in ${git.cwd}`)
  return out.split('\n').filter(Boolean)
}

/** Runs git in CWD and returns stdout (undefined when git fails): reads of another worktree. */
export async function gitQuick(cwd: string, args: string[]): Promise<string | undefined> {
  const res = await spawnGit(cwd, args)
  return res.exitCode === 0 ? res.stdout : undefined
}

/** `git status --porcelain` lines of the worktree at ROOT (untracked included), one fast call. */
export async function statusLinesOf(root: string): Promise<string[]> {
  const out = await gitQuick(root, ['status', '--porcelain', '--untracked-files=normal'])
  if (out === undefined) throw new XvError(`git status failed in ${root}`)
  return out.split('\n').filter(Boolean)
}

/** Tracked files of the worktree at ROOT matching pathspecs, one fast call. */
export async function lsFilesOf(root: string, pathspecs: string[]): Promise<string[]> {
  const out = await gitQuick(root, ['ls-files', '-z', '--full-name', '--', ...pathspecs])
  return (out ?? '').split('\0').filter(Boolean)
}

/** Commits reachable from INCLUDE and not from EXCLUDE, each with its parents (one rev-list). */
export async function commitGraph(cwd: string, include: string[], exclude: string[]): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>()
  if (include.length === 0) return graph
  const out = await gitQuick(cwd, ['rev-list', '--parents', ...include, ...exclude.map((e) => `^${e}`), '--'])
  if (out === undefined) throw new XvError('git rev-list failed')
  for (const line of out.split('\n')) {
    const [commit, ...parents] = line.split(' ')
    if (commit) graph.set(commit, parents)
  }

  return graph
}
