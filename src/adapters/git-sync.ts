/**
 * Synchronous git reads for shell completion (`xv __complete`), run with plain child_process: no
 * simple-git or execa module graph to load, so completion answers in well under 0.3 s. A failure
 * (not a repository, git missing) reads as empty: completion offers nothing rather than an error.
 */
import {execFileSync} from 'node:child_process'

function gitSync(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024})
  } catch {
    return ''
  }
}

/** Tag names under PATTERN (`refs/tags/e1*`), ref names only (no tag object is read). */
export function tagNamesSync(cwd: string, pattern: string): string[] {
  return gitSync(cwd, ['for-each-ref', '--format=%(refname:lstrip=2)', pattern]).split('\n').filter(Boolean)
}

/** The paths of the repository's worktrees (main first). */
export function worktreePathsSync(cwd: string): string[] {
  return gitSync(cwd, ['worktree', 'list', '--porcelain'])
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => line.slice('worktree '.length))
}

/** The root of the worktree CWD is in, or undefined outside a repository. */
export function topLevelSync(cwd: string): string | undefined {
  return gitSync(cwd, ['rev-parse', '--show-toplevel']).trim() || undefined
}
