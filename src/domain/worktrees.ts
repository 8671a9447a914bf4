/**
 * Worktree experiments: `xv worktree new | list | remove`, and the shared-cache worktree that
 * `xv explore` also uses. Everything is checked before `git worktree add`; a later failure removes
 * the half-made worktree and its branch again.
 *
 * Link type: DVC's cache is shared by pointing `.dvc/config.local` at the main worktree's cache,
 * and `cache.type` is the cheapest link that really works between the cache and the new worktree
 * (probed: reflink, else hardlink, else symlink) — never a copy. With hardlink/symlink DVC makes
 * the linked files read-only so that nobody edits the cache through them: a script that rewrites
 * such a file in place gets "Permission denied"; it must `dvc unprotect PATH` first (DVC then
 * copies that one file) or write a new file and rename it over the old one. The result database
 * is the one file every run writes, so xv unprotects it right away (a private copy, usually small).
 */
import {chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync} from 'node:fs'
import {basename, dirname, isAbsolute, join, relative, resolve} from 'node:path'

import {
  cacheDirOf,
  cloudStatus,
  defaultRemote,
  fileMatches,
  isDvcRepo,
  isLocalPath,
  missingObjects,
  objectsOf,
  parseLock,
  parsePointer,
  probeLinkType,
  ObjectLookup,
  requireDvc,
  Dvc,
  type DvcOut,
  type LinkType,
} from '../adapters/dvc.js'
import {
  Git,
  addWorktree,
  branchExists,
  commitGraph,
  deleteBranch,
  isValidBranchName,
  pruneWorktrees,
  indexPaths,
  lsFilesOf,
  removeWorktree,
  resolveCommit,
  statusLinesOf,
  tagsReachable,
  type WorktreeRecord,
} from '../adapters/git.js'
import type {RepoContext} from '../context.js'
import {XvError, errorMessage} from '../errors.js'
import {isWritable} from '../fs-access.js'
import {shareDvcSettings} from './temp-worktree.js'
import {asVersion} from './version.js'

export const EXPERIMENT_PREFIX = 'exp-'
export const EXPLORE_PREFIX = 'explore-'
export const BRANCH_PREFIX = 'exp/'

// ---------------------------------------------------------------------------------------------
// Creating a worktree that shares the main worktree's DVC cache

export interface SharedWorktreePlan {
  path: string
  /** New branch to create, or undefined for a detached worktree. */
  branch?: string
  commit: string
  /** undefined: plain git worktree (no DVC at the source). */
  dvc?: {cacheDir: string; linkType: LinkType}
  notes: string[]
}

export interface SharedWorktreeResult extends SharedWorktreePlan {
  /** Files made private (writable copies) after the checkout. */
  unprotected: string[]
}

/** The folder that holds worktrees: `worktreeDir` of xv.yaml, relative to the main worktree. */
export function worktreeParent(ctx: RepoContext): string {
  return resolve(ctx.mainRoot, ctx.config.worktreeDir)
}

/** The outermost missing folder of PATH (what `mkdir -p PATH` would create first). */
function nearestMissing(path: string): string {
  let p = path
  while (!existsSync(dirname(p)) && dirname(p) !== p) p = dirname(p)
  return p
}

function nearestExisting(path: string): string {
  let p = path
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p)
  return p
}

/** The cache the new worktree will use: --cache, else xv.yaml `cache`, else the main worktree's. */
export function sharedCacheDir(ctx: RepoContext, override?: string): string {
  if (override) return resolve(process.cwd(), override)
  if (ctx.config.cache && isLocalPath(ctx.config.cache)) return resolve(ctx.mainRoot, ctx.config.cache.replace(/^file:\/\//, ''))
  return cacheDirOf(ctx.mainRoot)
}

/**
 * Checks everything a shared worktree needs, changing nothing: the path is free, the source has
 * DVC (else a plain worktree), dvc is installed, the cache is writable.
 */
export async function planSharedWorktree(
  ctx: RepoContext,
  path: string,
  commit: string,
  options: {branch?: string; cache?: string},
): Promise<SharedWorktreePlan> {
  if (existsSync(path) || lstatExists(path))
    throw new XvError(`${path} already exists; choose another name, or move that folder away first`)
  const parentProbe = nearestExisting(dirname(path))
  if (!isWritable(parentProbe)) throw new XvError(`cannot create ${path}: ${parentProbe} is not writable; set worktreeDir in xv.yaml to a writable folder`)
  const notes: string[] = []
  const sourceHasDvc = Boolean(await ctx.git.objectAt(commit, '.dvc/config'))
  if (!isDvcRepo(ctx.mainRoot) || !sourceHasDvc) {
    notes.push('no DVC in this repository at that commit: created a plain git worktree (no shared cache, nothing to check out)')
    return {path, branch: options.branch, commit, notes}
  }

  requireDvc('check out the artifacts in the new worktree')
  const cacheDir = sharedCacheDir(ctx, options.cache)
  const cacheProbe = nearestExisting(cacheDir)
  if (!statSync(cacheProbe).isDirectory() || !isWritable(cacheProbe) || (existsSync(cacheDir) && !isWritable(cacheDir)))
    throw new XvError(`the DVC cache ${cacheDir} is not writable; fix its permissions or pass --cache DIR (a writable folder)`)
  // The link type is probed once the worktree folder exists (createSharedWorktree).
  return {path, branch: options.branch, commit, dvc: {cacheDir, linkType: 'hardlink'}, notes}
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

/** A private, writable copy of a linked file (what `dvc unprotect` does), in place. */
function unprotect(path: string): void {
  const tmp = `${path}.xv-unprotect-${process.pid}`
  copyFileSync(path, tmp)
  chmodSync(tmp, 0o644)
  renameSync(tmp, path)
}

/**
 * `git worktree add` + DVC pointed at the shared cache (local config) with a non-copying link
 * type + `dvc checkout`. On any failure after the add, the worktree and branch are removed.
 */
export async function createSharedWorktree(
  ctx: RepoContext,
  plan: SharedWorktreePlan,
  options: {unprotect?: string[]; step?: (m: string) => void} = {},
): Promise<SharedWorktreeResult> {
  const say = options.step ?? (() => {})
  const git = new Git(ctx.mainRoot)
  const createdCache = plan.dvc && !existsSync(plan.dvc.cacheDir) ? nearestMissing(plan.dvc.cacheDir) : undefined
  const rollback = async () => {
    await removeWorktree(git, plan.path, true).catch(() => {})
    rmSync(plan.path, {recursive: true, force: true})
    if (createdCache) rmSync(createdCache, {recursive: true, force: true})
    if (plan.branch) await deleteBranch(git, plan.branch).catch(() => {})
    await pruneWorktrees(git)
  }

  // Ctrl-C half-way leaves nothing behind either.
  const onSignal = () => void rollback().finally(() => process.exit(130))
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  say(`git worktree add ${plan.path}`)
  const unprotected: string[] = []
  try {
    await addWorktree(git, plan.path, plan.commit, plan.branch)
  } catch (error) {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
    throw error
  }

  try {
    if (plan.dvc) {
      const {cacheDir} = plan.dvc
      mkdirSync(cacheDir, {recursive: true}) // validated as creatable; DVC would create it anyway
      plan.dvc.linkType = probeLinkType(cacheDir, plan.path)
      shareDvcSettings(ctx.mainRoot, plan.path, cacheDir, plan.dvc.linkType)
      say(`dvc checkout (cache ${cacheDir}, ${plan.dvc.linkType})`)
      const dvc = new Dvc(plan.path)
      try {
        await dvc.run(['checkout', '--quiet'], {progress: true, what: 'check out the artifacts in the new worktree'})
      } catch (error) {
        // Objects the shared cache lacks (e.g. an old version after a gc): fetch them, if there is a remote.
        if (!defaultRemote(plan.path)) throw error
        say('dvc pull (objects missing from the cache)')
        await dvc.run(['pull', '--quiet'], {progress: true, what: 'fetch the artifacts the cache lacks'})
      }
      if (plan.dvc.linkType !== 'reflink' && process.getuid?.() === 0)
        plan.notes.push(
          `running as root: read-only ${plan.dvc.linkType}s do not stop root from rewriting a tracked file in place, which would change the shared cache; 'dvc unprotect PATH' first`,
        )
      if (plan.dvc.linkType !== 'reflink') {
        for (const rel of options.unprotect ?? []) {
          const abs = join(plan.path, rel)
          if (lstatExists(abs) && statSync(abs).isFile()) {
            unprotect(abs)
            unprotected.push(rel)
          }
        }
      }
    }
  } catch (error) {
    await rollback()
    throw new XvError(`${errorMessage(error)} (the new worktree was removed again; nothing was left behind)`)
  } finally {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
  }

  return {...plan, unprotected}
}

// ---------------------------------------------------------------------------------------------
// xv worktree new

export interface NewWorktreeReport extends SharedWorktreeResult {
  name: string
  from: string
  nextSteps: string[]
}

/** NAME must be one safe folder-and-branch component. */
export async function checkName(git: Git, name: string): Promise<void> {
  const shown = JSON.stringify(name)
  const why =
    !name ? 'is empty'
    : /\s/.test(name) ? 'contains spaces'
    : name.includes('/') || name.includes('\\') ? "contains '/'"
    : name.includes('..') ? "contains '..'"
    : name.startsWith('-') ? "starts with '-'"
    : name.startsWith('.') ? "starts with '.'"
    : !/^[A-Za-z0-9._-]+$/.test(name) ? 'has characters other than letters, digits, ".", "_" and "-"'
    : undefined
  if (why) throw new XvError(`bad worktree name ${shown}: it ${why}; use letters, digits, '-', '_' or '.', e.g. transformer`)
  if (!(await isValidBranchName(git, `${BRANCH_PREFIX}${name}`)))
    throw new XvError(`bad worktree name ${shown}: ${BRANCH_PREFIX}${name} is not a valid git branch name; use letters, digits, '-', '_'`)
}

export async function newWorktree(
  ctx: RepoContext,
  options: {name: string; from?: string; cache?: string},
  hooks: {step?: (m: string) => void} = {},
): Promise<NewWorktreeReport> {
  const {name} = options
  await checkName(ctx.git, name)
  const branch = `${BRANCH_PREFIX}${name}`
  const path = join(worktreeParent(ctx), `${EXPERIMENT_PREFIX}${name}`)
  if (await branchExists(ctx.git, branch))
    throw new XvError(
      `branch ${branch} already exists; choose another name, or delete it (git branch -D ${branch}) if its work is tagged or not needed`,
    )
  if (existsSync(path) || lstatExists(path))
    throw new XvError(`${path} already exists; choose another name, or remove it ('xv worktree remove ${name}' if it is an xv worktree)`)
  const from = options.from ?? 'HEAD'
  if (options.from !== undefined && (options.from.startsWith('-') || !options.from.trim()))
    throw new XvError(`--from ${JSON.stringify(options.from)} is not a ref; give a branch, tag or commit`)
  const commit = await resolveCommit(ctx.git, from)
  if (!commit) throw new XvError(`--from ${from}: no such branch, tag or commit; see 'git branch -a' or 'xv list'`)
  const plan = await planSharedWorktree(ctx, path, commit, {branch, cache: options.cache})
  const result = await createSharedWorktree(ctx, plan, {unprotect: [ctx.config.db], step: hooks.step})
  const rel = relative(process.cwd(), path) || '.'
  return {
    ...result,
    name,
    from,
    nextSteps: [
      `cd ${rel}`,
      'change the code, run your training',
      `xv tag -m "${name}: what changed"   (commits, tags, pushes DVC objects and the tag)`,
      `xv merge ${EXPERIMENT_PREFIX}${name}   (from the main worktree: bring the results into main's database)`,
      `xv worktree remove ${name}   (checks that everything is tagged, pushed and merged first)`,
    ],
  }
}

// ---------------------------------------------------------------------------------------------
// The state of a worktree: git and DVC, read without running dvc

export interface DvcState {
  outputs: number
  /** Outputs whose file differs from the pointer (not committed with `dvc add`/`xv tag`). */
  modified: string[]
  /** Outputs that are same-size copies too large to hash in a listing (`remove` hashes them). */
  unverified: string[]
  /** Outputs absent from the working tree (not checked out). */
  missing: string[]
  /** Objects referenced by the pointers that the cache lacks. */
  notInCache: number
  remote?: string
  /** Objects not in the (local) remote; null when the remote is not a local folder (unknown without dvc). */
  notInRemote: number | null
  /** Outputs whose objects are not all in the remote. */
  unpushedOutputs: string[]
  cacheDir: string
}

interface OutRef {
  /** Path relative to the worktree root. */
  path: string
  out: DvcOut
}

async function outsOf(root: string): Promise<OutRef[]> {
  // Pointer files of the index, read directly (git ls-files only when the index format needs it).
  const indexed = indexPaths(root)
  const files = indexed
    ? indexed.filter((f) => f.endsWith('.dvc') || f === 'dvc.lock' || f.endsWith('/dvc.lock'))
    : await lsFilesOf(root, ['*.dvc', 'dvc.lock', '*/dvc.lock'])
  const outs: OutRef[] = []
  for (const file of files) {
    const abs = join(root, file)
    if (!existsSync(abs)) continue
    const text = readFileSync(abs, 'utf8')
    let parsed: DvcOut[]
    try {
      parsed = file.endsWith('dvc.lock') ? parseLock(text) : parsePointer(text)
    } catch {
      continue
    }

    for (const out of parsed) outs.push({path: join(dirname(file), out.path).replace(/^\.\//, ''), out})
  }

  return outs
}

function countFiles(dir: string): number {
  let n = 0
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    if (entry.isDirectory()) n += countFiles(join(dir, entry.name))
    else n++
  }

  return n
}

/**
 * DVC state of a worktree without running dvc. Links to the cache are recognised without reading;
 * same-size copies are hashed, within BUDGET bytes when given (beyond it: 'unverified').
 */
export async function dvcState(root: string, budget?: {bytes: number}, lookup = new ObjectLookup()): Promise<DvcState | undefined> {
  if (!isDvcRepo(root)) return undefined
  const cacheDir = cacheDirOf(root)
  const remote = defaultRemote(root)
  const localRemote = remote && isLocalPath(remote.url) ? remote.url.replace(/^file:\/\//, '') : undefined
  const state: DvcState = {
    outputs: 0,
    modified: [],
    unverified: [],
    missing: [],
    notInCache: 0,
    remote: remote?.name,
    notInRemote: remote && !localRemote ? null : 0,
    unpushedOutputs: [],
    cacheDir,
  }
  for (const {path, out} of await outsOf(root)) {
    if (!out.md5) continue
    state.outputs++
    const abs = join(root, path)
    const {objects, manifest} = objectsOf(out, cacheDir, lookup)
    state.notInCache += missingObjects(cacheDir, objects, lookup).length
    if (localRemote) {
      const lacking = missingObjects(localRemote, objects, lookup).length
      state.notInRemote = (state.notInRemote ?? 0) + lacking
      if (lacking > 0) state.unpushedOutputs.push(path)
    } else if (!remote) state.unpushedOutputs.push(path)

    if (!lstatExists(abs)) {
      state.missing.push(path)
      continue
    }

    let same: boolean | 'unverified'
    if (out.isDir) {
      if (!statSync(abs).isDirectory() || !manifest) same = false
      else {
        same = countFiles(abs) === manifest.length
        for (const e of manifest) {
          if (same === false) break
          const f = join(abs, e.relpath)
          const one = await fileMatches(f, e.md5, e.size, cacheDir, budget, lookup)
          if (one !== true) same = one
        }
      }
    } else same = statSync(abs).isFile() && (await fileMatches(abs, out.md5, out.size, cacheDir, budget, lookup))
    if (same === false) state.modified.push(path)
    else if (same === 'unverified') state.unverified.push(path)
  }

  return state
}

/**
 * `worktree list` reads at most this many bytes of copied outputs in all (links cost nothing);
 * what is left is 'unverified' there and hashed by `worktree remove`. Keeps the listing < 1 s.
 */
const LIST_HASH_BUDGET = 16 * 1024 * 1024

export type WorktreeKind = 'main' | 'experiment' | 'explore' | 'other'

export interface WorktreeInfo {
  name: string
  kind: WorktreeKind
  path: string
  branch?: string
  head?: string
  /** Lines of `git status --porcelain`; null when the folder is gone (prunable record). */
  changes: number | null
  /** Experiment tags reachable from its HEAD and not from main's (main: all reachable ones). */
  tags: string[]
  dvc?: DvcState
  prunable: boolean
}

function kindOf(rec: WorktreeRecord, mainRoot: string): {kind: WorktreeKind; name: string} {
  const base = basename(rec.path)
  if (resolve(rec.path) === resolve(mainRoot)) return {kind: 'main', name: 'main'}
  if (base.startsWith(EXPERIMENT_PREFIX)) return {kind: 'experiment', name: base.slice(EXPERIMENT_PREFIX.length)}
  if (base.startsWith(EXPLORE_PREFIX)) return {kind: 'explore', name: base.slice(EXPLORE_PREFIX.length)}
  return {kind: 'other', name: base}
}

/** Commits of GRAPH reachable from HEAD (the graph holds only commits not on main). */
function reachable(graph: Map<string, string[]>, head: string): Set<string> {
  const seen = new Set<string>()
  const stack = [head]
  while (stack.length > 0) {
    const c = stack.pop()!
    if (seen.has(c) || !graph.has(c)) continue
    seen.add(c)
    stack.push(...graph.get(c)!)
  }

  return seen
}

export async function listWorktrees(ctx: RepoContext): Promise<WorktreeInfo[]> {
  const records = (await ctx.git.worktrees()).filter((r) => !r.bare)
  const mainHead = records.find((r) => resolve(r.path) === resolve(ctx.mainRoot))?.head
  const live = (r: WorktreeRecord) => !r.prunable && existsSync(r.path)
  const others = [...new Set(records.filter((r) => live(r) && r.head && r.head !== mainHead).map((r) => r.head!))]
  // Tags: one for-each-ref for all, one for main, one rev-list for every other branch at once.
  const [tags, onMain, graph] = await Promise.all([
    ctx.experimentTags(),
    mainHead ? tagsReachable(ctx.git, mainHead) : Promise.resolve([]),
    commitGraph(ctx.mainRoot, others, mainHead ? [mainHead] : []),
  ])
  const budget = {bytes: LIST_HASH_BUDGET}
  const lookup = new ObjectLookup()
  return Promise.all(
    records.map(async (rec): Promise<WorktreeInfo> => {
      const {kind, name} = kindOf(rec, ctx.mainRoot)
      const info: WorktreeInfo = {name, kind, path: rec.path, branch: rec.branch, head: rec.head, changes: null, tags: [], prunable: rec.prunable}
      if (!live(rec)) return info
      const [status, dvc] = await Promise.all([statusLinesOf(rec.path), dvcState(rec.path, budget, lookup)])
      info.changes = status.length
      info.dvc = dvc
      if (kind === 'main') info.tags = onMain.filter((t) => asVersion(t, ctx.config.prefix))
      else if (rec.head) {
        const mine = reachable(graph, rec.head)
        info.tags = tags.filter((t) => mine.has(t.commit)).map((t) => t.name)
      }

      return info
    }),
  )
}

/** The worktree NAME refers to (NAME, exp-NAME or a path); one-line errors for the rest. */
export async function findWorktree(ctx: RepoContext, name: string, kinds: WorktreeKind[]): Promise<WorktreeRecord & {name: string; kind: WorktreeKind}> {
  const records = await ctx.git.worktrees()
  const wanted = name.replace(/\/+$/, '')
  for (const rec of records) {
    const k = kindOf(rec, ctx.mainRoot)
    const base = basename(rec.path)
    const matches = k.name === wanted || base === wanted || (isAbsolute(wanted) && resolve(wanted) === resolve(rec.path))
    if (!matches) continue
    if (k.kind === 'main') throw new XvError(`'${name}' is the main worktree (${rec.path}); xv only removes experiment worktrees`)
    if (!kinds.includes(k.kind))
      throw new XvError(`${rec.path} is not an xv experiment worktree (exp-NAME); remove it with 'git worktree remove' or 'xv explore --clean'`)
    return {...rec, ...k}
  }

  const known = records.map((r) => kindOf(r, ctx.mainRoot)).filter((k) => kinds.includes(k.kind)).map((k) => k.name)
  throw new XvError(`no worktree named '${name}'; ${known.length > 0 ? `existing: ${known.join(', ')}` : 'there are none'} (see 'xv worktree list')`)
}

// ---------------------------------------------------------------------------------------------
// xv worktree remove: the safety checklist, checked

export interface CheckItem {
  check: string
  ok: boolean
  /** A failing item that does not block the removal (shown as a warning). */
  warning?: boolean
  detail: string
}

export interface RemoveReport {
  name: string
  path: string
  branch?: string
  checks: CheckItem[]
  removed: boolean
  forced: boolean
  dryRun: boolean
}

/** track_ids of the worktree's result database that main's database lacks (per table). */
async function unmergedRuns(worktreeDb: string, mainDb: string): Promise<{missing: number; tables: string[]} | undefined> {
  if (!existsSync(worktreeDb)) return undefined
  // Loaded here: listing worktrees does not need SQLite.
  const {listColumns, listTables, openDb, quoteIdent} = await import('../adapters/sqlite.js')
  const src = openDb(worktreeDb, {readonly: true})
  const dst = existsSync(mainDb) ? openDb(mainDb, {readonly: true}) : undefined
  try {
    let missing = 0
    const tables: string[] = []
    const dstTables = new Set(dst ? listTables(dst) : [])
    for (const table of listTables(src)) {
      if (!listColumns(src, table).some((c) => c.name === 'track_id')) continue
      const ids = src.prepare(`SELECT DISTINCT track_id AS id FROM ${quoteIdent(table)} WHERE track_id IS NOT NULL`).all() as Array<{id: unknown}>
      let have = new Set<unknown>()
      if (dst && dstTables.has(table) && listColumns(dst, table).some((c) => c.name === 'track_id'))
        have = new Set((dst.prepare(`SELECT DISTINCT track_id AS id FROM ${quoteIdent(table)}`).all() as Array<{id: unknown}>).map((r) => r.id))
      const lacking = ids.filter((r) => !have.has(r.id)).length
      if (lacking > 0) {
        missing += lacking
        tables.push(table)
      }
    }

    return {missing, tables}
  } finally {
    src.close()
    dst?.close()
  }
}

async function tagCheck(ctx: RepoContext, rec: WorktreeRecord): Promise<CheckItem> {
  const tags = (await ctx.experimentTags()).filter((t) => t.commit === rec.head).map((t) => t.name)
  return {
    check: 'last commit is tagged',
    ok: tags.length > 0,
    detail: tags.length > 0 ? `${rec.head?.slice(0, 7)} is ${tags.join(', ')}` : `${rec.head?.slice(0, 7) ?? 'HEAD'} has no experiment tag; run 'xv tag' in ${rec.path}`,
  }
}

export async function checkRemoval(ctx: RepoContext, rec: WorktreeRecord & {name: string}): Promise<CheckItem[]> {
  const checks: CheckItem[] = []
  const status = await statusLinesOf(rec.path)
  checks.push({
    check: 'no uncommitted git changes',
    ok: status.length === 0,
    detail: status.length === 0 ? 'clean' : `${status.length} changed file(s), e.g. ${status[0].slice(3)}; commit them (xv tag) or discard them`,
  })
  const dvc = await dvcState(rec.path)
  if (dvc) {
    const changed = [...dvc.modified]
    checks.push({
      check: 'no uncommitted DVC outputs',
      ok: changed.length === 0,
      detail: changed.length === 0 ? `${dvc.outputs} output(s) match their pointers` : `modified and not committed: ${changed.join(', ')}; run 'xv tag' in ${rec.path}`,
    })
  }

  checks.push(await tagCheck(ctx, rec))

  if (dvc) {
    if (!dvc.remote) {
      // All in the shared cache: not blocking, but said, since nothing is backed up.
      checks.push({
        check: 'DVC objects in the shared cache',
        ok: false,
        warning: dvc.notInCache === 0,
        detail:
          dvc.notInCache === 0
            ? 'no DVC remote: the objects are only in the shared cache, not backed up (add one: xv init --remote PATH)'
            : `${dvc.notInCache} object(s) missing from the cache ${dvc.cacheDir}`,
      })
    } else {
      let unpushed = dvc.unpushedOutputs
      let count = dvc.notInRemote
      if (count === null) {
        unpushed = await cloudStatus(rec.path)
        count = unpushed.length
      }

      checks.push({
        check: `DVC objects in remote '${dvc.remote}'`,
        ok: count === 0,
        detail: count === 0 ? 'all pushed' : `not pushed: ${unpushed.join(', ')} (${count} object(s)); run 'xv push' in ${rec.path}`,
      })
    }
  }

  const merged = await unmergedRuns(join(rec.path, ctx.config.db), join(ctx.mainRoot, ctx.config.db))
  if (merged) {
    checks.push({
      check: "results merged into main's database",
      ok: merged.missing === 0,
      warning: true,
      detail:
        merged.missing === 0
          ? `every run of ${ctx.config.db} is in main's`
          : `${merged.missing} run(s) of ${ctx.config.db} (${merged.tables.join(', ')}) are not in main's; run 'xv merge ${basename(rec.path)}' from the main worktree`,
    })
  }

  return checks
}

export async function removeExperimentWorktree(
  ctx: RepoContext,
  options: {name: string; force: boolean; dryRun: boolean},
): Promise<RemoveReport> {
  const rec = await findWorktree(ctx, options.name, ['experiment'])
  if (resolve(ctx.root) === resolve(rec.path))
    throw new XvError(`you are inside ${rec.path}; cd to the main worktree (${ctx.mainRoot}) and run it again`)
  const report: RemoveReport = {name: rec.name, path: rec.path, branch: rec.branch, checks: [], removed: false, forced: options.force, dryRun: options.dryRun}
  if (rec.prunable || !existsSync(rec.path)) {
    report.checks.push(
      {check: 'worktree folder exists', ok: false, warning: true, detail: 'the folder is gone; only the stale record and the branch are removed'},
      await tagCheck(ctx, rec),
    )
  } else report.checks = await checkRemoval(ctx, rec)

  const failing = report.checks.filter((c) => !c.ok && !c.warning)
  if (options.dryRun) return report
  if (failing.length > 0 && !options.force) return report
  const git = new Git(ctx.mainRoot)
  if (existsSync(rec.path)) await removeWorktree(git, rec.path, options.force || failing.length > 0)
  await pruneWorktrees(git)
  if (rec.branch && rec.branch === `${BRANCH_PREFIX}${rec.name}` && (await branchExists(git, rec.branch))) await deleteBranch(git, rec.branch)
  report.removed = true
  return report
}
