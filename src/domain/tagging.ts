/**
 * `xv tag`: the whole "after a run" step, in two parts. `planTag` makes every check before
 * anything changes — version, artifacts inside the repository, SQLite files whole, the exact
 * files git will record (no large or binary data file), free disk space, tools — and returns
 * the steps (`--dry-run` prints them). `executeTag` claims the version, then dvc add → git
 * add/commit → annotated tag, each step registering its undo: an error, SIGINT or SIGTERM before
 * the tag exists takes everything back. Publishing follows: dvc push (started beside the commit)
 * and one git push of the branch and the tag. A failed push keeps the tag and says how to finish.
 */
import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {defaultRemote, preloadProcessRunner, requireDvc, type RemoteInfo} from '../adapters/dvc.js'
import {commitIndex, indexTree, restoreIndex, stagePaths, undoCommit} from '../adapters/git-stage.js'
import {checkpointForHashing} from '../adapters/result-store.js'
import type {RepoContext} from '../context.js'
import {XvError, errorMessage} from '../errors.js'
import {withUndo, type UndoLog} from '../interrupt.js'
import {planArtifacts, type ArtifactPlan, type PointerSource} from './artifacts-config.js'
import {listClaims, isOwner, nextFreeVersion} from './claims.js'
import {branchTarget, publishWithBranch, type BranchTarget} from './publish-branch.js'
import {SUMMARY_FILES, tagMessageOf, tagResults, writeTagSummary, type TagResults} from './tag-summary.js'
import {checkFreeSpace, checkInsideRepo, newArtifactBytes, settleSqliteFiles, type SpaceNeed} from './tag-guards.js'
import {missingIgnoreLines, planStaging, type StagePlan} from './tag-staging.js'
import {removePartialObjects, settled, snapshotFiles} from './tag-undo.js'
import {claimTagVersion, consumeClaim, type ClaimedVersion} from './tag-version.js'
import {SUMMARY_SCHEMA} from './summaries.js'
import {keepWritesPrivate} from './private-files.js'
import {pointerSources} from './data-inputs.js'

export {pointerSources} from './data-inputs.js'
import {asVersion, freeAlternatives, parseVersion, type Bump, type ExperimentVersion} from './version.js'

export interface TagOptions {
  version?: string
  bump: Bump
  description?: string
  dryRun: boolean
  push: boolean
  commit: boolean
  /** A tag with no runs of its own (a model promotion): these fields and `no runs`, never the database's numbers. */
  noRuns?: {fields: Record<string, string>}
}

export interface TagReport {
  version: string
  message: string
  commit?: string
  dryRun: boolean
  steps: string[]
  /** Exactly the files git records in the experiment commit (with the ones DVC writes). */
  staged: string[]
  warnings: string[]
  dvcPushed: boolean
  gitPushed?: string
  /** The branch published with the tag. */
  branchPushed?: string
}

export interface TagHooks {
  step?: (message: string) => void
  /** Each warning, as soon as it is known (also listed in the report). */
  warn?: (message: string) => void
}

/** What the tag says about its own rows (message fields + the summary frozen with it): tag-summary.ts. */
type ResultFields = TagResults

function readResultFields(ctx: RepoContext, version: ExperimentVersion): Promise<ResultFields> {
  return tagResults(ctx, version)
}

/** What a tag with no runs of its own says (`promoted=e0.3.0 | no runs`) and freezes (runs: 0). */
export function noRunsResults(version: ExperimentVersion, fields: Record<string, string>): ResultFields {
  const note = Object.entries(fields).map(([k, v]) => `${k}=${v}`).join(' ')
  return {
    fields: {...fields, runs: '0'},
    summary: {schema: SUMMARY_SCHEMA, version: version.tag, runs: 0, rows: 0, metrics: {}, means: {}, params: {}, ...(note ? {note} : {})},
    warnings: [],
  }
}

async function resultsFor(ctx: RepoContext, options: TagOptions, version: ExperimentVersion): Promise<ResultFields> {
  return options.noRuns ? noRunsResults(version, options.noRuns.fields) : readResultFields(ctx, version)
}

function tagMessage(ctx: RepoContext, results: ResultFields, description: string | undefined, sources: PointerSource[]): string {
  return tagMessageOf(ctx, results, description, sources)
}

/** The version a dry run would take: the explicit one (checked), else what the claim would pick. */
async function predictVersion(ctx: RepoContext, requested: ExperimentVersion | undefined, bump: Bump): Promise<ExperimentVersion> {
  const tags = (await ctx.git.listTagNames()).map((t) => asVersion(t, ctx.config.prefix)).filter((v): v is ExperimentVersion => Boolean(v))
  if (requested) {
    if (tags.some((t) => t.tag === requested.tag))
      throw new XvError(`tag ${requested.tag} already exists; the next free version is ${freeAlternatives(requested, tags, ctx.config.prefix).join(' or ')} (or run 'xv tag' to pick it)`)
    return requested
  }

  const mine = (await listClaims(ctx.git)).filter((c) => !c.remote && isOwner(c, {worktree: ctx.root}) && !tags.some((t) => t.tag === c.version))
  const owned = mine.map((c) => asVersion(c.version, ctx.config.prefix)).find((v): v is ExperimentVersion => Boolean(v))
  return owned ?? nextFreeVersion(ctx.git, ctx.config.prefix, bump)
}

export interface TagPlan {
  options: TagOptions
  requested?: ExperimentVersion
  /** The version as predicted now (the claim in executeTag may take a later one). */
  version: ExperimentVersion
  artifacts: ArtifactPlan
  staging: StagePlan
  /** Lines the root .gitignore gets (SQLite side files). */
  ignoreLines: string[]
  sqliteFiles: string[]
  dvcRemote?: RemoteInfo
  gitRemote?: string
  branch?: BranchTarget
  /** Fields of the predicted version's rows (read again if the claim takes another version). */
  results: ResultFields
  warnings: string[]
}

/** Every check, no change: what `xv tag` would do (the dry run's answer). */
async function planTag(ctx: RepoContext, options: TagOptions): Promise<TagPlan> {
  // Checked before any git call: a bad VERSION costs nothing.
  const requested = options.version === undefined ? undefined : parseVersion(options.version, ctx.config.prefix)
  checkInsideRepo(ctx, ctx.config.artifacts.map((a) => a.replace(/\/+$/, '')))
  const pushing = options.push && ctx.config.push
  const empty: ArtifactPlan = {add: [], stageOuts: [], missing: []}
  const [version, artifacts, gitRemotes] = await Promise.all([
    predictVersion(ctx, requested, options.bump),
    options.commit ? planArtifacts(ctx) : Promise.resolve(empty),
    pushing ? ctx.git.remotes() : Promise.resolve<string[]>([]),
  ])
  const warnings = artifacts.missing.length > 0 ? [`configured artifacts not found, skipped: ${artifacts.missing.join(', ')}`] : []
  const tracked = [...artifacts.add, ...artifacts.stageOuts]
  if (tracked.length > 0) {
    if (!ctx.hasDvc()) throw new XvError(`artifacts are configured (${tracked.join(', ')}) but DVC is not initialised here; run 'xv init' first`)
    requireDvc(`track the configured artifacts (${tracked.join(', ')})`)
  }

  const sqliteFiles = options.commit ? [ctx.config.db, ...artifacts.add.filter((a) => a !== ctx.config.db)] : []
  settleSqliteFiles(ctx, sqliteFiles, {checkpoint: false})
  const staging = options.commit ? await planStaging(ctx, artifacts) : {files: [], dvcFiles: []}
  if (options.commit) staging.files.push(...SUMMARY_FILES.filter((f) => !staging.files.includes(f))) // written before the commit
  const gitRemote = gitRemotes.includes('origin') ? 'origin' : gitRemotes[0]
  const plan: TagPlan = {
    options,
    ...(requested ? {requested} : {}),
    version,
    artifacts,
    staging,
    ignoreLines: options.commit ? missingIgnoreLines(ctx.root, ctx.config.db) : [],
    sqliteFiles,
    dvcRemote: pushing && ctx.hasDvc() ? defaultRemote(ctx.root) : undefined,
    gitRemote,
    branch: gitRemote ? await branchTarget(ctx.git, gitRemote) : undefined,
    results: await resultsFor(ctx, options, version),
    warnings,
  }
  if (!options.commit && (await ctx.git.statusLines()).length > 0) plan.warnings.push('uncommitted changes are not part of the tag (--no-commit)')
  checkFreeSpace(spaceNeeds(ctx, plan))
  return plan
}

function spaceNeeds(ctx: RepoContext, plan: TagPlan): SpaceNeed[] {
  const toCache = [...plan.artifacts.add, ...plan.artifacts.stageOuts].reduce((sum, a) => sum + newArtifactBytes(ctx.root, a), 0)
  const staged = plan.staging.files.reduce((sum, f) => sum + (statSync(join(ctx.root, f), {throwIfNoEntry: false})?.size ?? 0), 0)
  const needs: SpaceNeed[] = [
    {dir: ctx.cacheDir, bytes: toCache, what: 'DVC cache'},
    {dir: ctx.location.commonDir, bytes: staged, what: 'git objects'},
  ]
  const remote = plan.dvcRemote
  if (remote && /^(\/|file:\/\/)/.test(remote.url)) needs.push({dir: remote.url.replace(/^file:\/\//, ''), bytes: toCache, what: `DVC remote '${remote.name}'`})
  return needs
}

/** The steps of PLAN for VERSION, as the dry run prints them. */
function describeSteps(plan: TagPlan, version: string, commitMessage: string): string[] {
  const steps = [`claim ${version} (refs/xv/claims/${version}${plan.gitRemote ? `, pushed create-only to ${plan.gitRemote}` : ''})`]
  if (plan.ignoreLines.length > 0) steps.push(`add to .gitignore: ${plan.ignoreLines.join(' ')}`)
  const {add, stageOuts} = plan.artifacts
  if (add.length > 0) steps.push(`dvc add ${add.join(' ')}`)
  if (stageOuts.length > 0) steps.push(`dvc commit --force ${stageOuts.join(' ')} (outputs of dvc.yaml stages, recorded in dvc.lock)`)
  if (plan.options.commit) {
    const files = [...plan.staging.files, ...plan.staging.dvcFiles, ...(plan.ignoreLines.length > 0 && !plan.staging.files.includes('.gitignore') ? ['.gitignore'] : [])]
    steps.push(files.length > 0 ? `git add -- ${files.join(' ')}` : 'git add: nothing to stage')
    steps.push(`git commit -m ${JSON.stringify(commitMessage)} (when something is staged)`)
  }

  steps.push(`git tag -a ${version}`)
  if (plan.dvcRemote) steps.push(`dvc push (remote '${plan.dvcRemote.name}')`)
  if (plan.gitRemote) steps.push(`git push ${plan.branch?.setUpstream ? '--set-upstream ' : ''}${plan.gitRemote} ${plan.branch ? `${plan.branch.branch} ` : ''}${version}`)
  return steps
}

function commitMessageOf(version: string, description: string | undefined): string {
  return `experiment: ${version}${description ? ` - ${description}` : ''}`
}

export async function tagExperiment(ctx: RepoContext, options: TagOptions, hooks: TagHooks = {}): Promise<TagReport> {
  if (!options.dryRun) {
    preloadProcessRunner()
    // DVC's start-up overlaps the checks of planTag; the process is stopped unused when the tag
    // stops first or has nothing to add.
    const dvc = options.commit && ctx.hasDvc() ? ctx.dvc() : undefined
    dvc?.startAddAndPush()
    try {
      return await executeTag(ctx, await planTag(ctx, options), hooks)
    } finally {
      dvc?.cancelAddAndPush()
    }
  }

  const plan = await planTag(ctx, options)
  const description = options.description?.trim()
  const results = plan.results
  for (const w of [...plan.warnings, ...results.warnings]) hooks.warn?.(w)
  return {
    version: plan.version.tag,
    message: tagMessage(ctx, results, description, await pointerSources(ctx)),
    dryRun: true,
    steps: describeSteps(plan, plan.version.tag, commitMessageOf(plan.version.tag, description)),
    staged: [...plan.staging.files, ...plan.staging.dvcFiles],
    warnings: [...plan.warnings, ...results.warnings],
    dvcPushed: false,
  }
}

interface DvcRun {
  work: Promise<string | undefined>
  kill?: (signal?: NodeJS.Signals) => void
  since: number
}

/** dvc add (+ push, in one process) with its undos: pointers restored, the process stopped, partial objects removed. */
async function startDvc(ctx: RepoContext, plan: TagPlan, log: UndoLog, say: (m: string) => void): Promise<DvcRun> {
  const {add, stageOuts} = plan.artifacts
  const remote = plan.dvcRemote
  const run: DvcRun = {work: Promise.resolve(undefined), since: Date.now()}
  const pointers = plan.staging.dvcFiles.filter((f) => f.endsWith('.dvc') || f === 'dvc.lock')
  if (add.length + stageOuts.length === 0) {
    if (remote) run.work = ctx.dvc().push().then(() => undefined, (error: unknown) => errorMessage(error))
    return run
  }

  const files = snapshotFiles(ctx.root, plan.staging.dvcFiles)
  log.onUndo(() => files.restore(), `dvc add (${[...add, ...stageOuts].join(', ')})`)
  say(`dvc add ${[...add, ...stageOuts].join(' ')}${remote ? ` + dvc push → ${remote.name}` : ''}`)
  let markAdded!: () => void
  const added = new Promise<void>((resolve) => {
    markAdded = resolve
  })
  run.work = ctx.dvc().addAndPush({add, commit: stageOuts, push: Boolean(remote)}, markAdded, (kill) => {
    run.kill = kill
    return log.trackChild(kill)
  })
  log.onUndo(() => removePartialObjects(ctx, remote, pointers, run.since))
  log.onUndo(() => stopDvc(run))
  await Promise.race([added, run.work])
  return run
}

/** Waits for an interrupted DVC process to stop (it got SIGINT); kills it after 5 s. */
async function stopDvc(run: DvcRun): Promise<void> {
  await settled(run.work, 5000, () => run.kill?.('SIGKILL'))
}

/** .gitignore lines, staging, commit and tag: each with its undo. Returns the commit tagged. */
async function commitAndTag(ctx: RepoContext, plan: TagPlan, claimed: ClaimedVersion, message: () => Promise<string>, log: UndoLog, say: (m: string) => void): Promise<{commit?: string; staged: string[]; message: string}> {
  const version = claimed.version.tag
  const head = ctx.location.head
  if (!head) throw new XvError('the repository has no commit to tag')
  let commit = head
  const staged: string[] = []
  if (plan.options.commit) {
    const index = await indexTree(ctx.git)
    log.onUndo(() => restoreIndex(ctx.git, index), 'staged files')
    staged.push(...plan.staging.files, ...plan.staging.dvcFiles.filter((f) => existsSync(join(ctx.root, f))))
    if (plan.ignoreLines.length > 0 && !staged.includes('.gitignore')) staged.push('.gitignore')
    await stagePaths(ctx.git, staged)
    staged.splice(0, staged.length, ...(await ctx.git.stagedPaths()))
    if (staged.length > 0) {
      const subject = commitMessageOf(version, plan.options.description?.trim())
      say(`git commit: ${subject}`)
      let kill: ((signal?: NodeJS.Signals) => void) | undefined
      const committing = commitIndex(ctx.git, subject, (k) => log.trackChild((kill = k)))
      log.onUndo(async () => {
        await settled(committing, 3000, () => kill?.('SIGKILL')) // git, stopped, releases its locks
        const now = await ctx.git.revParse('HEAD')
        if (!now || now === head || (await ctx.git.revParse('HEAD^')) !== head) return false
        await undoCommit(ctx.git, now, head)
      }, 'commit')
      commit = await committing
    }
  }

  const text = await message()
  say(`git tag -a ${version}: ${text}`)
  log.onUndo(async () => {
    if ((await ctx.git.revParse(`refs/tags/${version}^{commit}`)) === commit) await ctx.git.deleteTag(version)
  }, `tag ${version}`)
  await ctx.git.createAnnotatedTag(version, text || version)
  return {commit, staged, message: text}
}

/** Claims, commits and tags (all undone on failure or Ctrl-C), then publishes. */
async function executeTag(ctx: RepoContext, plan: TagPlan, hooks: TagHooks = {}): Promise<TagReport> {
  const say = hooks.step ?? (() => {})
  const description = plan.options.description?.trim()
  let dvc!: DvcRun
  const local = await withUndo(async (log) => {
    const claimed = await claimTagVersion(ctx, plan.requested, plan.options.bump, plan.gitRemote, log)
    settleSqliteFiles(ctx, plan.sqliteFiles, {checkpoint: true})
    // A DuckDB result database: its WAL folded in before hashing (never staged), the writer named if busy.
    if (existsSync(ctx.dbPath)) await checkpointForHashing(ctx.dbPath, ctx.config.db)
    const results = claimed.version.tag === plan.version.tag ? plan.results : await resultsFor(ctx, plan.options, claimed.version)
    if (plan.ignoreLines.length > 0) {
      const ignore = snapshotFiles(ctx.root, ['.gitignore'])
      log.onUndo(() => ignore.restore(), '.gitignore')
      const file = join(ctx.root, '.gitignore')
      const text = existsSync(file) ? readFileSync(file, 'utf8') : ''
      writeFileSync(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}# SQLite side files (xv): never versioned\n${plan.ignoreLines.join('\n')}\n`)
    }

    if (plan.options.commit) writeTagSummary(ctx, results, await pointerSources(ctx), log)
    dvc = await startDvc(ctx, plan, log, say)
    const message = async () => tagMessage(ctx, results, description, await pointerSources(ctx))
    const done = await commitAndTag(ctx, plan, claimed, message, log, say)
    await consumeClaim(ctx, claimed)
    return {...done, claimed, warnings: [...plan.warnings, ...claimed.warnings, ...results.warnings]}
  })
  for (const w of local.warnings) hooks.warn?.(w)
  const version = local.claimed.version.tag
  const report: TagReport = {version, message: local.message, commit: local.commit, dryRun: false, steps: [], staged: local.staged, warnings: local.warnings, dvcPushed: false}
  return publish(ctx, plan, local.claimed, dvc, report, {...hooks, step: say})
}

/** The tag exists locally: its data, then the branch and the tag. Nothing here is undone. */
async function publish(ctx: RepoContext, plan: TagPlan, claimed: ClaimedVersion, dvc: DvcRun, report: TagReport, hooks: TagHooks): Promise<TagReport> {
  const version = report.version
  const say = hooks.step ?? (() => {})
  return withUndo(
    async (log) => {
      if (dvc.kill) log.trackChild(dvc.kill)
      log.onUndo(() => removePartialObjects(ctx, plan.dvcRemote, plan.staging.dvcFiles, dvc.since))
      log.cannotUndo(`tag ${version} is local, not published`, `xv push ${version}`)
      const pushFailure = await dvc.work.catch((error: unknown) => errorMessage(error))
      await keepWritesPrivate(ctx.root, ctx.config) // dvc add linked them back into the shared cache (worktrees helper)
      if (pushFailure) throw new XvError(`tag ${version} was created locally but publishing failed (${pushFailure}); finish with: xv push ${version}`)
      report.dvcPushed = Boolean(plan.dvcRemote)
      if (!plan.gitRemote) return report
      // The tag is published only once its data is in the remote; the branch goes with it.
      say(`git push ${plan.gitRemote} ${plan.branch ? `${plan.branch.branch} ` : ''}${version}`)
      const refspecs = [`refs/tags/${version}:refs/tags/${version}`, ...(claimed.onRemote ? [`:refs/xv/claims/${version}`] : [])]
      const outcome = await publishWithBranch(ctx.git, plan.gitRemote, plan.branch, refspecs, ctx.config.remoteTimeout * 1000)
      const tagRejected = outcome.rejected.find((r) => r.ref === `refs/tags/${version}`)
      if (outcome.unreachable || tagRejected || !outcome.accepted.includes(`refs/tags/${version}`))
        throw new XvError(`tag ${version} was created locally but publishing failed (${outcome.unreachable ?? tagRejected?.reason ?? 'git push did not take the tag'}); finish with: xv push ${version}`)
      report.gitPushed = plan.gitRemote
      report.branchPushed = outcome.branchPushed
      if (outcome.branchRejected) {
        const warning = `branch ${plan.branch?.branch} was not pushed to ${plan.gitRemote} (${outcome.branchRejected}); the tag was. Pull, then 'git push'`
        report.warnings.push(warning)
        hooks.warn?.(warning)
      }

      return report
    },
    {quietRollback: true},
  )
}
