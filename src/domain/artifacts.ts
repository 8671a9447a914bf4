/**
 * The content of PATH as it was at VERSION, obtained the cheapest safe way:
 * git object store → DVC cache (by the pointer's hash) → `dvc fetch` of exactly those objects →
 * a temporary detached worktree (last resort). Every byte written is hashed while it is copied and
 * checked against the pointer's md5 (or the git object id); output goes to a temporary file next
 * to OUT and is renamed only when it verified.
 */
import {createHash, randomBytes} from 'node:crypto'
import {
  closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, realpathSync,
  renameSync, rmSync, statSync, writeSync,
} from 'node:fs'
import {open as openAsync} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {basename, dirname, isAbsolute, join, posix, relative, resolve, sep} from 'node:path'

import {
  cacheDirOf, defaultRemote, Dvc, dvcCheckoutOrPull, dvcFetch, findCacheObject, localRemoteDir, parseDirManifest, parseLock, parsePointer,
  readDvcConfig, type DirEntry, type DvcOut,
} from '../adapters/dvc.js'
import {treeEntries, treeFiles, type TreeEntry} from '../adapters/git.js'
import type {RepoContext} from '../context.js'
import {XvError} from '../errors.js'
import {withTemporaryWorktree} from './temp-worktree.js'

export const WORKSPACE = 'workspace'

export type Strategy = 'auto' | 'git' | 'cache' | 'remote' | 'worktree'
export const STRATEGIES: Strategy[] = ['auto', 'git', 'cache', 'remote', 'worktree']

/** A revision the user named: an experiment tag, any tag/commit, or the working copy. */
export interface Rev {
  name: string
  /** Commit id; undefined for the working copy. */
  commit?: string
  workspace: boolean
  isTag: boolean
}

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

export interface FileObject {
  /** Path relative to the artifact ('' for a single file). */
  rel: string
  md5: string
  size?: number
}

export interface GetResult {
  version: string
  path: string
  out: string
  strategy: Exclude<Strategy, 'auto'> | 'workspace'
  type: 'file' | 'dir'
  files: number
  bytes: number
  md5?: string
  fetched: number
}

// ---------------------------------------------------------------------------------------------
// Revisions and paths

function editDistance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = tmp
    }
  }

  return row[b.length]
}

function commonPrefix(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

/** The names closest to `wanted` (edit distance), at most `n`. */
export function nearest(wanted: string, names: string[], n = 3): string[] {
  return [...names]
    .map((name) => ({name, d: editDistance(wanted.toLowerCase(), name.toLowerCase()), p: commonPrefix(wanted, name)}))
    .sort((x, y) => x.d - y.d || y.p - x.p || x.name.localeCompare(y.name))
    .slice(0, n)
    .map((x) => x.name)
}

/** Resolves VERSION: `workspace`, a tag, or a commit-ish; unknown → one line naming the nearest tags. */
export async function resolveRev(ctx: RepoContext, input: string): Promise<Rev> {
  if (input === WORKSPACE) return {name: WORKSPACE, workspace: true, isTag: false}
  if (!input || input.startsWith('-') || /\s/.test(input)) throw new XvError(`not a version: ${JSON.stringify(input)}; use a tag such as ${ctx.config.prefix}0.1.0 or 'workspace'`)
  const isTag = await ctx.git.tagExists(input)
  const commit = await ctx.git.revParse(`${isTag ? `refs/tags/${input}` : input}^{commit}`)
  if (commit) return {name: input, commit, workspace: false, isTag}
  const tags = (await ctx.experimentTags()).map((t) => t.name)
  const near = nearest(input, tags)
  throw new XvError(
    `unknown version '${input}': no such tag or commit; ${near.length > 0 ? `nearest tags: ${near.join(', ')}` : 'there are no experiment tags yet'} (see 'xv list')`,
  )
}

/**
 * A user's PATH as a repository-relative posix path: relative to the root like git's `REV:path`,
 * or to the current directory when it starts with `./` or `../` (like git's `REV:./path`). Refuses absolute paths,
 * paths that leave the repository and paths inside `.git`.
 */
export function repoRelative(root: string, cwd: string, input: string): string {
  if (!input) throw new XvError('PATH is empty; name a file or directory of the repository, e.g. models/model.bin')
  if (isAbsolute(input)) throw new XvError(`PATH ${input} is absolute; give it relative to the repository (e.g. ${basename(input)}) so it names the same file at every version`)
  // Like git's REV:path — relative to the repository root, unless it starts with ./ or ../
  const fromCwd = input === '.' || input === '..' || input.startsWith('./') || input.startsWith('../')
  const rel = relative(root, resolve(fromCwd ? cwd : root, input))
  if (rel === '' ) throw new XvError(`PATH ${input} is the repository root; name a file or directory inside it`)
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new XvError(`PATH ${input} leaves the repository (${root}); only paths inside it can be restored`)
  const parts = rel.split(sep)
  if (parts.includes('.git')) throw new XvError(`PATH ${input} is inside .git; xv restores project files, not git internals`)
  return parts.join('/')
}

function ancestors(path: string): string[] {
  const parts = path.split('/')
  const out: string[] = []
  for (let i = parts.length - 1; i > 0; i--) out.push(parts.slice(0, i).join('/'))
  return out
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

// ---------------------------------------------------------------------------------------------
// Locating

interface PointerHit {
  pointer: string
  out: DvcOut
  /** Repo-relative path of the out. */
  outPath: string
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

/** Follows symlinks stored in git along PATH at REV; refuses one that points outside. */
async function followGitSymlinks(ctx: RepoContext, rev: Rev, path: string): Promise<string> {
  let current = path
  for (let hop = 0; hop < 16; hop++) {
    const prefixes = [...ancestors(current).reverse(), current]
    const entries = await treeEntries(ctx.git, rev.commit!, prefixes)
    const link = prefixes.map((p) => entries.find((e) => e.path === p)).find((e) => e?.mode === '120000')
    if (!link) return current
    const target = (await ctx.git.showFile(rev.commit!, link.path))?.toString('utf8') ?? ''
    const resolved = posix.normalize(posix.join(posix.dirname(link.path), target))
    if (isAbsolute(target) || resolved === '..' || resolved.startsWith('../'))
      throw new XvError(`PATH ${path} is a symlink at ${rev.name} (${link.path} → ${target}) that points outside the repository; refusing to follow it`)
    current = posix.normalize(resolved + current.slice(link.path.length))
  }

  throw new XvError(`PATH ${path} at ${rev.name} has too many levels of symbolic links`)
}

/** Pointer files at a revision that could declare PATH: PATH.dvc, ancestors' .dvc, dvc.lock files. */
async function findPointer(ctx: RepoContext, rev: Rev, path: string): Promise<PointerHit | undefined> {
  const ups = ancestors(path)
  const candidates = [`${path}.dvc`, ...ups.map((a) => `${a}.dvc`), 'dvc.lock', ...ups.map((a) => `${a}/dvc.lock`)]
  const read = async (file: string): Promise<string | undefined> => {
    if (rev.workspace) {
      const abs = join(ctx.root, file)
      return existsSync(abs) && statSync(abs).isFile() ? readFileSync(abs, 'utf8') : undefined
    }

    return (await ctx.git.showFile(rev.commit!, file))?.toString('utf8')
  }

  const present = rev.workspace
    ? candidates
    : (await treeEntries(ctx.git, rev.commit!, candidates)).filter((e) => e.type === 'blob').map((e) => e.path)
  for (const file of candidates.filter((c) => present.includes(c))) {
    const text = await read(file)
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

function matchOut(hits: PointerHit[], path: string): PointerHit | undefined {
  return hits.find((h) => h.outPath === path) ?? hits.find((h) => path.startsWith(`${h.outPath}/`))
}

/** Paths that exist at a revision and look like PATH (for "did you mean"). */
async function similarPaths(ctx: RepoContext, rev: Rev, path: string): Promise<string[]> {
  let names: string[]
  if (rev.workspace) names = await ctx.git.lsFiles([])
  else names = (await treeFiles(ctx.git, rev.commit!)).map((e) => e.path)
  const all = new Set<string>()
  for (const n of names) {
    all.add(n.endsWith('.dvc') ? n.slice(0, -4) : n)
    for (const a of ancestors(n)) all.add(a)
  }

  const base = basename(path)
  const byBase = [...all].filter((n) => basename(n) === base)
  return [...new Set([...byBase, ...nearest(path, [...all], 3)])].slice(0, 3)
}

/** What PATH is at REV and where its content lives; absent → one line naming similar paths. */
export async function locateArtifact(ctx: RepoContext, rev: Rev, path: string): Promise<Artifact> {
  if (rev.workspace) {
    const abs = join(ctx.root, path)
    if (existsSync(abs)) {
      const real = realpathSync(abs)
      if (!inside(realpathSync(ctx.root), real)) throw new XvError(`PATH ${path} is a symlink that points outside the repository (${real}); refusing to follow it`)
      const st = statSync(real)
      const hit = await findPointer(ctx, rev, path)
      return {
        rev: rev.name, path, source: 'workspace', type: st.isDirectory() ? 'dir' : 'file', size: st.isFile() ? st.size : undefined,
        md5: hit && hit.outPath === path ? hit.out.md5 : undefined, pointer: hit?.pointer,
      }
    }

    const near = await similarPaths(ctx, rev, path)
    throw new XvError(`${path} does not exist in the working copy${near.length > 0 ? `; similar paths: ${near.join(', ')}` : ''}`)
  }

  const real = await followGitSymlinks(ctx, rev, path)
  const [entry] = await treeEntries(ctx.git, rev.commit!, [real])
  if (entry?.type === 'blob') {
    const [obj] = [await ctx.git.objectAt(rev.commit!, real)]
    return {rev: rev.name, path: real, source: 'git', type: 'file', oid: entry.oid, size: obj?.size}
  }

  const hit = await findPointer(ctx, rev, real)
  if (hit) {
    const insidePath = hit.outPath === real ? '' : real.slice(hit.outPath.length + 1)
    return {
      rev: rev.name, path: real, source: 'dvc', type: hit.out.isDir && !insidePath ? 'dir' : 'file',
      md5: hit.out.md5, size: insidePath ? undefined : hit.out.size, pointer: hit.pointer, out: hit.outPath, inside: insidePath,
    }
  }

  if (entry?.type === 'tree') return {rev: rev.name, path: real, source: 'git', type: 'dir', oid: entry.oid}
  const near = await similarPaths(ctx, rev, real)
  throw new XvError(`${path} does not exist at ${rev.name}${near.length > 0 ? `; similar paths there: ${near.join(', ')}` : ''} (see 'git ls-tree -r --name-only ${rev.name}')`)
}

// ---------------------------------------------------------------------------------------------
// The DVC cache

export interface CachePlan {
  type: 'file' | 'dir'
  objects: FileObject[]
  /** md5s (with what they are) that the local cache lacks. */
  missing: Array<{md5: string; what: string}>
}

function readManifest(cacheDir: string, md5: string): DirEntry[] | undefined {
  const file = findCacheObject(cacheDir, md5)
  if (!file) return undefined
  try {
    return parseDirManifest(readFileSync(file, 'utf8'))
  } catch {
    throw new XvError(`cache object ${file} (directory manifest ${md5}) is corrupt; remove it and run the command again to fetch it from the remote`)
  }
}

/** The objects a DVC artifact needs and which of them the cache lacks. */
export function planFromCache(cacheDir: string, art: Artifact): CachePlan {
  if (!art.md5) throw new XvError(`${art.pointer} declares ${art.out} without an md5 (not yet committed with 'dvc commit'?); nothing to restore from the cache`)
  if (!art.md5.endsWith('.dir')) {
    const objects = [{rel: '', md5: art.md5, size: art.size}]
    return {type: 'file', objects, missing: findCacheObject(cacheDir, art.md5) ? [] : [{md5: art.md5, what: art.path}]}
  }

  const manifest = readManifest(cacheDir, art.md5)
  if (!manifest) return {type: art.type, objects: [], missing: [{md5: art.md5, what: `${art.out}/ (directory manifest)`}]}
  const prefix = art.inside ?? ''
  let type: 'file' | 'dir' = prefix ? 'file' : 'dir'
  let objects: FileObject[]
  const exact = prefix ? manifest.find((e) => e.relpath === prefix) : undefined
  if (exact) objects = [{rel: '', md5: exact.md5, size: exact.size}]
  else {
    type = 'dir'
    const p = prefix ? `${prefix}/` : ''
    objects = manifest.filter((e) => e.relpath.startsWith(p)).map((e) => ({rel: e.relpath.slice(p.length), md5: e.md5, size: e.size}))
    if (prefix && objects.length === 0) {
      const near = nearest(prefix, manifest.map((e) => e.relpath)).map((r) => `${art.out}/${r}`)
      throw new XvError(`${art.path} does not exist at ${art.rev}: ${art.out} is DVC-tracked but has no ${prefix}; similar paths there: ${near.join(', ')}`)
    }
  }

  const missing = objects.filter((o) => !findCacheObject(cacheDir, o.md5)).map((o) => ({md5: o.md5, what: posix.join(art.path, o.rel)}))
  return {type, objects, missing}
}

// ---------------------------------------------------------------------------------------------
// Verified copies

const CHUNK = 8 * 1024 * 1024

/**
 * Copies src to dest hashing what is written in the same pass (reads of the next chunk overlap
 * the hash and the write of this one). Returns md5 hex and bytes.
 */
export async function copyHashing(src: string, dest: string): Promise<{md5: string; bytes: number}> {
  const input = await openAsync(src, 'r')
  const output = await openAsync(dest, 'wx', 0o644)
  const hash = createHash('md5')
  let bytes = 0
  try {
    let bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)]
    let pending = input.read(bufs[0], 0, CHUNK, null)
    let write: Promise<unknown> = Promise.resolve()
    for (;;) {
      const {bytesRead} = await pending
      if (bytesRead === 0) break
      const cur = bufs[0]
      await write
      bufs = [bufs[1], cur]
      pending = input.read(bufs[0], 0, CHUNK, null)
      const chunk = cur.subarray(0, bytesRead)
      write = output.write(chunk, 0, bytesRead)
      hash.update(chunk)
      bytes += bytesRead
    }

    await write
  } finally {
    await input.close()
    await output.close()
  }

  return {md5: hash.digest('hex'), bytes}
}

/** Writes a git blob to dest and checks its object id (sha1 of `blob SIZE\0` + content). */
async function writeGitBlob(ctx: RepoContext, oid: string, size: number, dest: string, label: string): Promise<number> {
  const hash = createHash('sha1').update(`blob ${size}\0`)
  const bytes = await ctx.git.writeBlob(oid, dest, (chunk) => hash.update(chunk))
  const got = hash.digest('hex')
  if (got !== oid) throw new XvError(`git object ${oid} (${label}) did not verify (got ${got}); run 'git fsck' to check the repository`)
  return bytes
}

async function copyCacheObject(cacheDir: string, obj: FileObject, dest: string, label: string): Promise<number> {
  const src = findCacheObject(cacheDir, obj.md5)
  if (!src) throw new XvError(`cache object ${obj.md5} (${label}) disappeared from ${cacheDir} during the copy`)
  const {md5, bytes} = await copyHashing(src, dest)
  if (md5 !== obj.md5.toLowerCase())
    throw new XvError(`corrupt cache object ${src}: its md5 is ${md5}, the pointer says ${obj.md5} (${label}); remove it and run 'xv get' again to fetch it from the remote`)
  return bytes
}

/** A temporary name next to OUT, removed on error and on Ctrl-C. */
async function withStaging<T>(out: string, fn: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = join(dirname(out), `.${basename(out)}.xv-tmp-${process.pid}-${randomBytes(4).toString('hex')}`)
  const cleanup = () => rmSync(tmp, {recursive: true, force: true})
  // Inside a temporary worktree its own handler exits (after pruning); otherwise this one does.
  const outer = process.listenerCount('SIGINT') > 0
  const onSignal = () => {
    cleanup()
    if (!outer) process.exit(130)
  }

  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    return await fn(tmp)
  } catch (error) {
    cleanup()
    throw error
  } finally {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
  }
}

/** Moves a verified staging file or directory to OUT (replacing OUT when forced). */
function commitStaging(tmp: string, out: string): void {
  if (existsSync(out) && lstatSync(out).isDirectory()) {
    const old = `${tmp}.old`
    renameSync(out, old)
    renameSync(tmp, out)
    rmSync(old, {recursive: true, force: true})
  } else renameSync(tmp, out)
}

// ---------------------------------------------------------------------------------------------
// Materialising

export interface MaterialiseOptions {
  strategy?: Strategy
  force?: boolean
}

function checkOut(ctx: RepoContext, out: string, force: boolean): void {
  const abs = resolve(out)
  if (!existsSync(dirname(abs)) || !statSync(dirname(abs)).isDirectory())
    throw new XvError(`the directory of OUT ${out} does not exist; create it first (xv writes nothing outside OUT)`)
  const realParent = realpathSync(dirname(abs))
  const target = join(realParent, basename(abs))
  for (const gitDir of [join(ctx.root, '.git'), join(ctx.mainRoot, '.git'), ctx.location.commonDir]) {
    const real = existsSync(gitDir) ? realpathSync(gitDir) : gitDir
    if (inside(real, target)) throw new XvError(`OUT ${out} is inside ${gitDir}; choose a path outside git's own directory`)
  }

  if (target.split(sep).includes('.git')) throw new XvError(`OUT ${out} is inside a .git directory; choose another path`)
  if (existsSync(abs) || isSymlink(abs)) {
    if (!force) throw new XvError(`OUT ${out} already exists; use --force to overwrite it or -o to choose another path`)
    if (isSymlink(abs)) throw new XvError(`OUT ${out} is a symlink; remove it or choose another path`)
  }
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink()
  } catch {
    return false
  }
}

async function materialiseGit(ctx: RepoContext, rev: Rev, art: Artifact, tmp: string, allowFetch: boolean): Promise<{files: number; bytes: number}> {
  if (art.type === 'file') return {files: 1, bytes: await writeGitBlob(ctx, art.oid!, art.size ?? 0, tmp, art.path)}
  const entries: TreeEntry[] = (await treeFiles(ctx.git, rev.commit!, [art.path])).filter((e) => e.type === 'blob')
  mkdirSync(tmp)
  let bytes = 0
  for (const e of entries) {
    const rel = e.path.slice(art.path.length + 1)
    if (e.mode === '120000') continue // symlinks inside a directory are not followed
    const dest = join(tmp, rel)
    mkdirSync(dirname(dest), {recursive: true})
    bytes += await writeGitBlob(ctx, e.oid, e.size ?? 0, dest, e.path)
  }

  // DVC outputs inside the directory come with it, from the cache (fetched when allowed).
  let files = entries.length
  const cacheDir = cacheDirOf(ctx.root)
  for (const h of (await dvcOutsAt(ctx, rev)).filter((o) => o.outPath.startsWith(`${art.path}/`) && o.out.md5)) {
    const sub: Artifact = {
      rev: rev.name, path: h.outPath, source: 'dvc', type: h.out.isDir ? 'dir' : 'file', md5: h.out.md5, size: h.out.size,
      pointer: h.pointer, out: h.outPath, inside: '',
    }
    const {plan} = await ensureInCache(ctx, rev, sub, allowFetch)
    const r = await copyPlan(cacheDir, plan, sub, join(tmp, h.outPath.slice(art.path.length + 1)))
    files += r.files
    bytes += r.bytes
  }

  return {files, bytes}
}

async function copyPlan(cacheDir: string, plan: CachePlan, art: Artifact, tmp: string): Promise<{files: number; bytes: number}> {
  mkdirSync(plan.type === 'file' ? dirname(tmp) : tmp, {recursive: true})
  if (plan.type === 'file') return {files: 1, bytes: await copyCacheObject(cacheDir, plan.objects[0], tmp, art.path)}
  let bytes = 0
  for (const o of plan.objects) {
    const dest = join(tmp, o.rel)
    if (!inside(tmp, dest)) throw new XvError(`directory manifest of ${art.out} names ${o.rel}, which leaves the directory; refusing`)
    mkdirSync(dirname(dest), {recursive: true})
    bytes += await copyCacheObject(cacheDir, o, dest, posix.join(art.path, o.rel))
  }

  return {files: plan.objects.length, bytes}
}

/** The remote DVC would use, also when the tag's own config had none. */
function remoteFor(ctx: RepoContext): {name: string; url: string} | undefined {
  return defaultRemote(ctx.root)
}

/** Gives a temporary worktree the current remote when the tag's config lacks one. */
function shareRemote(ctx: RepoContext, root: string): void {
  const remote = remoteFor(ctx)
  if (!remote || readDvcConfig(root).core?.remote) return
  const file = join(root, '.dvc', 'config.local')
  const text = existsSync(file) ? readFileSync(file, 'utf8') : ''
  const extra = `\n[core]\n    remote = ${remote.name}\n['remote "${remote.name}"']\n    url = ${remote.url}\n`
  const fd = openSync(file, 'a')
  try {
    writeSync(fd, text.endsWith('\n') || !text ? extra.slice(1) : extra)
  } finally {
    closeSync(fd)
  }
}

/** `dvc fetch` of exactly PATH at REV (run in a temporary worktree sharing the cache). */
export async function fetchArtifact(ctx: RepoContext, rev: Rev, art: Artifact, missing: CachePlan['missing']): Promise<void> {
  const remote = remoteFor(ctx)
  if (!remote)
    throw new XvError(`${missing.length} object(s) of ${art.path} at ${rev.name} are not in the local cache and no DVC remote is configured (missing: ${describeMissing(missing)}); add one with 'dvc remote add -d'`)
  const localDir = localRemoteDir(remote.url)
  if (localDir && !existsSync(localDir))
    throw new XvError(`DVC remote '${remote.name}' (${remote.url}) is unreachable: the directory does not exist; missing objects: ${describeMissing(missing)}`)
  const run = async (root: string) => {
    shareRemote(ctx, root)
    try {
      await dvcFetch(new Dvc(root), [art.path])
    } catch (error) {
      throw new XvError(`cannot fetch ${art.path} at ${rev.name} from DVC remote '${remote.name}' (${remote.url}): ${(error as Error).message}; missing objects: ${describeMissing(missing)}`)
    }
  }

  if (rev.workspace) await run(ctx.root)
  else await withTemporaryWorktree(ctx, rev.commit!, run)
}

function describeMissing(missing: CachePlan['missing']): string {
  const shown = missing.slice(0, 3).map((m) => `${m.md5} (${m.what})`)
  return shown.join(', ') + (missing.length > 3 ? ` and ${missing.length - 3} more` : '')
}

/** Cache plan, fetching what the cache lacks when allowed. */
async function ensureInCache(ctx: RepoContext, rev: Rev, art: Artifact, allowFetch: boolean, forceFetch = false): Promise<{plan: CachePlan; fetched: number}> {
  const cacheDir = cacheDirOf(ctx.root)
  let plan = planFromCache(cacheDir, art)
  if (plan.missing.length === 0 && !forceFetch) return {plan, fetched: 0}
  if (!allowFetch)
    throw new XvError(`${art.path} at ${rev.name} is not in the local cache (${cacheDir}); missing: ${describeMissing(plan.missing)}; use --strategy remote (or auto) to fetch it`)
  const before = plan.missing
  await fetchArtifact(ctx, rev, art, before.length > 0 ? before : [{md5: art.md5 ?? '', what: art.path}])
  plan = planFromCache(cacheDir, art)
  // A directory's manifest arrives first; its entries may still be missing.
  if (plan.missing.length > 0 && before.some((m) => m.what.endsWith('(directory manifest)'))) {
    await fetchArtifact(ctx, rev, art, plan.missing)
    plan = planFromCache(cacheDir, art)
  }

  if (plan.missing.length > 0) {
    const remote = remoteFor(ctx)
    throw new XvError(`DVC remote '${remote?.name}' (${remote?.url}) is unreachable or lacks ${plan.missing.length} object(s) of ${art.path} at ${rev.name}: ${describeMissing(plan.missing)}; push them from a machine that has them ('xv push ${rev.name}')`)
  }

  return {plan, fetched: before.length}
}

/** Copies PATH as it was at REV to OUT the cheapest safe way, verifying every byte. */
export async function materialiseArtifact(ctx: RepoContext, rev: Rev, path: string, out: string, options: MaterialiseOptions = {}): Promise<GetResult> {
  const strategy = options.strategy ?? 'auto'
  checkOut(ctx, out, Boolean(options.force))
  const art = await locateArtifact(ctx, rev, path)
  const result = (s: GetResult['strategy'], r: {files: number; bytes: number}, fetched = 0, type = art.type): GetResult => ({
    version: rev.name, path: art.path, out: resolve(out), strategy: s, type, files: r.files, bytes: r.bytes, md5: art.type === 'file' && !art.inside ? art.md5 : undefined, fetched,
  })
  if (art.source === 'workspace') {
    if (art.type === 'dir') throw new XvError(`copying a directory from the working copy is not supported; use cp -r ${art.path}`)
    const r = await withStaging(out, async (tmp) => {
      const {bytes} = await copyHashing(join(ctx.root, art.path), tmp)
      commitStaging(tmp, out)
      return {files: 1, bytes}
    })
    return result('workspace', r)
  }

  if (art.source === 'git') {
    if (strategy !== 'auto' && strategy !== 'git' && strategy !== 'worktree')
      throw new XvError(`${art.path} is tracked by git at ${rev.name}, not by DVC; use --strategy git (or auto)`)
    if (strategy === 'worktree') return result('worktree', await viaWorktree(ctx, rev, art, out))
    const r = await withStaging(out, async (tmp) => {
      const r = await materialiseGit(ctx, rev, art, tmp, true)
      commitStaging(tmp, out)
      return r
    })
    return result('git', r)
  }

  if (strategy === 'git') throw new XvError(`${art.path} is tracked by DVC at ${rev.name} (${art.pointer}); git only holds its pointer; use --strategy auto, cache or remote`)
  // Last resort: a pointer without a hash (e.g. not yet `dvc commit`ed) cannot be served by hash.
  if (strategy === 'worktree' || (strategy === 'auto' && !art.md5)) return result('worktree', await viaWorktree(ctx, rev, art, out))
  const {plan, fetched} = await ensureInCache(ctx, rev, art, strategy !== 'cache', strategy === 'remote')
  const cacheDir = cacheDirOf(ctx.root)
  const r = await withStaging(out, async (tmp) => {
    const r = await copyPlan(cacheDir, plan, art, tmp)
    commitStaging(tmp, out)
    return r
  })
  return result(strategy === 'remote' || fetched > 0 ? 'remote' : 'cache', r, fetched, plan.type)
}

/** Last resort: a temporary detached worktree, `dvc checkout` there, verified copy out. */
async function viaWorktree(ctx: RepoContext, rev: Rev, art: Artifact, out: string): Promise<{files: number; bytes: number}> {
  if (rev.workspace) throw new XvError('--strategy worktree needs a version, not the working copy')
  return withTemporaryWorktree(ctx, rev.commit!, async (root) => {
    if (art.source === 'dvc') {
      shareRemote(ctx, root)
      await dvcCheckoutOrPull(new Dvc(root), [art.path])
    }

    const src = join(root, art.path)
    if (!existsSync(src)) throw new XvError(`${art.path} is missing after checking out ${rev.name} in a temporary worktree`)
    const expected: FileObject[] = art.source === 'dvc' && art.md5 ? planFromCache(cacheDirOf(ctx.root), art).objects : []
    return withStaging(out, async (tmp) => {
      let files = 0
      let bytes = 0
      const copyOne = async (from: string, to: string, want?: string, label = art.path) => {
        const r = await copyHashing(from, to)
        if (want && r.md5 !== want) throw new XvError(`${label} checked out at ${rev.name} has md5 ${r.md5}, the pointer says ${want}; the cache object is corrupt (run 'dvc cache' checks or remove it and fetch again)`)
        files++
        bytes += r.bytes
      }

      if (statSync(src).isDirectory()) {
        mkdirSync(tmp)
        const want = new Map(expected.map((o) => [o.rel, o.md5]))
        const walk = async (dir: string) => {
          for (const name of readdirSync(dir, {withFileTypes: true})) {
            const abs = join(dir, name.name)
            const rel = relative(src, abs).split(sep).join('/')
            if (name.isDirectory()) {
              mkdirSync(join(tmp, rel), {recursive: true})
              await walk(abs)
            } else await copyOne(abs, join(tmp, rel), want.get(rel), posix.join(art.path, rel))
          }
        }

        await walk(src)
      } else {
        await copyOne(src, tmp, expected[0]?.md5)
        if (art.source === 'git') {
          const {oid} = {oid: await ctx.git.raw(['hash-object', '--', tmp])}
          if (oid.trim() !== art.oid) throw new XvError(`${art.path} checked out at ${rev.name} does not match git object ${art.oid}`)
        }
      }

      commitStaging(tmp, out)
      return {files, bytes}
    })
  })
}

// ---------------------------------------------------------------------------------------------
// Reading a file as it was at a version (result databases for show/diff/merge)

export interface ReadableFile {
  /** A local path to read (never to write): the working copy, a temp file, or a cache object. */
  file: string
  source: 'workspace' | 'git' | 'dvc'
  /** Removes temporary files. */
  cleanup: () => void
}

/**
 * A readable local file holding PATH as it was at REV: the working-copy file, a git blob written
 * to a temporary file (verified), or the DVC cache object itself (fetched when missing; size
 * checked). Undefined when PATH does not exist there.
 */
export async function readableFileAt(ctx: RepoContext, rev: Rev, path: string): Promise<ReadableFile | undefined> {
  let art: Artifact
  try {
    art = await locateArtifact(ctx, rev, path)
  } catch (error) {
    if (error instanceof XvError && /does not exist/.test(error.message)) return undefined
    throw error
  }

  if (art.type === 'dir') throw new XvError(`${path} is a directory at ${rev.name}, not a file`)
  if (art.source === 'workspace') return {file: join(ctx.root, art.path), source: 'workspace', cleanup: () => {}}
  if (art.source === 'git') {
    const dir = mkdtempSync(join(tmpdir(), 'xv-read-'))
    const file = join(dir, basename(path))
    try {
      await writeGitBlob(ctx, art.oid!, art.size ?? 0, file, `${path} at ${rev.name}`)
    } catch (error) {
      rmSync(dir, {recursive: true, force: true})
      throw error
    }

    return {file, source: 'git', cleanup: () => rmSync(dir, {recursive: true, force: true})}
  }

  const {plan} = await ensureInCache(ctx, rev, art, true)
  const obj = plan.objects[0]
  const file = findCacheObject(cacheDirOf(ctx.root), obj.md5)!
  const size = statSync(file).size
  if (obj.size !== undefined && size !== obj.size)
    throw new XvError(`corrupt cache object ${file}: ${size} bytes, the pointer of ${path} at ${rev.name} says ${obj.size}; remove it and fetch again`)
  return {file, source: 'dvc', cleanup: () => {}}
}

// ---------------------------------------------------------------------------------------------
// Every DVC artifact at a version (for show and diff)

export interface DvcArtifactInfo {
  path: string
  pointer: string
  md5?: string
  size?: number
  nfiles?: number
  isDir: boolean
  inCache: boolean | 'partial'
  /** true/false for a local remote, undefined when it cannot be checked cheaply. */
  inRemote?: boolean | 'partial'
}

/** The outs of every pointer and dvc.lock at REV (the working copy's files for `workspace`). */
export async function dvcOutsAt(ctx: RepoContext, rev: Rev): Promise<PointerHit[]> {
  let files: string[]
  const read = async (f: string) => (rev.workspace ? readFileSync(join(ctx.root, f), 'utf8') : (await ctx.git.showFile(rev.commit!, f))?.toString('utf8') ?? '')
  if (rev.workspace) files = (await ctx.git.lsFiles([])).filter((f) => existsSync(join(ctx.root, f)))
  else files = (await treeFiles(ctx.git, rev.commit!)).filter((e) => e.type === 'blob').map((e) => e.path)
  const hits: PointerHit[] = []
  for (const f of files.filter((f) => f.endsWith('.dvc') || basename(f) === 'dvc.lock')) {
    try {
      hits.push(...declaredOuts(f, await read(f)))
    } catch {
      // an unparsable pointer declares nothing we can show
    }
  }

  return hits.sort((a, b) => a.outPath.localeCompare(b.outPath))
}

function presence(dir: string | undefined, md5s: string[]): boolean | 'partial' | undefined {
  if (!dir) return undefined
  const n = md5s.filter((m) => findCacheObject(dir, m)).length
  return n === md5s.length ? true : n === 0 ? false : 'partial'
}

/** Every DVC artifact at REV with hash, size and whether the local cache / a local remote hold it. */
export async function dvcArtifactsAt(ctx: RepoContext, rev: Rev): Promise<DvcArtifactInfo[]> {
  const hits = await dvcOutsAt(ctx, rev)
  const cacheDir = cacheDirOf(ctx.root)
  const remote = defaultRemote(ctx.root)
  const remoteDir = remote ? localRemoteDir(remote.url) : undefined
  return hits.map((h) => {
    const md5s: string[] = h.out.md5 ? [h.out.md5] : []
    let manifestKnown = true
    if (h.out.isDir && h.out.md5) {
      const entries = readManifest(cacheDir, h.out.md5) ?? (remoteDir ? readManifest(remoteDir, h.out.md5) : undefined)
      if (entries) md5s.push(...entries.map((e) => e.md5))
      else manifestKnown = false
    }

    const inCache = md5s.length === 0 ? false : (presence(cacheDir, md5s) ?? false)
    let inRemote = remoteDir && md5s.length > 0 ? presence(remoteDir, md5s) : undefined
    if (!manifestKnown && inRemote === true) inRemote = 'partial'
    return {
      path: h.outPath, pointer: h.pointer, md5: h.out.md5, size: h.out.size, nfiles: h.out.nfiles, isDir: h.out.isDir,
      inCache: !manifestKnown && inCache === true ? 'partial' : inCache, inRemote,
    }
  })
}
