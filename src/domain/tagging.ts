/**
 * `xv tag`: the whole "after a run" step. Everything is checked before anything changes:
 * version, artifacts, result database, tools. Then dvc add → git add/commit → annotated tag →
 * dvc push → git push. A failed push keeps the tag and says how to finish.
 */
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {defaultRemote, preloadProcessRunner, requireDvc} from '../adapters/dvc.js'
import {type VersionSummary, describeTables, newestRunId, openDb, summariseVersions} from '../adapters/sqlite.js'
import type {RepoContext} from '../context.js'
import {XvError, errorMessage} from '../errors.js'
import {dataHash, stageOutputs, type PointerSource} from './artifacts-config.js'
import {checkMetrics, chooseResultTable, tagFields} from './results.js'
import {formatTagMessage} from './tag-message.js'
import {asVersion, freeAlternatives, nextVersion, parseVersion, type Bump, type ExperimentVersion} from './version.js'

export interface TagOptions {
  version?: string
  bump: Bump
  description?: string
  dryRun: boolean
  push: boolean
  commit: boolean
}

export interface TagReport {
  version: string
  message: string
  commit?: string
  dryRun: boolean
  steps: string[]
  warnings: string[]
  dvcPushed: boolean
  gitPushed?: string
}

export interface TagHooks {
  step?: (message: string) => void
}

/** Rows of this version in the result database, or of the newest run when none carry it. */
interface ResultFields {
  fields: Record<string, string>
  warnings: string[]
}

export function readResultFields(ctx: RepoContext, version: ExperimentVersion): ResultFields {
  const label = ctx.config.db
  if (!existsSync(ctx.dbPath)) return {fields: {}, warnings: [`no result database at ${label}; the tag message carries no metrics`]}
  const db = openDb(ctx.dbPath, {readonly: true, label})
  try {
    const tables = describeTables(db)
    const choice = chooseResultTable(tables, {table: ctx.config.table, versionColumn: ctx.config.versionColumn}, label)
    if (!choice) return {fields: {}, warnings: [`no table of ${label} has a version column; the tag message carries no metrics`]}
    const columns = tables.find((t) => t.table === choice.table)!.columns
    checkMetrics(ctx.config.metrics, columns, choice.table, label)
    let [summary]: Array<VersionSummary | undefined> = summariseVersions(db, choice.table, choice.versionColumn, columns, [
      version.tag,
      version.semver,
    ])
    const warnings: string[] = []
    if (!summary && columns.some((c) => c.name === 'track_id')) {
      const run = newestRunId(db, choice.table, 'track_id')
      if (run) {
        ;[summary] = summariseVersions(db, choice.table, 'track_id', columns, [run])
        warnings.push(`no rows with ${choice.versionColumn} = ${version.tag} in ${label}; the message uses the newest run (track_id ${run})`)
      }
    }

    if (!summary) return {fields: {}, warnings: [`no rows with ${choice.versionColumn} = ${version.tag} in ${label}; the tag message carries no metrics`]}
    return {fields: tagFields(summary, choice.versionColumn, ctx.config.metrics), warnings}
  } finally {
    db.close()
  }
}

/** Pointer files and dvc.lock files in the index, read from the working tree. */
export async function pointerSources(ctx: RepoContext): Promise<PointerSource[]> {
  const files = await ctx.git.lsFiles(['*.dvc', 'dvc.lock', '*/dvc.lock'])
  const out: PointerSource[] = []
  for (const file of files) {
    const abs = join(ctx.root, file)
    if (existsSync(abs)) out.push({file, text: readFileSync(abs, 'utf8')})
  }

  return out
}

async function chooseVersion(ctx: RepoContext, options: TagOptions): Promise<ExperimentVersion> {
  // Checked before any git call: a bad VERSION costs nothing.
  const requested = options.version === undefined ? undefined : parseVersion(options.version, ctx.config.prefix)
  const all = await ctx.git.listTags()
  const existing = all.map((t) => asVersion(t.name, ctx.config.prefix)).filter((v): v is ExperimentVersion => Boolean(v))
  if (!requested) return nextVersion(existing, options.bump, ctx.config.prefix)
  const version = requested
  if (all.some((t) => t.name === version.tag)) {
    const free = freeAlternatives(version, existing, ctx.config.prefix)
    throw new XvError(`tag ${version.tag} already exists; the next free version is ${free.join(' or ')} (or run 'xv tag' to pick it)`)
  }

  return version
}

interface ArtifactPlan {
  add: string[]
  stageOuts: string[]
  missing: string[]
}

async function planArtifacts(ctx: RepoContext): Promise<ArtifactPlan> {
  const stages = stageOutputs(ctx.root)
  const plan: ArtifactPlan = {add: [], stageOuts: [], missing: []}
  for (const raw of ctx.config.artifacts) {
    const path = raw.replace(/\/+$/, '')
    if (path.startsWith('/') || path.split('/').includes('..'))
      throw new XvError(`artifact '${raw}' in xv.yaml leaves the repository; use a path inside it`)
    if (!existsSync(join(ctx.root, path))) plan.missing.push(path)
    else if (stages.has(path)) plan.stageOuts.push(path)
    else plan.add.push(path)
  }

  if (plan.add.length > 0) {
    const inGit = await ctx.git.lsFiles(plan.add)
    if (inGit.length > 0)
      throw new XvError(
        `${inGit[0]} is tracked by git, so DVC cannot take it; untrack it once with 'git rm --cached -- ${inGit[0]}' and run xv tag again`,
      )
  }

  return plan
}

export async function tagExperiment(ctx: RepoContext, options: TagOptions, hooks: TagHooks = {}): Promise<TagReport> {
  const say = hooks.step ?? (() => {})
  if (!options.dryRun) preloadProcessRunner()
  const pushing = options.push && ctx.config.push
  // Independent read-only checks, concurrently.
  const [version, plan, gitRemotes] = await Promise.all([
    chooseVersion(ctx, options),
    options.commit ? planArtifacts(ctx) : Promise.resolve<ArtifactPlan>({add: [], stageOuts: [], missing: []}),
    pushing ? ctx.git.remotes() : Promise.resolve<string[]>([]),
  ])
  const report: TagReport = {version: version.tag, message: '', dryRun: options.dryRun, steps: [], warnings: [], dvcPushed: false}

  if (plan.missing.length > 0) report.warnings.push(`configured artifacts not found, skipped: ${plan.missing.join(', ')}`)
  const tracked = [...plan.add, ...plan.stageOuts]
  if (tracked.length > 0) {
    if (!ctx.hasDvc()) throw new XvError(`artifacts are configured (${tracked.join(', ')}) but DVC is not initialised here; run 'xv init' first`)
    requireDvc(`track the configured artifacts (${tracked.join(', ')})`)
  }

  const results = readResultFields(ctx, version)
  report.warnings.push(...results.warnings)
  const description = options.description?.trim()

  const remote = pushing && ctx.hasDvc() ? defaultRemote(ctx.root) : undefined
  const gitRemote = gitRemotes.includes('origin') ? 'origin' : gitRemotes[0]
  const commitMessage = `experiment: ${version.tag}${description ? ` - ${description}` : ''}`

  if (plan.add.length > 0) report.steps.push(`dvc add ${plan.add.join(' ')}`)
  if (plan.stageOuts.length > 0) report.steps.push(`dvc commit --force ${plan.stageOuts.join(' ')} (outputs of dvc.yaml stages, recorded in dvc.lock)`)
  if (options.commit) report.steps.push('git add -A', `git commit -m ${JSON.stringify(commitMessage)} (when something is staged)`)
  report.steps.push(`git tag -a ${version.tag}`)
  if (remote) report.steps.push(`dvc push (remote '${remote.name}')`)
  if (gitRemote) report.steps.push(`git push ${gitRemote} ${version.tag}`)

  if (options.dryRun) {
    const data = dataHash(await pointerSources(ctx))
    report.message = formatTagMessage({fields: {...results.fields, ...(data ? {data} : {})}, description})
    return report
  }

  // DVC adds (and pushes) in one process; git commits and tags as soon as the cache has the objects.
  let dvcWork: Promise<string | undefined> = Promise.resolve(undefined)
  if (tracked.length > 0) {
    say(`dvc add ${tracked.join(' ')}${remote ? ` + dvc push → ${remote.name}` : ''}`)
    let markAdded!: () => void
    const addedSignal = new Promise<void>((resolve) => {
      markAdded = resolve
    })
    dvcWork = ctx.dvc().addAndPush({add: plan.add, commit: plan.stageOuts, push: Boolean(remote)}, markAdded)
    await Promise.race([addedSignal, dvcWork])
  } else if (remote) {
    dvcWork = ctx
      .dvc()
      .run(['push', '--quiet'], {what: 'push the artifacts'})
      .then(() => undefined, (error: unknown) => errorMessage(error))
  }

  if (options.commit) {
    await ctx.git.addAll()
    if (await ctx.git.hasStagedChanges()) {
      say(`git commit: ${commitMessage}`)
      report.commit = await ctx.git.commit(commitMessage)
    } else report.commit = ctx.location.head
  } else {
    if ((await ctx.git.statusLines()).length > 0) report.warnings.push('uncommitted changes are not part of the tag (--no-commit)')
    report.commit = ctx.location.head
  }

  const data = dataHash(await pointerSources(ctx))
  report.message = formatTagMessage({fields: {...results.fields, ...(data ? {data} : {})}, description})
  say(`git tag -a ${version.tag}: ${report.message}`)
  await ctx.git.createAnnotatedTag(version.tag, report.message || version.tag)

  const failures: string[] = []
  const pushFailure = await dvcWork.catch((error: unknown) => errorMessage(error))
  if (pushFailure) failures.push(pushFailure)
  else report.dvcPushed = Boolean(remote)

  // The tag is published only once its data is in the remote.
  if (gitRemote && failures.length === 0) {
    say(`git push ${gitRemote} ${version.tag}`)
    try {
      await ctx.git.pushTags(gitRemote, [version.tag])
      report.gitPushed = gitRemote
    } catch (error) {
      failures.push(errorMessage(error))
    }
  }

  if (failures.length > 0)
    throw new XvError(`tag ${version.tag} was created locally but publishing failed (${failures[0]}); finish with: xv push ${version.tag}`)
  return report
}
