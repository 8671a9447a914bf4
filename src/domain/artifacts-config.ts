/**
 * Which configured artifacts `xv tag` hands to DVC, and the short data hash that pins them.
 */
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseYaml} from '../yaml.js'

import type {RepoContext} from '../context.js'
import {XvError} from '../errors.js'

/** Output paths declared by the stages of a dvc.yaml (relative to the repository root). */
function stageOutputs(root: string): Map<string, string> {
  const file = join(root, 'dvc.yaml')
  const outs = new Map<string, string>()
  if (!existsSync(file)) return outs
  let doc: {stages?: Record<string, {outs?: unknown[]} | null>} | null
  try {
    doc = parseYaml(readFileSync(file, 'utf8')) as typeof doc
  } catch {
    return outs
  }

  for (const [stage, body] of Object.entries(doc?.stages ?? {})) {
    for (const o of body?.outs ?? []) {
      if (typeof o === 'string') outs.set(o.replace(/\/$/, ''), stage)
      else if (o && typeof o === 'object') for (const k of Object.keys(o)) outs.set(k.replace(/\/$/, ''), stage)
    }
  }

  return outs
}

export interface PointerSource {
  /** Path of the pointer file (`x.dvc` or `dvc.lock`) relative to the repository root. */
  file: string
  text: string
}

export interface ArtifactPlan {
  add: string[]
  stageOuts: string[]
  missing: string[]
}

/** Artifacts DVC takes: `dvc add` ones, dvc.yaml stage outputs, and the missing ones (skipped). */
export async function planArtifacts(ctx: RepoContext): Promise<ArtifactPlan> {
  const stages = stageOutputs(ctx.root)
  const plan: ArtifactPlan = {add: [], stageOuts: [], missing: []}
  for (const raw of ctx.config.artifacts) {
    const path = raw.replace(/\/+$/, '')
    // A folder written with a trailing slash (models/candidates/) is optional: skipped quietly when absent.
    if (!existsSync(join(ctx.root, path))) {
      if (!raw.endsWith('/')) plan.missing.push(path)
    } else if (stages.has(path)) plan.stageOuts.push(path)
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
