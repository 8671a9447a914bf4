/**
 * Where PATH lives at a revision: a git blob or tree, a DVC out (or a file inside a DVC-tracked
 * directory) declared by a pointer or dvc.lock, or the working copy. Reads git's object store
 * only; nothing is checked out.
 */
import {existsSync, readFileSync, realpathSync, statSync} from 'node:fs'
import {basename, isAbsolute, join, posix} from 'node:path'

import {parseLock, parsePointer, type DvcOut} from '../adapters/dvc-files.js'
import {treeEntries, treeFiles, type TreeEntry} from '../adapters/git-read.js'
import type {RepoContext} from '../context.js'
import {NotFoundError, RefusedError, XvError} from '../errors.js'
import {isInside, type CommitRev, type Rev} from './revision.js'
import {nearest} from './suggest.js'

/** Where PATH lives at a revision. */
export interface Artifact {
  rev: string
  path: string
  source: 'git' | 'dvc' | 'workspace'
  type: 'file' | 'dir'
  size?: number
  /** DVC: md5 of the object (a `.dir` md5 for a directory out). */
  md5?: string
  /** git: blob or tree id. */
  oid?: string
  /** DVC: the file that declares it (`x.dvc` or `dvc.lock`). */
  pointer?: string
  /** DVC: the declared out (repo-relative); differs from path for files inside a tracked directory. */
  out?: string
  /** DVC: path inside the out's directory ('' when path is the out itself). */
  inside?: string
}

/** A DVC out with the file that declares it. */
export interface PointerHit {
  pointer: string
  out: DvcOut
  /** Repo-relative path of the out. */
  outPath: string
}

function ancestors(path: string): string[] {
  const parts = path.split('/')
  const out: string[] = []
  for (let i = parts.length - 1; i > 0; i--) out.push(parts.slice(0, i).join('/'))
  return out
}

function joinRel(dir: string, p: string): string {
  return posix.normalize(dir ? `${dir}/${p}` : p).replace(/\/$/, '')
}

/** Outs declared by a pointer or lock text, with repo-relative paths. */
export function declaredOuts(file: string, text: string): PointerHit[] {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : ''
  const outs = basename(file) === 'dvc.lock' ? parseLock(text) : parsePointer(text)
  return outs.map((out) => ({pointer: file, out, outPath: joinRel(dir, out.path)}))
}

/** The outs of every pointer and dvc.lock at REV (the working copy's files for `workspace`). */
export async function dvcOutsAt(ctx: RepoContext, rev: Rev): Promise<PointerHit[]> {
  const files = rev.kind === 'workspace'
    ? (await ctx.git.lsFiles([])).filter((f) => existsSync(join(ctx.root, f)))
    : (await treeFiles(ctx.git, rev.commit)).filter((e) => e.type === 'blob').map((e) => e.path)
  const hits: PointerHit[] = []
  for (const f of files.filter((f) => f.endsWith('.dvc') || basename(f) === 'dvc.lock')) {
    try {
      hits.push(...declaredOuts(f, (await readAt(ctx, rev, f)) ?? ''))
    } catch {
      // an unparsable pointer declares nothing we can show
    }
  }

  return hits.sort((a, b) => a.outPath.localeCompare(b.outPath))
}

async function readAt(ctx: RepoContext, rev: Rev, file: string): Promise<string | undefined> {
  if (rev.kind === 'commit') return (await ctx.git.showFile(rev.commit, file))?.toString('utf8')
  const abs = join(ctx.root, file)
  return existsSync(abs) && statSync(abs).isFile() ? readFileSync(abs, 'utf8') : undefined
}

/** Follows symlinks stored in git along PATH at REV; refuses one that points outside. */
async function followGitSymlinks(ctx: RepoContext, rev: CommitRev, path: string): Promise<string> {
  let current = path
  for (let hop = 0; hop < 16; hop++) {
    const prefixes = [...ancestors(current).reverse(), current]
    const entries = await treeEntries(ctx.git, rev.commit, prefixes)
    const link = prefixes.map((p) => entries.find((e) => e.path === p)).find((e) => e?.mode === '120000')
    if (!link) return current
    const target = (await ctx.git.showFile(rev.commit, link.path))?.toString('utf8') ?? ''
    const resolved = posix.normalize(posix.join(posix.dirname(link.path), target))
    if (isAbsolute(target) || resolved === '..' || resolved.startsWith('../'))
      throw new RefusedError(`PATH ${path} is a symlink at ${rev.name} (${link.path} → ${target}) that points outside the repository; refusing to follow it`)
    current = posix.normalize(resolved + current.slice(link.path.length))
  }

  throw new XvError(`PATH ${path} at ${rev.name} has too many levels of symbolic links`)
}

function matchOut(hits: PointerHit[], path: string): PointerHit | undefined {
  return hits.find((h) => h.outPath === path) ?? hits.find((h) => path.startsWith(`${h.outPath}/`))
}

/** The files that could declare PATH: PATH.dvc, ancestors' .dvc, dvc.lock files. */
function pointerCandidates(path: string): string[] {
  const ups = ancestors(path)
  return [`${path}.dvc`, ...ups.map((a) => `${a}.dvc`), 'dvc.lock', ...ups.map((a) => `${a}/dvc.lock`)]
}

/** The pointer file at a revision that declares PATH (KNOWN: tree entries already read, candidates included). */
async function findPointer(ctx: RepoContext, rev: Rev, path: string, known?: TreeEntry[]): Promise<PointerHit | undefined> {
  const candidates = pointerCandidates(path)
  const present = rev.kind === 'workspace'
    ? candidates
    : (known ?? (await treeEntries(ctx.git, rev.commit, candidates))).filter((e) => e.type === 'blob').map((e) => e.path)
  for (const file of candidates.filter((c) => present.includes(c))) {
    const text = await readAt(ctx, rev, file)
    if (text === undefined) continue
    let hits: PointerHit[]
    try {
      hits = declaredOuts(file, text)
    } catch {
      throw new XvError(`cannot parse ${file} at ${rev.name}; it is not a valid DVC ${file.endsWith('.lock') ? 'lock' : 'pointer'} file`)
    }

    const hit = matchOut(hits, path)
    if (hit) return hit
  }

  // A pointer named unlike its out (`models.dvc` declaring `weights/`): look at every pointer.
  return matchOut(await dvcOutsAt(ctx, rev), path)
}

/** Paths that exist at a revision and look like PATH (for "did you mean"). */
async function similarPaths(ctx: RepoContext, rev: Rev, path: string): Promise<string[]> {
  const names = rev.kind === 'workspace' ? await ctx.git.lsFiles([]) : (await treeFiles(ctx.git, rev.commit)).map((e) => e.path)
  const all = new Set<string>()
  for (const n of names) {
    all.add(n.endsWith('.dvc') ? n.slice(0, -4) : n)
    for (const a of ancestors(n)) all.add(a)
  }

  const base = basename(path)
  const byBase = [...all].filter((n) => basename(n) === base)
  return [...new Set([...byBase, ...nearest(path, [...all], 3)])].slice(0, 3)
}

async function locateInWorkspace(ctx: RepoContext, rev: Rev, path: string): Promise<Artifact> {
  const abs = join(ctx.root, path)
  if (existsSync(abs)) {
    const real = realpathSync(abs)
    if (!isInside(realpathSync(ctx.root), real)) throw new RefusedError(`PATH ${path} is a symlink that points outside the repository (${real}); refusing to follow it`)
    const st = statSync(real)
    const hit = await findPointer(ctx, rev, path)
    return {
      rev: rev.name, path, source: 'workspace', type: st.isDirectory() ? 'dir' : 'file', size: st.isFile() ? st.size : undefined,
      md5: hit && hit.outPath === path ? hit.out.md5 : undefined, pointer: hit?.pointer,
    }
  }

  const near = await similarPaths(ctx, rev, path)
  throw new NotFoundError('path', `${path} does not exist in the working copy${near.length > 0 ? `; similar paths: ${near.join(', ')}` : ''}`)
}

/** What PATH is at REV and where its content lives; absent → `NotFoundError('path')` naming similar paths. */
export async function locateArtifact(ctx: RepoContext, rev: Rev, path: string): Promise<Artifact> {
  if (rev.kind === 'workspace') return locateInWorkspace(ctx, rev, path)
  // One ls-tree for the path, its ancestors (symlinks?) and the pointers that could declare it.
  let entries = await treeEntries(ctx.git, rev.commit, [...ancestors(path), path, ...pointerCandidates(path)])
  let real = path
  if ([...ancestors(path), path].some((p) => entries.find((e) => e.path === p)?.mode === '120000')) {
    real = await followGitSymlinks(ctx, rev, path)
    entries = await treeEntries(ctx.git, rev.commit, [real, ...pointerCandidates(real)])
  }

  const entry = entries.find((e) => e.path === real)
  if (entry?.type === 'blob') {
    const obj = await ctx.git.objectAt(rev.commit, real)
    return {rev: rev.name, path: real, source: 'git', type: 'file', oid: entry.oid, size: obj?.size}
  }

  const hit = await findPointer(ctx, rev, real, entries)
  if (hit) {
    const insidePath = hit.outPath === real ? '' : real.slice(hit.outPath.length + 1)
    return {
      rev: rev.name, path: real, source: 'dvc', type: hit.out.isDir && !insidePath ? 'dir' : 'file',
      md5: hit.out.md5, size: insidePath ? undefined : hit.out.size, pointer: hit.pointer, out: hit.outPath, inside: insidePath,
    }
  }

  if (entry?.type === 'tree') return {rev: rev.name, path: real, source: 'git', type: 'dir', oid: entry.oid}
  const near = await similarPaths(ctx, rev, real)
  throw new NotFoundError('path', `${path} does not exist at ${rev.name}${near.length > 0 ? `; similar paths there: ${near.join(', ')}` : ''} (see 'git ls-tree -r --name-only ${rev.name}')`)
}
