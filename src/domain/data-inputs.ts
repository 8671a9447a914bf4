/**
 * Which DVC-tracked paths are the experiment's data inputs: every out named by a `.dvc` pointer or
 * a `dvc.lock` that is NOT one of xv.yaml's `artifacts` or `writes` (nor inside one). So the model
 * and the result database — what a run produces — never count as data. `data=` of a tag and a
 * run's recorded inputs both use this rule.
 */
import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {parseLock, parsePointer} from '../adapters/dvc-files.js'
import type {XvConfig} from '../config.js'
import type {RepoContext} from '../context.js'
import {writesOf} from '../config.js'
import type {PointerSource} from './artifacts-config.js'

export interface TrackedOut {
  /** Path relative to the repository root. */
  path: string
  md5: string
  /** The pointer or lock file that names it. */
  source: string
}

/** Every DVC out (path relative to the root, md5) the pointer and lock files name. */
function trackedOuts(sources: PointerSource[]): TrackedOut[] {
  const out: TrackedOut[] = []
  for (const src of sources) {
    const dir = src.file.includes('/') ? src.file.slice(0, src.file.lastIndexOf('/') + 1) : ''
    try {
      const outs = src.file.endsWith('dvc.lock') ? parseLock(src.text) : parsePointer(src.text)
      for (const o of outs) if (o.md5) out.push({path: `${dir}${o.path}`.replace(/\/+$/, ''), md5: o.md5, source: src.file})
    } catch {
      // A pointer that does not parse names nothing.
    }
  }

  return out
}

export function producedPaths(config: XvConfig): string[] {
  return [...new Set([...config.artifacts, ...writesOf(config), config.db])].map((p) => p.replace(/\/+$/, ''))
}

function within(path: string, roots: string[]): boolean {
  return roots.some((r) => path === r || path.startsWith(`${r}/`))
}

/** The data inputs among the tracked outs. */
export function dataInputs(sources: PointerSource[], config: XvConfig): TrackedOut[] {
  const produced = producedPaths(config)
  return trackedOuts(sources).filter((o) => !within(o.path, produced))
}

/** `data=`: the first 6 hex of the md5 over the data inputs (path and hash, sorted); undefined without any. */
export function dataInputsHash(sources: PointerSource[], config: XvConfig): string | undefined {
  const lines = dataInputs(sources, config).map((o) => `${o.path} ${o.md5}`)
  if (lines.length === 0) return undefined
  lines.sort()
  return createHash('md5').update(lines.join('\n')).digest('hex').slice(0, 6)
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
