/**
 * The one place xv talks to git: the `Git` class and its named verbs. Argument arrays only (never a
 * shell string). Two runners (git-runner.ts) with one failure rule — a non-zero exit is a failure,
 * whatever git printed, and becomes a `ToolError` carrying git's first error line:
 *  - simple-git (the project's git library, loaded on first use) serves `raw`/`tryRaw`, the verbs a
 *    command runs once or twice (commits, tags, remotes, worktrees, init, doctor);
 *  - git as a plain child process serves `read`/`run` — the start-up reads of every command and of
 *    `xv run` (locate, listTags, the claim/branch/status reads of a run) — and `exec`: stdin input,
 *    timeouts for remote operations, an abort signal, and verbs whose output may be empty
 *    (simple-git waits ~50 ms after a process that printed nothing). No process library to load.
 * `cat-file --batch` (catFileBatch) is one process for many objects; streamed blobs use execa
 * (git-objects.ts). Shell completion's synchronous reads are plain child processes too (git-sync.ts).
 * The class is built in layers so no file is a hub: GitRunner (runners) →
 * GitObjects (refs and objects) → Git (everyday verbs). Free functions taking a `Git` are verbs
 * too, grouped by concept in their own modules (git-index, git-paths, git-reachable, git-read,
 * git-stage, git-worktrees) and imported from there, so a command loads only the verbs it uses.
 */
import {dirname, isAbsolute, resolve} from 'node:path'

import {XvError} from '../errors.js'
import {FIELD, firstGitLine, RECORD} from './git-failure.js'
import {GitObjects} from './git-objects.js'
import {noteLocated, prefetchGit} from './git-runner.js'

/** The one for-each-ref that lists every tag with what xv shows of it (`listTags`). */
export const TAG_LIST_ARGS: readonly string[] = [
  'for-each-ref',
  // %(object) (the tagged object, read from the tag itself) is cheaper than peeling with %(*objectname).
  `--format=${['%(refname:strip=2)', '%(objecttype)', '%(object)', '%(objectname)', '%(creatordate:iso-strict)', '%(taggername)', '%(contents:subject)'].join(FIELD)}${RECORD}`,
  'refs/tags',
]

/** locate's one read in the common case (a repository with a commit). */
const LOCATE_ARGS: readonly string[] = ['rev-parse', '--show-toplevel', '--git-common-dir', '--verify', 'HEAD^{commit}']

export interface RepoLocation {
  /** Root of the worktree the command runs in. */
  root: string
  /** Root of the main worktree (where the shared `.git` lives). */
  mainRoot: string
  /** Absolute path of the common git dir. */
  commonDir: string
  /** HEAD commit, or undefined in a repository with no commit. */
  head?: string
}

export interface TagRef {
  name: string
  /** 'tag' for annotated tags, 'commit' for lightweight ones. */
  type: string
  commit: string
  date: string
  subject: string
  tagger: string
}

export interface WorktreeRecord {
  path: string
  head?: string
  branch?: string
  detached: boolean
  bare: boolean
  prunable: boolean
}


export class Git extends GitObjects {
  /** Finds the repository around cwd; fails with one line outside a repository. */
  static async locate(cwd: string): Promise<RepoLocation> {
    const git = new Git(cwd)
    // One git call in the common case (a repository with a commit), two otherwise.
    const withHead = await git.read([...LOCATE_ARGS])
    const out = withHead ?? (await git.read(['rev-parse', '--show-toplevel', '--git-common-dir']))
    if (out === undefined)
      throw new XvError(`not inside a git repository (${cwd}); run 'xv init' to create one, or cd into your project`)
    const [top, common = '.git', headLine] = out.trim().split('\n')
    if (!top || top.startsWith('fatal')) throw new XvError('not inside a git work tree; xv needs a checkout, not a bare repository')
    const commonDir = isAbsolute(common) ? common : resolve(cwd, common)
    const mainRoot = commonDir.endsWith('/.git') ? dirname(commonDir) : top
    noteLocated(top, cwd)
    const head = withHead !== undefined && /^[0-9a-f]{40,64}$/.test(headLine ?? '') ? headLine : undefined
    return {root: top, mainRoot, commonDir, head}
  }

  async revParse(rev: string): Promise<string | undefined> {
    const out = await this.tryRaw(['rev-parse', '--verify', '-q', '--end-of-options', rev])
    return out?.trim() || undefined
  }

  /** Every tag under refs/tags in one for-each-ref call. */
  /** Starts the reads of locate and listTags in CWD now (bin/run.js, before `xv list` loads); they take them. */
  static prefetchTags(cwd: string): void {
    prefetchGit(cwd, LOCATE_ARGS)
    prefetchGit(cwd, TAG_LIST_ARGS)
  }

  async listTags(): Promise<TagRef[]> {
    const out = await this.run([...TAG_LIST_ARGS])
    const tags: TagRef[] = []
    for (const rec of out.split(RECORD)) {
      const line = rec.startsWith('\n') ? rec.slice(1) : rec
      if (!line) continue
      const f = line.split(FIELD) // indexed, not destructured: 10,000 lines
      const type = f[1] ?? ''
      tags.push({name: f[0] ?? '', type, commit: (type === 'tag' ? f[2] : f[3]) ?? '', date: f[4] ?? '', tagger: f[5] ?? '', subject: f[6] ?? ''})
    }

    return tags
  }

  async tagExists(name: string): Promise<boolean> {
    const out = await this.tryRaw(['for-each-ref', '--format=%(refname)', `refs/tags/${name}`])
    return (out ?? '').split('\n').includes(`refs/tags/${name}`)
  }

  async createAnnotatedTag(name: string, message: string, rev = 'HEAD'): Promise<void> {
    // NAME is a validated version (never starts with '-'); the message is one argument.
    await this.raw(['tag', '-a', '-m', message, name, rev])
  }

  async deleteTag(name: string): Promise<void> {
    await this.raw(['tag', '-d', name])
  }

  async addAll(): Promise<void> {
    await this.raw(['add', '-A'])
  }

  async hasStagedChanges(): Promise<boolean> {
    const out = await this.raw(['diff', '--cached', '--name-only'])
    return out.trim().length > 0
  }

  async commit(message: string): Promise<string> {
    await this.raw(['commit', '-q', '-m', message])
    return (await this.raw(['rev-parse', 'HEAD'])).trim()
  }

  /** `git status --porcelain` lines (untracked included). */
  async statusLines(): Promise<string[]> {
    const out = await this.raw(['status', '--porcelain', '--untracked-files=normal'])
    return out.split('\n').filter(Boolean)
  }

  async remotes(): Promise<string[]> {
    const out = await this.raw(['remote'])
    return out.split('\n').map((s) => s.trim()).filter(Boolean)
  }

  /** Tag names present on a remote (one ls-remote). */
  async remoteTags(remote: string, timeoutMs?: number): Promise<Map<string, string>> {
    const tags = new Map<string, string>()
    for (const [ref, sha] of await this.remoteRefs(remote, ['refs/tags/*'], timeoutMs))
      if (ref.startsWith('refs/tags/')) tags.set(ref.slice('refs/tags/'.length), sha)
    return tags
  }

  /** Full ref name → object of the remote's refs matching PATTERNS (one ls-remote, no peeled entries). */
  async remoteRefs(remote: string, patterns: string[], timeoutMs?: number): Promise<Map<string, string>> {
    const args = ['ls-remote', '--refs', remote, ...patterns]
    let out: string
    if (timeoutMs === undefined) out = await this.raw(args)
    else {
      // Bounded: a remote that does not answer (ssh, http) costs timeoutMs, not forever.
      const res = await this.exec(args, {timeoutMs})
      if (res.timedOut) throw new XvError(`git ls-remote ${remote} gave up after ${String(timeoutMs / 1000)} s (the remote is not answering)`)
      if (res.exitCode !== 0) throw new XvError(`git ls-remote ${remote} failed: ${firstGitLine(res.stderr)}`)
      out = res.stdout
    }

    const refs = new Map<string, string>()
    for (const line of out.split('\n')) {
      const [sha = '', ref] = line.split('\t')
      if (ref) refs.set(ref, sha)
    }

    return refs
  }

  async pushTags(remote: string, tags: string[]): Promise<void> {
    if (tags.length === 0) return
    await this.raw(['push', '-q', remote, ...tags.map((t) => `refs/tags/${t}:refs/tags/${t}`)])
  }

  /** True when the repository has at least one tag (one cheap for-each-ref). */
  async hasAnyTag(): Promise<boolean> {
    const res = await this.exec(['for-each-ref', '--count=1', '--format=x', 'refs/tags'])
    return res.exitCode === 0 && res.stdout.trim() !== ''
  }

  /** Commits reachable from HEAD_REV but not from BASE (0 when BASE does not exist). */
  async countAhead(base: string, headRev: string): Promise<number> {
    const res = await this.exec(['rev-list', '--count', `${base}..${headRev}`, '--'])
    return res.exitCode === 0 ? Number(res.stdout.trim()) || 0 : 0
  }

  /** Commits of HEAD its branch's upstream lacks; undefined when there is no upstream. */
  async aheadOfUpstream(): Promise<number | undefined> {
    const res = await this.exec(['rev-list', '--count', '@{upstream}..HEAD', '--'])
    return res.exitCode === 0 ? Number(res.stdout.trim()) : undefined
  }

  /** Untracked files (ignored ones included; a wholly untracked folder as one "dir/" entry), relative to the root. */
  async untrackedFiles(): Promise<string[]> {
    const res = await this.exec(['ls-files', '--others', '--directory', '--no-empty-directory', '-z', '--full-name', '--', ':/'])
    return res.exitCode === 0 ? res.stdout.split('\0').filter(Boolean) : []
  }

  /** The branch HEAD is on, or undefined when detached (or on an unborn branch). */
  async currentBranch(): Promise<string | undefined> {
    const res = await this.exec(['symbolic-ref', '-q', '--short', 'HEAD'])
    const name = res.stdout.trim()
    return res.exitCode === 0 && name ? name : undefined
  }

  /** The upstream of BRANCH as {remote, branch}, if one is set. */
  async upstreamOf(branch: string): Promise<{remote: string; branch: string} | undefined> {
    const res = await this.exec(['for-each-ref', '--format=%(upstream:remotename)%00%(upstream:short)', `refs/heads/${branch}`])
    const [remote, short] = res.stdout.trim().split('\0')
    if (!remote || !short) return undefined
    return {remote, branch: short.startsWith(`${remote}/`) ? short.slice(remote.length + 1) : short}
  }

  /**
   * One `git push` of BRANCH (to REMOTE_BRANCH, setting the upstream when asked) and TAGS. Fails
   * with git's first error line (a rejected branch names the fix).
   */
  /** Pushes the branch and TAGS in one push, deleting the remote's refs REMOVE (full names) in the same push. */
  async pushBranchAndTags(remote: string, branch: {local: string; remote: string; setUpstream: boolean} | undefined, tags: string[], remove: string[] = []): Promise<void> {
    const refspecs = [
      ...(branch ? [`refs/heads/${branch.local}:refs/heads/${branch.remote}`] : []),
      ...tags.map((t) => `refs/tags/${t}:refs/tags/${t}`),
      ...remove.map((ref) => `:${ref}`),
    ]
    if (refspecs.length === 0) return
    const res = await this.exec(['push', '--porcelain', ...(branch?.setUpstream ? ['--set-upstream'] : []), remote, ...refspecs])
    if (res.exitCode === 0) return
    if (branch && /\[rejected\].*refs\/heads\//.test(res.stdout))
      throw new XvError(`git push of branch ${branch.local} to ${remote} was rejected (the remote has commits this branch lacks); run 'git pull --rebase ${remote} ${branch.remote}', then 'xv push' again`)
    throw new XvError(`git push to ${remote} failed: ${firstGitLine(res.stderr) || firstGitLine(res.stdout)}`)
  }

  /** Tracked files (index) matching pathspecs, relative to the repository root. */
  async lsFiles(pathspecs: string[]): Promise<string[]> {
    const out = await this.run(['ls-files', '-z', '--full-name', '--', ...pathspecs]) // often empty: no simple-git wait
    return out.split('\0').filter(Boolean)
  }

  async worktrees(): Promise<WorktreeRecord[]> {
    const out = await this.raw(['worktree', 'list', '--porcelain'])
    const records: WorktreeRecord[] = []
    for (const block of out.split('\n\n')) {
      const lines = block.split('\n').filter(Boolean)
      if (lines.length === 0) continue
      const rec: WorktreeRecord = {path: '', detached: false, bare: false, prunable: false}
      for (const line of lines) {
        const [key, ...rest] = line.split(' ')
        const value = rest.join(' ')
        if (key === 'worktree') rec.path = value
        else if (key === 'HEAD') rec.head = value
        else if (key === 'branch') rec.branch = value.replace(/^refs\/heads\//, '')
        else if (key === 'detached') rec.detached = true
        else if (key === 'bare') rec.bare = true
        else if (key === 'prunable') rec.prunable = true
      }

      records.push(rec)
    }

    return records
  }

  // ---- reads and writes of init, doctor, provenance and the tag step (once per command) --

  /** `git --version`, or undefined when git cannot run. */
  async version(): Promise<string | undefined> {
    return (await this.tryRaw(['--version']))?.trim()
  }

  /** Root of the worktree around cwd, or undefined outside one. */
  async topLevel(): Promise<string | undefined> {
    return (await this.tryRaw(['rev-parse', '--show-toplevel']))?.trim() || undefined
  }

  /** True when cwd is inside a `.git` directory (git's own data). */
  async isInsideGitDir(): Promise<boolean> {
    return (await this.tryRaw(['rev-parse', '--is-inside-git-dir']))?.trim() === 'true'
  }

  /** `git var GIT_AUTHOR_IDENT` (name <email> time), or undefined when git knows no author. */
  async authorIdent(): Promise<string | undefined> {
    return this.tryRaw(['var', 'GIT_AUTHOR_IDENT'])
  }

  /** `git checkout HEAD -- PATH`: the index and working copy of PATH as HEAD has it. */
  async restoreFromHead(path: string): Promise<void> {
    await this.raw(['checkout', 'HEAD', '--', path])
  }

  /** `git reset -q -- PATHS`: the index of PATHS as HEAD has it (the working copy is left alone). */
  async unstage(paths: string[]): Promise<void> {
    await this.raw(['reset', '-q', '--', ...paths])
  }

  /** `git init` in cwd. */
  async init(): Promise<void> {
    await this.raw(['init', '-q'])
  }

  /** Paths whose staged content differs from HEAD. */
  async stagedPaths(): Promise<string[]> {
    return (await this.raw(['diff', '--cached', '--name-only', '-z'])).split('\0').filter(Boolean)
  }

  /** The object id git gives the file at PATH (nothing is written). */
  async hashFile(path: string): Promise<string> {
    return (await this.raw(['hash-object', '--', path])).trim()
  }

  /** Every ref under PREFIXES with the object it points at; `head`: the branch this worktree is on (one for-each-ref). */
  async refsUnder(prefixes: string[]): Promise<Array<{ref: string; oid: string; head: boolean}>> {
    const out = await this.run(['for-each-ref', '--format=%(refname) %(objectname) %(HEAD)', ...prefixes]) // on xv run's start-up path
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [ref = '', oid = '', head] = line.split(' ')
        return {ref, oid, head: head === '*'}
      })
  }

  /** Name (without PREFIX) and subject of every tag under refs/tags/PREFIX (one for-each-ref). */
  async tagSubjects(prefix: string): Promise<Array<{name: string; subject: string}>> {
    const out = await this.run(['for-each-ref', '--format=%(refname:strip=2)%00%(contents:subject)', `refs/tags/${prefix}`]) // on best's start-up path
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name = '', subject = ''] = line.split('\0')
        return {name: name.slice(prefix.length), subject}
      })
  }

  /** Files changed from A to B (or the working tree) under PATHSPECS; line counts are undefined for binary files. */
  async numstat(a: string, b: string | undefined, pathspecs: string[]): Promise<Array<{path: string; insertions?: number; deletions?: number}>> {
    const out = await this.raw(['diff', '--numstat', '-z', '--no-renames', a, ...(b ? [b] : []), '--', ...pathspecs])
    const files: Array<{path: string; insertions?: number; deletions?: number}> = []
    for (const rec of out.split('\0')) {
      const m = /^(\d+|-)\t(\d+|-)\t(.+)$/s.exec(rec.replace(/^\n/, ''))
      if (!m) continue
      const [, add = '-', del = '-', path = ''] = m
      files.push(add === '-' ? {path} : {path, insertions: Number(add), deletions: Number(del)})
    }

    return files
  }

  /** `git status --porcelain` lines under PATHSPECS, every untracked file listed (run beside a diff). */
  async statusUnder(pathspecs: string[]): Promise<string[]> {
    const res = await this.exec(['status', '--porcelain', '--untracked-files=all', '--', ...pathspecs])
    return res.stdout.split('\n').filter(Boolean)
  }

  /** `git diff HEAD --binary` under PATHSPECS (empty when it fails). */
  async diffFromHead(pathspecs: string[]): Promise<string> {
    const res = await this.exec(['diff', 'HEAD', '--binary', '--', ...pathspecs])
    return res.stdout
  }
}

