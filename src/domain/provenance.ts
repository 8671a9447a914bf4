/**
 * Where a run came from: code (commit, branch, worktree, dirty flag and a hash of the uncommitted
 * diff), tools (xv, DVC, Node, and Python + `pip freeze` of the interpreter the command uses when
 * it is Python), machine (host, user, GPU/CUDA when `nvidia-smi` is present) and the params files.
 * Gathered while the command runs, so it adds almost nothing to the run's wall time.
 */
import {createHash} from 'node:crypto'
import {existsSync, readFileSync, readdirSync, realpathSync} from 'node:fs'
import {hostname, userInfo} from 'node:os'
import {basename, delimiter, dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse as parseYaml} from 'yaml'

import {findDvc} from '../adapters/dvc.js'
import type {RunRecord} from '../adapters/run-store.js'
import type {RepoContext} from '../context.js'
import {isExecutable} from '../fs-access.js'
import {outputOf, pythonEnv} from './provenance-python.js'

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const PARAMS_CAP = 64 * 1024

export type Provenance = Pick<
  RunRecord,
  | 'commit_sha' | 'branch' | 'worktree' | 'dirty' | 'diff_hash' | 'host' | 'user' | 'xv_version' | 'dvc_version'
  | 'python_version' | 'node_version' | 'pip_hash' | 'pip_freeze' | 'gpu' | 'params'
>

function onPath(name: string): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? name : undefined
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && isExecutable(join(dir, name))) return join(dir, name)
  return undefined
}

function xvVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {version?: string}).version
  } catch {
    return undefined
  }
}

/** DVC's version from its package metadata next to the executable (no process start); else `dvc --version`. */
async function dvcVersionCheap(cwd: string): Promise<string | undefined> {
  const bin = findDvc()
  if (!bin) return undefined
  try {
    const lib = join(dirname(dirname(realpathSync(bin))), 'lib')
    for (const py of readdirSync(lib)) {
      const site = join(lib, py, 'site-packages')
      if (!existsSync(site)) continue
      const info = readdirSync(site).find((d) => /^dvc-[\d.]+.*\.dist-info$/.test(d))
      if (info) return info.slice(4, -'.dist-info'.length)
    }
  } catch {
    // fall through
  }

  return (await outputOf(bin, ['--version'], cwd, 30_000))?.trim().split('\n')[0]
}

/** The Python interpreter COMMAND starts, when it is one (`python`, `python3.11`, a venv's python). */
function pythonOf(command: string[]): string | undefined {
  const first = command[0]
  if (!first || !/^python(\d+(\.\d+)?)?$/.test(basename(first))) return undefined
  return onPath(first)
}

async function pythonInfo(command: string[], cwd: string): Promise<Pick<Provenance, 'python_version' | 'pip_hash' | 'pip_freeze'>> {
  const py = pythonOf(command)
  if (!py) return {python_version: null, pip_hash: null, pip_freeze: null}
  const env = await pythonEnv(py, cwd)
  const list = env.packages?.sort().join('\n')
  return {
    python_version: env.version ?? null,
    pip_freeze: list ?? null,
    pip_hash: list === undefined ? null : createHash('sha256').update(list).digest('hex').slice(0, 16),
  }
}

async function gpuInfo(cwd: string): Promise<string | null> {
  const smi = onPath('nvidia-smi')
  if (!smi) return null
  const out = await outputOf(smi, ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'], cwd, 10_000)
  if (!out) return null
  const header = await outputOf(smi, [], cwd, 10_000)
  const cuda = /CUDA Version:\s*([\d.]+)/.exec(header ?? '')?.[1]
  return JSON.stringify({gpus: out.trim().split('\n'), ...(cuda ? {cuda} : {})})
}

/** params.yaml and every params file dvc.yaml's stages name, with their text (capped). */
export function paramsFiles(root: string): Record<string, string> {
  const names = new Set<string>(['params.yaml'])
  try {
    const doc = parseYaml(readFileSync(join(root, 'dvc.yaml'), 'utf8')) as {stages?: Record<string, {params?: unknown[]} | null>} | null
    for (const stage of Object.values(doc?.stages ?? {}))
      for (const p of stage?.params ?? []) if (p && typeof p === 'object') for (const file of Object.keys(p)) names.add(file)
  } catch {
    // no dvc.yaml
  }

  const out: Record<string, string> = {}
  for (const name of names) {
    const abs = join(root, name)
    if (name.includes('..') || !existsSync(abs)) continue
    try {
      out[name] = readFileSync(abs, 'utf8').slice(0, PARAMS_CAP)
    } catch {
      // unreadable: skipped
    }
  }

  return out
}

async function codeState(ctx: RepoContext, exclude: string[]): Promise<Pick<Provenance, 'dirty' | 'diff_hash'>> {
  const spec = ['.', ...exclude.map((p) => `:(exclude)${p}`)]
  const lines = await ctx.git.statusUnder(spec)
  if (lines.length === 0) return {dirty: 0, diff_hash: null}
  // The diff only when a tracked file changed (a clean tree costs one git process).
  const diff = ctx.location.head && lines.some((l) => !l.startsWith('??')) ? await ctx.git.diffFromHead(spec) : ''
  const untracked = lines.filter((l) => l.startsWith('??')).sort().join('\n')
  const hash = createHash('sha256').update(diff).update('\0').update(untracked).digest('hex').slice(0, 16)
  return {dirty: 1, diff_hash: hash}
}

function safeUser(): string {
  try {
    return userInfo().username
  } catch {
    return process.env.USER ?? 'unknown'
  }
}

/** Everything about where the run came from. EXCLUDE: paths that are run output (logs), not code. */
export async function gatherProvenance(ctx: RepoContext, command: string[], branch: string | undefined, exclude: string[]): Promise<Provenance> {
  const [code, dvc, py, gpu] = await Promise.all([codeState(ctx, exclude), dvcVersionCheap(ctx.root), pythonInfo(command, ctx.root), gpuInfo(ctx.root)])
  const params = paramsFiles(ctx.root)
  return {
    commit_sha: ctx.location.head ?? null,
    branch: branch ?? null,
    worktree: ctx.root,
    ...code,
    host: hostname(),
    user: safeUser(),
    xv_version: xvVersion() ?? null,
    dvc_version: dvc ?? null,
    node_version: process.version,
    ...py,
    gpu,
    params: Object.keys(params).length > 0 ? JSON.stringify(params) : null,
  }
}
