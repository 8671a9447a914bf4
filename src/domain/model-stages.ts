/**
 * Stages as GTO-format git tags, so `gto show` and tools built on GTO read what xv writes
 * (format read from GTO's gto/tag.py and gto/constants.py; written here from that description):
 *   NAME@vX.Y.Z        registers a version on a commit (annotated, no counter)
 *   NAME#STAGE#N       assigns STAGE to the version registered on the tag's commit
 *   NAME#STAGE!#N      unassigns it
 * N is one more than the largest counter of any tag of NAME. A stage holds one version at a time
 * (GTO's default): the latest assignment wins. Pure parsing and state; tags are read and written
 * through the git adapter by model-assign.ts.
 */
import type {TagRef} from '../adapters/git.js'
import {UsageError} from '../errors.js'

export type GtoAction = 'register' | 'deregister' | 'assign' | 'unassign' | 'deprecate'

export interface GtoTag {
  tag: string
  name: string
  action: GtoAction
  /** `v0.3.0` (with GTO's `v`). */
  version?: string
  stage?: string
  counter?: number
  commit: string
  date: string
  tagger: string
}

const NAME = '[a-zA-Z0-9](?:[a-zA-Z0-9\\-/_]*[a-zA-Z0-9])?'
const SEMVER = '(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?'
const TAG_RE = new RegExp(
  `^(?<artifact>(?:[a-zA-Z0-9\\-_./]+=)?${NAME})(?:(?:#(?<stage>${NAME})|@(?<version>v${SEMVER}))(?<cancel>!?)|@(?<deprecated>deprecated|created))(?:#(?<counter>[0-9]+))?$`,
)
const STAGE_RE = /^[a-zA-Z0-9](?:[a-zA-Z0-9_-]*[a-zA-Z0-9])?$/

/** Parses a tag name in GTO's format; undefined for any other tag. */
export function parseGtoTagName(tag: string): Omit<GtoTag, 'commit' | 'date' | 'tagger'> | undefined {
  const m = TAG_RE.exec(tag)
  const g = m?.groups
  if (!g?.artifact) return undefined
  const name = g.artifact.replaceAll('=', ':')
  const counter = g.counter === undefined ? undefined : Number(g.counter)
  if (g.deprecated) return g.deprecated === 'deprecated' ? {tag, name, action: 'deprecate', counter} : undefined
  if (g.version) return {tag, name, action: g.cancel ? 'deregister' : 'register', version: g.version, counter}
  if (g.stage) return {tag, name, action: g.cancel ? 'unassign' : 'assign', stage: g.stage, counter}
  return undefined
}

/** Whether a tag name could be in GTO's format (a stage `#` or a version `@`): a cheap filter before parsing. */
export function mayBeGtoTag(tag: {name: string}): boolean {
  return tag.name.includes('#') || tag.name.includes('@')
}

/** Whether any tag could be a GTO stage tag (`NAME#STAGE#N`). */
export function hasStageTags(tags: Array<{name: string}>): boolean {
  return tags.some((t) => t.name.includes('#'))
}

/** GTO tags of the model NAME among all tags (annotated only, as GTO reads them), oldest first. */
export function gtoTagsOf(tags: TagRef[], name: string): GtoTag[] {
  const out: GtoTag[] = []
  for (const t of tags) {
    if (t.type !== 'tag') continue
    const parsed = parseGtoTagName(t.name)
    if (parsed?.name === name) out.push({...parsed, commit: t.commit, date: t.date, tagger: t.tagger})
  }

  return out.sort((a, b) => a.date.localeCompare(b.date) || (a.counter ?? 0) - (b.counter ?? 0))
}

/** Names of the artifacts that GTO-format tags exist for. */
export function gtoArtifacts(tags: TagRef[]): string[] {
  const names = new Set<string>()
  for (const t of tags) {
    const parsed = t.type === 'tag' ? parseGtoTagName(t.name) : undefined
    if (parsed) names.add(parsed.name)
  }

  return [...names].sort()
}

export function checkStageName(stage: string): string {
  if (!STAGE_RE.test(stage))
    throw new UsageError(`stage '${stage}' is not valid: letters, digits, '-' and '_', starting and ending with a letter or digit (e.g. prod, staging)`)
  return stage
}

/** The counter the next tag of this model gets. */
export function nextCounter(events: GtoTag[]): number {
  return Math.max(0, ...events.map((e) => e.counter ?? 0)) + 1
}

/** The GTO version registered (and not deregistered) on COMMIT, if any. */
export function registeredVersionAt(events: GtoTag[], commit: string): string | undefined {
  const state = new Map<string, boolean>()
  for (const e of events) {
    if (e.commit !== commit || !e.version) continue
    if (e.action === 'register') state.set(e.version, true)
    if (e.action === 'deregister') state.set(e.version, false)
  }

  return [...state].filter(([, active]) => active).map(([v]) => v).pop()
}

export interface StageState {
  stage: string
  /** GTO version currently in the stage. */
  version: string
  commit: string
  /** The tag that put it there, when and by whom. */
  tag: string
  date: string
  tagger: string
}

/** Each stage and the version it holds now (the latest assignment not undone). */
export function currentStages(events: GtoTag[]): StageState[] {
  const versionOfCommit = new Map<string, string>()
  for (const e of events) if (e.action === 'register' && e.version) versionOfCommit.set(e.commit, e.version)
  const byStage = new Map<string, StageState[]>()
  for (const e of events) {
    if (!e.stage || (e.action !== 'assign' && e.action !== 'unassign')) continue
    const version = versionOfCommit.get(e.commit) ?? e.commit.slice(0, 7)
    const list = (byStage.get(e.stage) ?? []).filter((s) => s.commit !== e.commit)
    if (e.action === 'assign') list.push({stage: e.stage, version, commit: e.commit, tag: e.tag, date: e.date, tagger: e.tagger})
    byStage.set(e.stage, list)
  }

  const out: StageState[] = []
  for (const list of byStage.values()) {
    const last = list.at(-1)
    if (last) out.push(last)
  }

  return out.sort((a, b) => a.stage.localeCompare(b.stage))
}

/** Every stage name ever used for this model. */
export function knownStages(events: GtoTag[]): string[] {
  return [...new Set(events.flatMap((e) => (e.stage ? [e.stage] : [])))].sort()
}

/** Stages held by each commit (for list views). */
export function stagesByCommit(events: GtoTag[]): Map<string, string[]> {
  const map = new Map<string, string[]>()
  for (const s of currentStages(events)) map.set(s.commit, [...(map.get(s.commit) ?? []), s.stage])
  return map
}

/** GTO's version for an experiment version: the experiment prefix becomes `v` (e0.3.0 → v0.3.0). */
export function gtoVersionOf(semver: string): string {
  return `v${semver}`
}

export function registerTagName(name: string, version: string): string {
  return `${name.replaceAll(':', '=')}@${version}`
}

export function stageTagName(name: string, stage: string, counter: number, unassign = false): string {
  return `${name.replaceAll(':', '=')}#${stage}${unassign ? '!' : ''}#${counter}`
}
