/**
 * The model registry's committed record: `models/registry.json` (git-tracked, next to the DVC
 * pointers of `models/production/` and `models/candidates/`). It says where production and each
 * candidate came from (version, run, source path, md5), when and by whom, and which candidates
 * were pruned and from which tag they can be restored. Registry state is git + DVC only: this
 * file, the pointers and the GTO-format tags — no server.
 */
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {userInfo} from 'node:os'

import type {Git} from '../adapters/git.js'
import type {XvConfig} from '../config.js'
import {UsageError, XvError} from '../errors.js'

export const REGISTRY_FILE = 'models/registry.json'
export const CANDIDATES_DIR = 'models/candidates'
export const PRODUCTION_DIR = 'models/production'
export const REGISTRY_SCHEMA = 1

export interface Origin {
  /** Experiment version the model was trained at (`e0.3.0`). */
  version?: string
  /** Run (track_id) that produced it, when known. */
  run?: string
  /** The path it was copied from at that version (`models/production/model.bin`). */
  source?: string
  /** The candidate it was promoted from. */
  candidate?: string
  md5?: string
  size?: number
}

export interface CandidateRecord extends Origin {
  addedAt: string
  addedBy: string
}

export interface ProductionRecord {
  path: string
  origin: Origin
  promotedAt: string
  promotedBy: string
  /** The promotion tag, when `--tag` made one. */
  tag?: string
}

export interface PrunedRecord {
  name: string
  md5?: string
  run?: string
  version?: string
  /** A tag (or commit) whose `models/candidates` still holds it: `xv get REV models/candidates/NAME`. */
  retrievableFrom: string
  prunedAt: string
}

export interface Registry {
  schema: number
  production?: ProductionRecord
  candidates: Record<string, CandidateRecord>
  pruned: PrunedRecord[]
}

export function emptyRegistry(): Registry {
  return {schema: REGISTRY_SCHEMA, candidates: {}, pruned: []}
}

export function parseRegistry(text: string): Registry {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw new XvError(`${REGISTRY_FILE} is not valid JSON; restore it with 'git checkout -- ${REGISTRY_FILE}'`)
  }

  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new XvError(`${REGISTRY_FILE} is not a registry record (expected an object)`)
  const d = doc as Partial<Registry>
  return {
    schema: typeof d.schema === 'number' ? d.schema : REGISTRY_SCHEMA,
    production: d.production,
    candidates: d.candidates && typeof d.candidates === 'object' ? d.candidates : {},
    pruned: Array.isArray(d.pruned) ? d.pruned : [],
  }
}

export function readRegistry(root: string): Registry {
  const file = join(root, REGISTRY_FILE)
  return existsSync(file) ? parseRegistry(readFileSync(file, 'utf8')) : emptyRegistry()
}

/** Writes the record atomically (temporary file + rename). */
export function writeRegistry(root: string, registry: Registry): void {
  const file = join(root, REGISTRY_FILE)
  const tmp = `${file}.xv-tmp-${process.pid}`
  const sorted: Registry = {...registry, candidates: Object.fromEntries(Object.entries(registry.candidates).sort(([a], [b]) => a.localeCompare(b)))}
  writeFileSync(tmp, `${JSON.stringify(sorted, null, 2)}\n`)
  renameSync(tmp, file)
}

/** Now, and who acts: git's author name (as commits record it), else the login name. */
export async function whoAndWhen(git: Git): Promise<{at: string; by: string}> {
  const ident = await git.authorIdent()
  let by = ident ? ident.replace(/\s*<.*$/s, '').trim() : ''
  if (!by) {
    try {
      by = userInfo().username
    } catch {
      by = 'unknown'
    }
  }

  return {at: new Date().toISOString(), by}
}

/** The production model file: the configured artifact under models/production/, else model.bin there. */
export function productionPath(config: XvConfig): string {
  return config.artifacts.find((a) => a.startsWith(`${PRODUCTION_DIR}/`)) ?? `${PRODUCTION_DIR}/model.bin`
}

/** A candidate name: one path component, no separators, nothing hidden. */
export function checkCandidateName(name: string): string {
  if (!name || name.includes('/') || name.includes('\\') || name === '.' || name === '..' || name.startsWith('.') || name.includes('\0'))
    throw new UsageError(`candidate name '${name}' is not valid: use one file name without path separators (e.g. e0.3.0_model.bin)`)
  return name
}

/** `<track_id>_model.<ext>` (a sweep that saves one model per run) names its run. */
export function runOfFileName(name: string): string | undefined {
  const m = /^(.+)_model(\.[^.]+)?$/.exec(name)
  return m?.[1]
}

/**
 * The GTO artifact name: xv.yaml `model.name`; else, when the repository's GTO tags name exactly
 * one artifact, that one (a clone in a folder of another name keeps its registry); else the
 * project folder made GTO-valid.
 */
export function modelName(config: XvConfig, mainRoot: string, gtoArtifacts: string[] = []): string {
  if (config.model?.name) return config.model.name
  if (gtoArtifacts.length === 1 && gtoArtifacts[0]) return gtoArtifacts[0]
  const name = basename(mainRoot)
    .toLowerCase()
    .replaceAll(/[^a-z0-9-]+/g, '-')
    .replaceAll(/-+/g, '-')
    .replaceAll(/^-|-$/g, '')
  return name || 'model'
}
