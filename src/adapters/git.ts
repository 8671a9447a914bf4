/**
 * The one place xv talks to git: the `Git` class and its named verbs. Argument arrays only (never a
 * shell string). Two runners behind one failure rule — a non-zero exit is a failure, whatever git
 * printed, and it becomes a `ToolError` carrying git's first error line:
 *  - simple-git (the project's git library) serves most verbs (`raw`/`tryRaw`);
 *  - execa (`exec`) serves the hot or special paths: reads made many times per command (simple-git
 *    waits ~50 ms after a process that printed nothing), stdin input (hash-object, cat-file --batch),
 *    timeouts for remote operations, and streamed blobs.
 */
import {spawn} from 'node:child_process'
import {createWriteStream, readFileSync, statSync} from 'node:fs'
import {dirname, isAbsolute, join, resolve} from 'node:path'
import {pipeline} from 'node:stream/promises'
import {simpleGit, type SimpleGit} from 'simple-git'

import {ToolError, XvError} from '../errors.js'

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

const FIELD = '\u001f'
const RECORD = '\u001e'

function firstGitLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean)
  const fatal = lines.find((l) => l.startsWith('fatal:') || l.startsWith('error:'))
  return (fatal ?? lines[0] ?? 'no message').replace(/^(fatal|error):\s*/, '')
}

function gitFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean)
  const fatal = lines.find((l) => l.startsWith('fatal:') || l.startsWith('error:'))
  return (fatal ?? lines[0] ?? message).replace(/^(fatal|error):\s*/, '')
}

export class Git {
  readonly cwd: string
  private readonly sg: SimpleGit

  constructor(cwd: string) {
    this.cwd = cwd
    // A non-zero exit is a failure even when git printed nothing on stderr (simple-git's default
    // treats that as success).
    this.sg = simpleGit({
      baseDir: cwd,
      trimmed: false,
      errors: (error, result) => {
        if (result.exitCode === 0) return undefined
        return error ?? Buffer.concat([...result.stdErr, ...result.stdOut])
      },
    })
  }

  /** Runs git with an argument array and returns stdout. */
  async raw(args: string[]): Promise<string> {
    try {
      return await this.sg.raw(args)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      throw new ToolError('git', args, `git ${args[0] ?? ''} failed: ${gitFailure(error)}`, {stderr: message})
    }
  }

  /** Like raw, but returns undefined when git exits non-zero. */
  async tryRaw(args: string[]): Promise<string | undefined> {
    try {
      return await this.sg.raw(args)
    } catch {
      return undefined
    }
  }

  /** Finds the repository around cwd; fails with one line outside a repository. */
  static async locate(cwd: string): Promise<RepoLocation> {
    const git = new Git(cwd)
    // One git call in the common case (a repository with a commit), two otherwise.
    const withHead = await git.tryRaw(['rev-parse', '--show-toplevel', '--git-common-dir', '--verify', 'HEAD^{commit}'])
    const out = withHead ?? (await git.tryRaw(['rev-parse', '--show-toplevel', '--git-common-dir']))
    if (out === undefined)
      throw new XvError(`not inside a git repository (${cwd}); run 'xv init' to create one, or cd into your project`)
    const [top, common, headLine] = out.trim().split('\n')
    if (!top || top.startsWith('fatal')) throw new XvError('not inside a git work tree; xv needs a checkout, not a bare repository')
    const commonDir = isAbsolute(common) ? common : resolve(cwd, common)
    const mainRoot = commonDir.endsWith('/.git') ? dirname(commonDir) : top
    const head = withHead !== undefined && /^[0-9a-f]{40,64}$/.test(headLine ?? '') ? headLine : undefined
    return {root: top, mainRoot, commonDir, head}
  }

  async revParse(rev: string): Promise<string | undefined> {
    const out = await this.tryRaw(['rev-parse', '--verify', '-q', '--end-of-options', rev])
    return out?.trim() || undefined
  }

  /** Every tag under refs/tags in one for-each-ref call. */
  async listTags(): Promise<TagRef[]> {
    // %(object) (the tagged object, read from the tag itself) is cheaper than peeling with %(*objectname).
    const format = [
      '%(refname:strip=2)',
      '%(objecttype)',
      '%(object)',
      '%(objectname)',
      '%(creatordate:iso-strict)',
      '%(taggername)',
      '%(contents:subject)',
    ].join(FIELD)
    const out = await this.raw(['for-each-ref', `--format=${format}${RECORD}`, 'refs/tags'])
    const tags: TagRef[] = []
    for (const rec of out.split(RECORD)) {
      const line = rec.startsWith('\n') ? rec.slice(1) : rec
      if (!line) continue
      const [name, type, object, objectname, date, tagger, subject] = line.split(FIELD)
      tags.push({name, type, commit: type === 'tag' ? object : objectname, date, tagger, subject: subject ?? ''})
    }

    return tags
  }

  async tagExists(name: string): Promise<boolean> {
    // simple-git resolves a failing git that printed nothing, so existence is read from the output.
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

  async add(paths: string[]): Promise<void> {
    if (paths.length > 0) await this.raw(['add', '--', ...paths])
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
    let out: string
    if (timeoutMs === undefined) out = await this.raw(['ls-remote', '--tags', '--refs', remote])
    else {
      // Bounded: a remote that does not answer (ssh, http) costs timeoutMs, not forever.
      const res = await this.exec(['ls-remote', '--tags', '--refs', remote], {timeoutMs})
      if (res.timedOut) throw new XvError(`git ls-remote ${remote} gave up after ${String(timeoutMs / 1000)} s (the remote is not answering)`)
      if (res.exitCode !== 0) throw new XvError(`git ls-remote ${remote} failed: ${firstGitLine(res.stderr)}`)
      out = res.stdout
    }

    const tags = new Map<string, string>()
    for (const line of out.split('\n')) {
      const [sha, ref] = line.split('\t')
      if (ref?.startsWith('refs/tags/')) tags.set(ref.slice('refs/tags/'.length), sha)
    }

    return tags
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
  async pushBranchAndTags(remote: string, branch: {local: string; remote: string; setUpstream: boolean} | undefined, tags: string[]): Promise<void> {
    const refspecs = [
      ...(branch ? [`refs/heads/${branch.local}:refs/heads/${branch.remote}`] : []),
      ...tags.map((t) => `refs/tags/${t}:refs/tags/${t}`),
    ]
    if (refspecs.length === 0) return
    const res = await this.exec(['push', '--porcelain', ...(branch?.setUpstream ? ['--set-upstream'] : []), remote, ...refspecs])
    if (res.exitCode === 0) return
    if (branch && /\[rejected\].*refs\/heads\//.test(res.stdout))
      throw new XvError(`git push of branch ${branch.local} to ${remote} was rejected (the remote has commits this branch lacks); run 'git pull --rebase ${remote} ${branch.remote}', then 'xv push' again`)
    throw new XvError(`git push to ${remote} failed: ${firstGitLine(res.stderr) || firstGitLine(res.stdout)}`)
  }

  /** Content of PATH at REV as a buffer, or undefined when absent. */
  async showFile(rev: string, path: string): Promise<Buffer | undefined> {
    try {
      const {execa} = await import('execa')
      const out = await execa('git', ['cat-file', 'blob', `${rev}:${path}`], {
        cwd: this.cwd,
        encoding: 'buffer',
        stripFinalNewline: false,
      })
      return Buffer.from(out.stdout)
    } catch {
      return undefined
    }
  }

  /** Object id and type of REV:PATH, or undefined when PATH does not exist at REV. */
  async objectAt(rev: string, path: string): Promise<{oid: string; type: string; size: number} | undefined> {
    try {
      const {execa} = await import('execa')
      const res = await execa('git', ['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], {
        cwd: this.cwd,
        input: `${rev}:${path}\n`,
      })
      const [oid, type, size] = res.stdout.trim().split(' ')
      if (type === 'missing' || !size) return undefined
      return {oid, type, size: Number(size)}
    } catch {
      return undefined
    }
  }

  /** Streams a blob into a file; returns the bytes written. */
  async writeBlob(oid: string, dest: string, onChunk?: (chunk: Buffer) => void): Promise<number> {
    const {execa} = await import('execa')
    const child = execa('git', ['cat-file', 'blob', oid], {cwd: this.cwd, buffer: false, encoding: 'buffer'})
    let bytes = 0
    child.stdout!.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      onChunk?.(chunk)
    })
    await Promise.all([pipeline(child.stdout!, createWriteStream(dest)), child])
    return bytes
  }

  /** Files under PATH at REV (recursive), relative to the repository root. */
  async listFiles(rev: string, paths: string[] = []): Promise<string[]> {
    const out = await this.raw(['ls-tree', '-r', '--name-only', '-z', rev, '--', ...paths])
    return out.split('\0').filter(Boolean)
  }

  /** Tracked files (index) matching pathspecs, relative to the repository root. */
  async lsFiles(pathspecs: string[]): Promise<string[]> {
    const out = await this.raw(['ls-files', '-z', '--full-name', '--', ...pathspecs])
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

  // ---- refs and objects (version claims) ---------------------------------------------------

  /** Runs git through execa: exit code, stdout and stderr, never throwing for a non-zero exit. */
  async exec(
    args: string[],
    options: {input?: string; timeoutMs?: number; encoding?: 'utf8' | 'buffer'; signal?: AbortSignal} = {},
  ): Promise<{exitCode: number; stdout: string; stderr: string; timedOut: boolean}> {
    const {execa} = await import('execa')
    const res = await execa('git', args, {
      cwd: this.cwd,
      reject: false,
      stripFinalNewline: false,
      ...(options.input !== undefined ? {input: options.input} : {stdin: 'ignore'}),
      ...(options.timeoutMs ? {timeout: options.timeoutMs} : {}),
      ...(options.signal ? {cancelSignal: options.signal} : {}),
      env: {GIT_TERMINAL_PROMPT: '0', GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes'},
    })
    return {exitCode: res.exitCode ?? 1, stdout: String(res.stdout), stderr: String(res.stderr), timedOut: Boolean(res.timedOut)}
  }

  /** Tag names only (one for-each-ref). */
  async listTagNames(): Promise<string[]> {
    const res = await this.exec(['for-each-ref', '--format=%(refname:strip=2)', 'refs/tags'])
    if (res.exitCode !== 0) throw new XvError(`git for-each-ref failed: ${firstGitLine(res.stderr)}`)
    return res.stdout.split('\n').filter(Boolean)
  }

  /** Writes TEXT as a blob object; returns its id. */
  async hashObject(text: string): Promise<string> {
    const res = await this.exec(['hash-object', '-w', '--stdin'], {input: text})
    if (res.exitCode !== 0) throw new XvError(`git hash-object failed: ${firstGitLine(res.stderr)}`)
    return res.stdout.trim()
  }

  /** Contents of several objects in one `cat-file --batch`; missing ones are absent from the map. */
  async catFileBatch(oids: string[]): Promise<Map<string, Buffer>> {
    const result = new Map<string, Buffer>()
    if (oids.length === 0) return result
    const buf = await batchRead(this.cwd, `${oids.join('\n')}\n`)
    let off = 0
    for (const oid of oids) {
      const nl = buf.indexOf(10, off)
      if (nl < 0) break
      const header = buf.toString('utf8', off, nl).split(' ')
      off = nl + 1
      if (header[1] === 'missing' || header.length < 3) continue
      const size = Number(header[2])
      result.set(oid, buf.subarray(off, off + size))
      off += size + 1
    }

    return result
  }

  /** Creates REF at OID only if REF does not exist (atomic); false when it already exists. */
  async createRefIfAbsent(ref: string, oid: string): Promise<boolean> {
    const res = await this.exec(['update-ref', '--no-deref', ref, oid, ''])
    if (res.exitCode === 0) return true
    if (/exists|reference already|unable to lock|cannot lock/i.test(res.stderr)) return false
    throw new XvError(`git update-ref failed: ${firstGitLine(res.stderr)}`)
  }

  /** Deletes REF (only if it still points at OID, when given); false when it did not exist or moved. */
  async deleteRefIfMatches(ref: string, oid?: string): Promise<boolean> {
    const res = await this.exec(['update-ref', '-d', ref, ...(oid ? [oid] : [])])
    return res.exitCode === 0
  }

  /**
   * Pushes OID to REF on REMOTE only if the remote does not have REF yet
   * (`--force-with-lease=REF:`): 'taken' when it has one, 'unreachable' when the remote cannot be reached.
   */
  async pushRefCreateOnly(remote: string, ref: string, oid: string, timeoutMs: number): Promise<'pushed' | 'taken' | 'unreachable'> {
    const res = await this.exec(['push', '--porcelain', `--force-with-lease=${ref}:`, remote, `${oid}:${ref}`], {timeoutMs})
    if (res.exitCode === 0) return 'pushed'
    if (res.timedOut) return 'unreachable'
    if (/stale info|\[rejected\]|already exists|fetch first|non-fast-forward/i.test(res.stdout + res.stderr)) return 'taken'
    return 'unreachable'
  }

  /** Deletes REF on REMOTE. */
  async deleteRemoteRef(remote: string, ref: string, timeoutMs: number): Promise<void> {
    const res = await this.exec(['push', '--porcelain', remote, `:${ref}`], {timeoutMs})
    if (res.exitCode !== 0) throw new XvError(`git push --delete ${ref} failed: ${firstGitLine(res.stderr)}`)
  }

  /** Fetches REFSPECS from REMOTE (with --prune when asked); false when the remote could not be reached. */
  async fetchRefs(remote: string, refspecs: string[], timeoutMs: number, prune = false): Promise<boolean> {
    const res = await this.exec(['fetch', '--quiet', '--no-tags', ...(prune ? ['--prune'] : []), remote, ...refspecs], {timeoutMs})
    return res.exitCode === 0
  }

  /** `git diff --shortstat A B` as numbers. */
  async diffStat(a: string, b?: string): Promise<{files: number; insertions: number; deletions: number}> {
    const out = await this.raw(['diff', '--shortstat', a, ...(b ? [b] : []), '--'])
    const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0)
    return {
      files: num(/(\d+) files? changed/),
      insertions: num(/(\d+) insertions?\(\+\)/),
      deletions: num(/(\d+) deletions?\(-\)/),
    }
  }
}

// ---- issue 3 (time travel: get/show/diff) ----------------------------------------------------

export interface TreeEntry {
  mode: string
  type: string
  oid: string
  /** Blob size in bytes (listings with --long only). */
  size?: number
  /** Path relative to the repository root. */
  path: string
}

function parseTreeEntries(out: string): TreeEntry[] {
  const entries: TreeEntry[] = []
  for (const rec of out.split('\0')) {
    if (!rec) continue
    const tab = rec.indexOf('\t')
    const [mode, type, oid, size] = rec.slice(0, tab).split(/\s+/)
    entries.push({mode, type, oid, size: size && size !== '-' ? Number(size) : undefined, path: rec.slice(tab + 1)})
  }

  return entries
}

export interface CommitInfo {
  commit: string
  author: string
  email: string
  date: string
  subject: string
}

/** Tree entries at REV for exact paths (no recursion into directories); absent paths are left out. */
export async function treeEntries(git: Git, rev: string, paths: string[]): Promise<TreeEntry[]> {
  if (paths.length === 0) return []
  const out = await git.raw(['ls-tree', '-z', '--full-tree', rev, '--', ...paths])
  const wanted = new Set(paths)
  return parseTreeEntries(out).filter((e) => wanted.has(e.path))
}

/** Every blob under PATH at REV (recursive), with mode, object id and size. */
export async function treeFiles(git: Git, rev: string, paths: string[] = []): Promise<TreeEntry[]> {
  const out = await git.raw(['ls-tree', '-r', '-z', '--long', '--full-tree', rev, '--', ...paths])
  return parseTreeEntries(out)
}

/** Author, date and subject of a commit. */
export async function commitInfo(git: Git, rev: string): Promise<CommitInfo> {
  const out = await git.raw(['log', '-1', `--format=%H${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%s`, rev, '--'])
  const [commit, author, email, date, subject] = out.trim().split(FIELD)
  return {commit, author, email, date, subject}
}

/** Full message of an annotated tag (subject and body). */
export async function tagMessage(git: Git, tag: string): Promise<string> {
  const out = await git.raw(['for-each-ref', '--format=%(contents)', `refs/tags/${tag}`])
  return out.trim()
}

export interface TagDetails {
  /** false for a lightweight tag (then subject and message are empty). */
  annotated: boolean
  tagger: string
  date: string
  subject: string
  /** Full message (subject and body). */
  message: string
}

/** One tag's kind, tagger, date, subject and message in one git call; undefined when there is no such tag. */
export async function readTag(git: Git, tag: string): Promise<TagDetails | undefined> {
  const format = ['%(refname)', '%(objecttype)', '%(taggername)', '%(creatordate:iso-strict)', '%(contents:subject)', '%(contents)'].join(FIELD)
  const out = await git.raw(['for-each-ref', `--format=${format}${RECORD}`, `refs/tags/${tag}`])
  // the pattern also matches refs/tags/TAG/…: keep the exact ref
  const record = out.split(RECORD).map((r) => r.replace(/^\n/, '')).find((r) => r.startsWith(`refs/tags/${tag}${FIELD}`))
  if (!record) return undefined
  const [, type = '', tagger = '', date = '', subject = '', ...rest] = record.split(FIELD)
  const annotated = type === 'tag'
  return {annotated, tagger, date, subject: annotated ? subject : '', message: annotated ? rest.join(FIELD).trim() : ''}
}

// ---------------------------------------------------------------------------------------------
// issue 5 (worktrees, explore): branch and worktree plumbing. Existence is read from output
// (simple-git resolves a failing git that printed nothing).

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

/**
 * Runs git in CWD through execa and returns stdout (undefined when git fails). For read-only calls
 * made many times per command: simple-git waits ~50 ms after each process exits, execa does not.
 */
export async function gitQuick(cwd: string, args: string[]): Promise<string | undefined> {
  const {execa} = await import('execa')
  const res = await execa('git', args, {cwd, reject: false, stripFinalNewline: false})
  return res.exitCode === 0 ? String(res.stdout) : undefined
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

/**
 * Paths recorded in the index of the worktree at ROOT, read from the file itself (no process):
 * index format 2 and 3 with SHA-1 ids. Undefined when the index cannot be read that way (format 4,
 * split or sparse index, SHA-256, anything unexpected) — callers then ask git.
 */
export function indexPaths(root: string): string[] | undefined {
  try {
    let gitDir = join(root, '.git')
    const st = statSync(gitDir, {throwIfNoEntry: false})
    if (!st) return undefined
    if (st.isFile()) {
      const m = /^gitdir: (.*)$/m.exec(readFileSync(gitDir, 'utf8'))
      if (!m) return undefined
      gitDir = resolve(root, m[1].trim())
    }

    const buf = readFileSync(join(gitDir, 'index'))
    if (buf.toString('latin1', 0, 4) !== 'DIRC') return undefined
    const version = buf.readUInt32BE(4)
    if (version !== 2 && version !== 3) return undefined
    const count = buf.readUInt32BE(8)
    const paths: string[] = []
    let off = 12
    for (let i = 0; i < count; i++) {
      const mode = buf.readUInt32BE(off + 24)
      if (![0o100644, 0o100755, 0o120000, 0o160000].includes(mode)) return undefined
      const flags = buf.readUInt16BE(off + 60)
      const start = off + 62 + (version === 3 && flags & 0x4000 ? 2 : 0)
      const nameLength = flags & 0xfff
      const end = nameLength < 0xfff ? start + nameLength : buf.indexOf(0, start)
      if (end < 0 || end >= buf.length || buf[end] !== 0) return undefined
      paths.push(buf.toString('utf8', start, end))
      off += (end - off + 8) & ~7
    }

    // Extensions: a split ('link') or sparse ('sdir') index does not list every path here.
    while (off + 8 <= buf.length - 20) {
      const sig = buf.toString('latin1', off, off + 4)
      if (sig === 'link' || sig === 'sdir') return undefined
      off += 8 + buf.readUInt32BE(off + 4)
    }

    return paths
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------
// issue 8 (integrity: the tag step): exact staging, index snapshots, undo of a commit, pushing
// the branch with the tag.

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

/** The current branch, or undefined on a detached HEAD. */
export async function currentBranch(git: Git): Promise<string | undefined> {
  const res = await git.exec(['symbolic-ref', '-q', '--short', 'HEAD'])
  return res.exitCode === 0 ? res.stdout.trim() || undefined : undefined
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
  if (res.exitCode !== 0) throw new XvError(`git commit failed: ${firstGitLine(String(res.stderr) || String(res.stdout))}`)
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

/**
 * The stdout of `git cat-file --batch` fed INPUT (plain child_process: this read is on the start-up
 * path of list/lineage/run, and execa's module graph costs more CPU than the read). Empty on failure.
 */
function batchRead(cwd: string, input: string): Promise<Buffer> {
  return new Promise((done) => {
    const chunks: Buffer[] = []
    const child = spawn('git', ['cat-file', '--batch'], {cwd, stdio: ['pipe', 'pipe', 'ignore']})
    child.stdout.on('data', (c: Buffer) => chunks.push(c))
    child.on('error', () => done(Buffer.alloc(0)))
    child.on('close', () => done(Buffer.concat(chunks)))
    child.stdin.on('error', () => {}) // git gone early: its exit ends the read
    child.stdin.end(input)
  })
}
