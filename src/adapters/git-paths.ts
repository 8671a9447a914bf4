/**
 * Status and commit of exactly some paths (the model registry's `models/`), whatever else the
 * user has staged. execa (`run`): these print nothing on success, where simple-git would wait.
 */
import {ToolError} from '../errors.js'
import type {Git} from './git.js'
import {firstGitLine} from './git-failure.js'

/** `git status --porcelain` lines under PATHSPECS (untracked files and folders included). */
export async function statusOfPaths(git: Git, pathspecs: string[]): Promise<Array<{code: string; path: string}>> {
  const out = await git.run(['status', '--porcelain=v1', '-z', '--untracked-files=normal', '--no-renames', '--', ...pathspecs])
  return out
    .split('\0')
    .filter((rec) => rec.length > 3)
    .map((rec) => ({code: rec.slice(0, 2), path: rec.slice(3)}))
}

/**
 * Stages PATHS (new, changed, deleted) and commits them alone (`git commit -- PATHS`): the rest of
 * the index stays as the user left it. Returns the new HEAD, or undefined when PATHS hold no change.
 */
export async function commitPaths(git: Git, message: string, paths: string[]): Promise<string | undefined> {
  await git.run(['add', '-A', '--', ...paths])
  const args = ['commit', '-q', '-m', message, '--', ...paths]
  const res = await git.exec(args)
  if (res.exitCode !== 0) {
    // Nothing to commit is not a failure (asked only then: the common case costs no extra git).
    if ((await git.run(['diff', '--cached', '--name-only', '-z', '--', ...paths])) === '') return undefined
    throw new ToolError('git', args, `git commit failed: ${firstGitLine(res.stderr || res.stdout)}`, {stderr: res.stderr, exitCode: res.exitCode})
  }

  return (await git.run(['rev-parse', 'HEAD'])).trim()
}
