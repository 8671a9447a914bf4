/**
 * `xv get VERSION PATH`: the content of PATH as it was at VERSION, obtained the cheapest safe way:
 * git object store → DVC cache (by the pointer's hash) → `dvc fetch` of exactly those objects →
 * a temporary detached worktree (last resort). Every byte written is verified (verified-copy.ts).
 */
import {existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, statSync} from 'node:fs'
import {basename, dirname, join, posix, relative, resolve, sep} from 'node:path'

import {runDvcWatched} from '../adapters/dvc-fetch.js'
import {treeFiles} from '../adapters/git-read.js'
import type {RepoContext} from '../context.js'
import {RefusedError, UsageError, XvError} from '../errors.js'
import {ensureInCache, planFromCache, type CachePlan, type FetchMode, type FileObject} from './cache-plan.js'
import {CorruptObjectError, setAside, type SetAside} from './corrupt-objects.js'
import {dvcOutsAt, locateArtifact, type Artifact} from './locate.js'
import {isInside, type CommitRev, type Rev} from './revision.js'
import {cleanStaleTempFiles} from './temp-files.js'
import {withTemporaryWorktree} from './temp-worktree.js'
import type {ProgressReporter} from './progress.js'
import {commitStaging, copyCacheObject, copyHashing, withStaging, writeGitBlob} from './verified-copy.js'

export type Strategy = 'auto' | 'git' | 'cache' | 'remote' | 'worktree'
export const STRATEGIES: Strategy[] = ['auto', 'git', 'cache', 'remote', 'worktree']

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
  /** Corrupt cache objects moved out of the cache (then fetched again). */
  setAside: SetAside[]
  /** Stale temporary files of killed runs removed from OUT's folder. */
  cleaned: string[]
}

export interface MaterialiseOptions {
  strategy?: Strategy
  force?: boolean
}

interface Copied {
  files: number
  bytes: number
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink()
  } catch {
    return false
  }
}

/** Checks OUT before anything is read: its folder exists, it is outside git's directory, and it is not overwritten without --force. */
function checkOut(ctx: RepoContext, out: string, force: boolean): void {
  const abs = resolve(out)
  if (!existsSync(dirname(abs)) || !statSync(dirname(abs)).isDirectory())
    throw new UsageError(`the directory of OUT ${out} does not exist; create it first (xv writes nothing outside OUT)`)
  const target = join(realpathSync(dirname(abs)), basename(abs))
  for (const gitDir of [join(ctx.root, '.git'), join(ctx.mainRoot, '.git'), ctx.location.commonDir]) {
    const real = existsSync(gitDir) ? realpathSync(gitDir) : gitDir
    if (isInside(real, target)) throw new RefusedError(`OUT ${out} is inside ${gitDir}; choose a path outside git's own directory`)
  }

  if (target.split(sep).includes('.git')) throw new RefusedError(`OUT ${out} is inside a .git directory; choose another path`)
  if (existsSync(abs) || isSymlink(abs)) {
    if (!force) throw new RefusedError(`OUT ${out} already exists; use --force to overwrite it or -o to choose another path`)
    if (isSymlink(abs)) throw new RefusedError(`OUT ${out} is a symlink; remove it or choose another path`)
  }
}

/** A git file or directory (with the DVC outputs inside it, from the cache) into tmp. */
async function materialiseGit(ctx: RepoContext, rev: CommitRev, art: Artifact, tmp: string, mode: FetchMode): Promise<Copied> {
  if (art.type === 'file') return {files: 1, bytes: await writeGitBlob(ctx, art.oid ?? '', art.size ?? 0, tmp, art.path)}
  const entries = (await treeFiles(ctx.git, rev.commit, [art.path])).filter((e) => e.type === 'blob' && e.mode !== '120000')
  mkdirSync(tmp)
  let bytes = 0
  for (const e of entries) {
    const dest = join(tmp, e.path.slice(art.path.length + 1)) // symlinks inside a directory are not followed
    mkdirSync(dirname(dest), {recursive: true})
    bytes += await writeGitBlob(ctx, e.oid, e.size ?? 0, dest, e.path)
  }

  let files = entries.length
  const cacheDir = ctx.cacheDir
  for (const h of (await dvcOutsAt(ctx, rev)).filter((o) => o.outPath.startsWith(`${art.path}/`) && o.out.md5)) {
    const sub: Artifact = {
      rev: rev.name, path: h.outPath, source: 'dvc', type: h.out.isDir ? 'dir' : 'file', md5: h.out.md5, size: h.out.size,
      pointer: h.pointer, out: h.outPath, inside: '',
    }
    const {plan} = await ensureInCache(ctx, rev, sub, mode)
    const r = await copyPlan(cacheDir, plan, sub, join(tmp, h.outPath.slice(art.path.length + 1)), ctx.progress)
    files += r.files
    bytes += r.bytes
  }

  return {files, bytes}
}

/** Copies the plan's objects from the cache into tmp, verified, except those already written there (`done`, by rel). */
async function copyPlan(cacheDir: string, plan: CachePlan, art: Artifact, tmp: string, progress: ProgressReporter, done = new Set<string>()): Promise<Copied> {
  mkdirSync(plan.type === 'file' ? dirname(tmp) : tmp, {recursive: true})
  let bytes = 0
  for (const o of plan.objects) {
    const dest = plan.type === 'file' ? tmp : join(tmp, o.rel)
    if (!isInside(tmp, dest)) throw new XvError(`directory manifest of ${art.out} names ${o.rel}, which leaves the directory; refusing`)
    if (done.has(o.rel)) {
      bytes += statSync(dest).size
      continue
    }

    mkdirSync(dirname(dest), {recursive: true})
    bytes += await copyCacheObject(cacheDir, o, dest, posix.join(art.path, o.rel), progress)
    if (plan.type === 'file') break
  }

  return {files: plan.type === 'file' ? 1 : plan.objects.length, bytes}
}

/** Copies PATH as it was at REV to OUT the cheapest safe way, verifying every byte. */
export async function materialiseArtifact(ctx: RepoContext, rev: Rev, path: string, out: string, options: MaterialiseOptions = {}): Promise<GetResult> {
  const strategy = options.strategy ?? 'auto'
  checkOut(ctx, out, Boolean(options.force))
  const cleaned = cleanStaleTempFiles(dirname(resolve(out)))
  const art = await locateArtifact(ctx, rev, path)
  const aside: SetAside[] = []
  const result = (s: GetResult['strategy'], r: Copied, fetched = 0, type = art.type): GetResult => ({
    version: rev.name, path: art.path, out: resolve(out), strategy: s, type, files: r.files, bytes: r.bytes, md5: art.type === 'file' && !art.inside ? art.md5 : undefined, fetched,
    setAside: aside, cleaned,
  })
  const staged = (fill: (tmp: string) => Promise<Copied>) => withStaging(out, async (tmp) => {
    const r = await fill(tmp)
    commitStaging(tmp, out)
    return r
  })
  if (rev.kind === 'workspace' || art.source === 'workspace') {
    if (strategy === 'worktree') throw new UsageError('--strategy worktree needs a version, not the working copy')
    if (art.type === 'dir') throw new UsageError(`copying a directory from the working copy is not supported; use cp -r ${art.path}`)
    return result('workspace', await staged(async (tmp) => ({files: 1, bytes: (await copyHashing(join(ctx.root, art.path), tmp, ctx.progress)).bytes})))
  }

  if (art.source === 'git') {
    if (strategy !== 'auto' && strategy !== 'git' && strategy !== 'worktree')
      throw new UsageError(`${art.path} is tracked by git at ${rev.name}, not by DVC; use --strategy git (or auto)`)
    if (strategy === 'worktree') return result('worktree', await viaWorktree(ctx, rev, art, out))
    return result('git', await staged((tmp) => materialiseGit(ctx, rev, art, tmp, 'missing')))
  }

  if (strategy === 'git') throw new UsageError(`${art.path} is tracked by DVC at ${rev.name} (${art.pointer}); git only holds its pointer; use --strategy auto, cache or remote`)
  // Last resort: a pointer without a hash (e.g. not yet `dvc commit`ed) cannot be served by hash.
  if (strategy === 'worktree' || (strategy === 'auto' && !art.md5)) return result('worktree', await viaWorktree(ctx, rev, art, out))
  const mode: FetchMode = strategy === 'cache' ? 'never' : strategy === 'remote' ? 'all' : 'missing'
  let fetched = 0
  let type = art.type
  for (;;) {
    try {
      const r = await staged(async (tmp) => {
        // objects fetched from a local remote are written to tmp in the same verified pass
        const got = await ensureInCache(ctx, rev, art, aside.length > 0 ? 'missing' : mode, tmp)
        fetched += got.fetched
        type = got.plan.type
        return copyPlan(ctx.cacheDir, got.plan, art, tmp, ctx.progress, got.teed)
      })
      return result(strategy === 'remote' || fetched > 0 ? 'remote' : 'cache', r, fetched, type)
    } catch (error) {
      // A corrupt object is never used: set aside, fetched again, the copy restarted (each object at most once).
      if (!(error instanceof CorruptObjectError) || aside.some((a) => a.object === error.path)) throw error
      aside.push(setAside(ctx, error.path, error.md5))
      if (mode === 'never') throw new XvError(`${error.message}; set aside to ${aside.at(-1)?.movedTo ?? ''}; run without --strategy cache to fetch it again from the remote`)
    }
  }
}

/** Copies a checked-out file or directory into tmp, checking each file against the md5s the pointer names. */
async function copyCheckedOut(src: string, tmp: string, art: Artifact, rev: CommitRev, expected: FileObject[], progress: ProgressReporter): Promise<Copied> {
  const copied = {files: 0, bytes: 0}
  const copyOne = async (from: string, to: string, want?: string, label = art.path) => {
    const r = await copyHashing(from, to, progress)
    if (want && r.md5 !== want) throw new XvError(`${label} checked out at ${rev.name} has md5 ${r.md5}, the pointer says ${want}; the cache object is corrupt (run 'dvc cache' checks or remove it and fetch again)`)
    copied.files++
    copied.bytes += r.bytes
  }

  if (!statSync(src).isDirectory()) {
    await copyOne(src, tmp, expected[0]?.md5)
    return copied
  }

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
  return copied
}

/** `dvc checkout` of PATH in a temporary worktree; `dvc pull` when the cache lacks it; DVC's cause in one line. */
async function checkoutOrPull(ctx: RepoContext, root: string, rev: CommitRev, path: string): Promise<void> {
  const remote = ctx.remote()
  const watch = {timeoutSec: ctx.config.remoteTimeout, remote: remote ? `'${remote.name}' (${remote.url})` : '(none)'}
  try {
    await runDvcWatched(root, ['checkout', '--', path], {...watch, timeoutSec: Number.POSITIVE_INFINITY}) // local only: no timeout
  } catch {
    try {
      await runDvcWatched(root, ['pull', '--', path], watch)
    } catch (error) {
      throw new XvError(`cannot check out ${path} at ${rev.name} in a temporary worktree: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
}

/** Last resort: a temporary detached worktree, `dvc checkout` there, verified copy out. */
async function viaWorktree(ctx: RepoContext, rev: CommitRev, art: Artifact, out: string): Promise<Copied> {
  return withTemporaryWorktree(ctx, rev.commit, async (root) => {
    if (art.source === 'dvc') await checkoutOrPull(ctx, root, rev, art.path)

    const src = join(root, art.path)
    if (!existsSync(src)) throw new XvError(`${art.path} is missing after checking out ${rev.name} in a temporary worktree`)
    const expected: FileObject[] = art.source === 'dvc' && art.md5 ? planFromCache(ctx.cacheDir, art).objects : []
    return withStaging(out, async (tmp) => {
      const copied = await copyCheckedOut(src, tmp, art, rev, expected, ctx.progress)
      if (art.source === 'git' && art.type === 'file') {
        const oid = await ctx.git.hashFile(tmp)
        if (oid !== art.oid) throw new XvError(`${art.path} checked out at ${rev.name} does not match git object ${art.oid}`)
      }

      commitStaging(tmp, out)
      return copied
    })
  })
}
