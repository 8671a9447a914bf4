/**
 * Throwaway repositories for tests: real git with an identity, real DVC initialised, a local DVC
 * remote directory and a bare git remote. Nothing is mocked.
 */
import {execFileSync} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {execa} from 'execa'

export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..')
export const XV_BIN = join(PROJECT_ROOT, 'bin', 'run.js')
export const VENV_PYTHON = join(PROJECT_ROOT, '.venv', 'bin', 'python')

export interface TestRepo {
  /** The temporary parent directory (holds repo/, remote/, origin.git, …); removed by cleanup(). */
  base: string
  root: string
  dvcRemote: string
  gitRemote: string
  git: (...args: string[]) => string
  dvc: (...args: string[]) => string
  write: (path: string, content: string | Buffer) => string
  cleanup: () => void
}

export interface RepoOptions {
  /** dvc init (default true). */
  dvc?: boolean
  /** A local DVC remote as the default remote (default true). */
  dvcRemote?: boolean
  /** A bare git repository as `origin` (default true). */
  gitRemote?: boolean
  /** Make a first commit (default true). */
  commit?: boolean
  /** Write templates/xv.yaml through `xv init`-like config (default: no xv.yaml). */
  xvYaml?: string
}

export function tempDir(prefix = 'xv-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** The TestRepo functions over an existing BASE (holding repo/, origin.git, …). */
function repoAt(base: string): TestRepo {
  const root = join(base, 'repo')
  const git = (...args: string[]) => execFileSync('git', args, {cwd: root, encoding: 'utf8'})
  const dvc = (...args: string[]) => execFileSync('dvc', args, {cwd: root, encoding: 'utf8'})
  const write = (path: string, content: string | Buffer) => {
    const abs = join(root, path)
    mkdirSync(dirname(abs), {recursive: true})
    writeFileSync(abs, content)
    return abs
  }

  return {base, root, dvcRemote: join(base, 'dvc-remote'), gitRemote: join(base, 'origin.git'), git, dvc, write, cleanup: () => rmSync(base, {recursive: true, force: true})}
}

/**
 * A copy of a fixture repository (its folder with the remotes beside it), so that tests can share
 * one expensive fixture and still change theirs; origin is pointed at the copy's own origin.git.
 * (DVC remotes recorded relative, as `xv init --remote ../store` does, follow the copy.)
 */
export function copyRepo(repo: TestRepo): TestRepo {
  const copy = repoAt(tempDir())
  cpSync(repo.base, copy.base, {recursive: true, verbatimSymlinks: true})
  if (existsSync(copy.gitRemote)) copy.git('remote', 'set-url', 'origin', copy.gitRemote)
  return copy
}

export function makeRepo(options: RepoOptions = {}): TestRepo {
  const base = tempDir()
  const {root, dvcRemote, gitRemote, git, dvc, write} = repoAt(base)
  mkdirSync(root)

  git('init', '-q', '-b', 'main')
  if (options.dvc !== false) {
    dvc('init', '-q')
    if (options.dvcRemote !== false) {
      mkdirSync(dvcRemote)
      dvc('remote', 'add', '-d', 'storage', dvcRemote)
    }
  }

  if (options.gitRemote !== false) {
    execFileSync('git', ['init', '-q', '--bare', gitRemote])
    git('remote', 'add', 'origin', gitRemote)
  }

  if (options.xvYaml !== undefined) write('xv.yaml', options.xvYaml)
  if (options.commit !== false) {
    write('README.md', '# sample project\n')
    git('add', '-A')
    git('commit', '-q', '-m', 'initial')
  }

  return {base, root, dvcRemote, gitRemote, git, dvc, write, cleanup: () => rmSync(base, {recursive: true, force: true})}
}

export interface XvResult {
  stdout: string
  stderr: string
  exitCode: number
}

/** Runs the built xv CLI as a user would. */
export async function xv(cwd: string, args: string[], env: Record<string, string> = {}): Promise<XvResult> {
  const res = await execa('node', [XV_BIN, ...args], {cwd, reject: false, env: {NO_COLOR: '1', ...env}, stdin: 'ignore'})
  return {stdout: String(res.stdout), stderr: String(res.stderr), exitCode: res.exitCode ?? 1}
}

/** Runs a Python snippet with the project's .venv (xetrack and dvc installed there). */
export function python(cwd: string, code: string): string {
  return execFileSync(VENV_PYTHON, ['-c', code], {cwd, encoding: 'utf8'})
}

/** A snapshot of everything git knows about a repo: refs, HEAD, index and worktree status. */
export function repoState(repo: TestRepo): string {
  return [
    repo.git('for-each-ref', '--format=%(refname) %(objectname)'),
    repo.git('rev-parse', 'HEAD'),
    repo.git('status', '--porcelain', '--untracked-files=all'),
  ].join('\n---\n')
}
