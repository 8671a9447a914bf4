/**
 * `xv model assign|unassign|stages`: GTO-readable stage tags on experiment commits, pushed like
 * experiment tags. Everything is checked before the first tag is written; a failure after it
 * removes the tags this command made.
 */
import type {TagRef} from '../adapters/git.js'
import type {RepoContext} from '../context.js'
import {NotFoundError, RefusedError, ConflictError, XvError, errorMessage} from '../errors.js'
import {withUndo} from '../interrupt.js'
import {unknownVersion} from './revision.js'
import {modelName} from './model-registry.js'
import {
  checkStageName, currentStages, hasStageTags, mayBeGtoTag, gtoArtifacts, gtoTagsOf, gtoVersionOf, knownStages, nextCounter, registerTagName, registeredVersionAt, stageTagName,
  type GtoTag, type StageState,
} from './model-stages.js'
import {asVersion} from './version.js'

export interface StageOptions {
  dryRun: boolean
  push: boolean
}

export interface StageChange {
  model: string
  version: string
  gtoVersion: string
  stage: string
  commit: string
  /** Tags written (or that would be, with --dry-run), in order. */
  tags: string[]
  pushed?: string
  dryRun: boolean
}

export interface StageListing {
  model: string
  stages: Array<StageState & {experiment?: string}>
}

interface Registry {
  model: string
  tags: TagRef[]
  events: GtoTag[]
}

/** The model's GTO name (see modelName), given every tag. */
export function modelNameOf(ctx: RepoContext, tags: TagRef[]): string {
  return modelName(ctx.config, ctx.mainRoot, gtoArtifacts(tags))
}

async function loadEvents(ctx: RepoContext): Promise<Registry> {
  const tags = await ctx.git.listTags()
  const model = modelNameOf(ctx, tags)
  return {model, tags, events: gtoTagsOf(tags, model)}
}

/** The experiment tag on COMMIT that matches a GTO version (e0.3.0 for v0.3.0), else any on it. */
export function experimentFor(ctx: RepoContext, tags: TagRef[], commit: string, gtoVersion?: string): string | undefined {
  const on = tags.filter((t) => t.commit === commit && asVersion(t.name, ctx.config.prefix))
  return on.find((t) => gtoVersion && `v${asVersion(t.name, ctx.config.prefix)?.semver ?? ''}` === gtoVersion)?.name ?? on.at(-1)?.name
}

async function resolveExperiment(ctx: RepoContext, tags: TagRef[], version: string): Promise<{tag: TagRef; semver: string}> {
  const v = asVersion(version, ctx.config.prefix)
  const tag = v ? tags.find((t) => t.name === version) : undefined
  if (!v || !tag) throw unknownVersion(version, await ctx.experimentTags(), ctx.config.prefix)
  return {tag, semver: v.semver}
}

/** Writes annotated tags in order, one second apart from the model's newest tag so GTO's time order is the counter order. */
async function writeTags(ctx: RepoContext, tags: Array<{name: string; message: string}>, commit: string, events: GtoTag[], undo: (name: string) => void): Promise<void> {
  let last = Math.max(0, ...events.map((e) => Date.parse(e.date) || 0))
  for (const t of tags) {
    const now = Math.floor(Date.now() / 1000) * 1000
    const at = Math.max(now, last + 1000)
    const saved = process.env.GIT_COMMITTER_DATE
    if (at > now) process.env.GIT_COMMITTER_DATE = `${at / 1000} +0000`
    try {
      await ctx.git.createAnnotatedTag(t.name, t.message, commit)
    } finally {
      if (saved === undefined) delete process.env.GIT_COMMITTER_DATE
      else process.env.GIT_COMMITTER_DATE = saved
    }

    undo(t.name)
    last = at
  }
}

async function publish(ctx: RepoContext, tags: string[], options: StageOptions): Promise<string | undefined> {
  if (!options.push || !ctx.config.push) return undefined
  const remotes = await ctx.git.remotes()
  const remote = remotes.includes('origin') ? 'origin' : remotes[0]
  if (!remote) return undefined
  try {
    await ctx.git.pushTags(remote, tags)
  } catch (error) {
    throw new XvError(`tags ${tags.join(', ')} were created locally but not pushed (${errorMessage(error)}); finish with: git push ${remote} ${tags.join(' ')}`)
  }

  return remote
}

export async function assignStage(ctx: RepoContext, version: string, stageInput: string, options: StageOptions): Promise<StageChange> {
  const stage = checkStageName(stageInput)
  const {model, tags, events} = await loadEvents(ctx)
  const {tag, semver} = await resolveExperiment(ctx, tags, version)
  const commit = tag.commit
  const planned: Array<{name: string; message: string}> = []
  let gtoVersion = registeredVersionAt(events, commit)
  if (!gtoVersion) {
    gtoVersion = gtoVersionOf(semver)
    const taken = events.find((e) => e.action === 'register' && e.version === gtoVersion && e.commit !== commit)
    if (taken) throw new ConflictError(`${model} ${gtoVersion} is already registered on another commit (${taken.tag} → ${taken.commit.slice(0, 7)}); ${version} cannot take it`)
    planned.push({name: registerTagName(model, gtoVersion), message: `Registering artifact ${model} version ${gtoVersion} (xv ${version})`})
  }

  const current = currentStages(events).find((s) => s.stage === stage)
  if (current?.commit === commit) throw new RefusedError(`${version} (${model} ${gtoVersion}) is already in stage '${stage}'; nothing to do`)
  planned.push({name: stageTagName(model, stage, nextCounter(events)), message: `Assigning stage ${stage} to artifact ${model} version ${gtoVersion} (xv ${version})`})
  const change: StageChange = {model, version, gtoVersion, stage, commit, tags: planned.map((p) => p.name), dryRun: options.dryRun}
  if (options.dryRun) return change
  return withUndo(async (log) => {
    await writeTags(ctx, planned, commit, events, (name) => log.onUndo(() => ctx.git.deleteTag(name), `tag ${name}`))
    log.commit() // the tags stay even if the push fails: the error says how to finish
    change.pushed = await publish(ctx, change.tags, options)
    return change
  })
}

export async function unassignStage(ctx: RepoContext, version: string, stageInput: string, options: StageOptions): Promise<StageChange> {
  const stage = checkStageName(stageInput)
  const {model, tags, events} = await loadEvents(ctx)
  const {tag} = await resolveExperiment(ctx, tags, version)
  const stages = knownStages(events)
  if (!stages.includes(stage))
    throw new NotFoundError('stage', `unknown stage '${stage}' for model ${model}${stages.length > 0 ? `; stages: ${stages.join(', ')}` : '; no stage was ever assigned'} (see 'xv model stages')`)
  const current = currentStages(events).find((s) => s.stage === stage)
  if (current?.commit !== tag.commit) {
    const holder = current ? experimentFor(ctx, tags, current.commit, current.version) ?? current.version : 'nothing'
    throw new NotFoundError('stage', `${version} is not in stage '${stage}' (it holds ${holder}); nothing to unassign`)
  }

  const gtoVersion = current.version
  const planned = [{name: stageTagName(model, stage, nextCounter(events), true), message: `Unassigning stage '${stage}' to artifact '${model}' version '${gtoVersion}' (xv ${version})`}]
  const change: StageChange = {model, version, gtoVersion, stage, commit: tag.commit, tags: planned.map((p) => p.name), dryRun: options.dryRun}
  if (options.dryRun) return change
  return withUndo(async (log) => {
    await writeTags(ctx, planned, tag.commit, events, (name) => log.onUndo(() => ctx.git.deleteTag(name), `tag ${name}`))
    log.commit() // the tags stay even if the push fails: the error says how to finish
    change.pushed = await publish(ctx, change.tags, options)
    return change
  })
}

export async function listStages(ctx: RepoContext): Promise<StageListing> {
  const {model, tags, events} = await loadEvents(ctx)
  return {model, stages: currentStages(events).map((s) => ({...s, experiment: experimentFor(ctx, tags, s.commit, s.version)}))}
}

/** Stages by experiment version (for `xv model list` and `xv list`; TAGS: every tag, read once by the caller). */
export async function stagesByVersion(ctx: RepoContext, tags?: TagRef[]): Promise<Map<string, string[]>> {
  const all = tags ?? (await ctx.git.listTags())
  const map = new Map<string, string[]>()
  // Only names with '#' or '@' can be GTO tags: one cheap pass, the format parsed for those only.
  const gto = all.filter(mayBeGtoTag)
  if (!hasStageTags(gto)) return map
  const events = gtoTagsOf(gto, modelNameOf(ctx, gto))
  for (const s of currentStages(events)) {
    const exp = experimentFor(ctx, all, s.commit, s.version)
    if (exp) map.set(exp, [...(map.get(exp) ?? []), s.stage])
  }

  return map
}

/**
 * The model's GTO tags (registrations, stage assignments and unassignments) on COMMITS, oldest
 * first: what `xv push` carries along with the experiment tags of those commits. ALL: every tag.
 */
export function gtoTagsOn(ctx: RepoContext, all: TagRef[], commits: Set<string>): string[] {
  const gto = all.filter(mayBeGtoTag)
  if (gto.length === 0 || commits.size === 0) return []
  return gtoTagsOf(gto, modelNameOf(ctx, gto))
    .filter((e) => commits.has(e.commit))
    .map((e) => e.tag)
}
