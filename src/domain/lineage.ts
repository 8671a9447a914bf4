/**
 * `xv lineage`: which experiment versions (and runs) consumed an artifact version, and which
 * produced it — from the DVC pointers and dvc.lock files at every experiment tag, read from git
 * objects in a few batched reads (no checkout), plus the run records of the result database.
 *
 *   xv lineage data/train.csv            every version of that path and the tags that had it
 *   xv lineage data --at e0.1.0          the tags (before and after) that used the data e0.1.0 used
 *   xv lineage --hash 3a2f1b9c           the tags and runs that used (or produced) that DVC hash
 *
 * Role: a path among xv.yaml's artifacts/writes/db is an output (produced by the run), every other
 * tracked path an input (data).
 */
import {parseYaml} from '../yaml.js'

import {findFilesAtRevs} from '../adapters/git-trees.js'
import {openRunStore, queryRuns, runsWithOutput, type RunRecord} from '../adapters/run-store.js'
import type {RepoContext} from '../context.js'
import {NotFoundError, UsageError} from '../errors.js'
import {producedPaths} from './data-inputs.js'
import {parseVersion, compareVersions} from './version.js'

export interface TrackedAtTag {
  path: string
  md5: string
  /** The pointer (`data.dvc`) or lock file (`dvc.lock`) that names it. */
  source: string
  /** The dvc.yaml stage that produced it (lock outs). */
  stage?: string
}

export interface LineageUse {
  version: string
  date: string
  commit: string
  path: string
  md5: string
  source: string
  role: 'input' | 'output'
  stage?: string
}

export interface LineageReport {
  path?: string
  hash?: string
  /** The hashes looked for. */
  hashes: string[]
  /** Every tag that has one of the hashes, oldest first. */
  uses: LineageUse[]
  /** The first tag that had each hash (where it appeared: produced there, or added as data). */
  firstSeen: Record<string, string>
  /** Runs whose recorded inputs/outputs have one of the hashes (current result database). */
  runs: Array<{run_id: string; version: string; status: string; role: string}>
  /** Without --at/--hash: each distinct hash of PATH with the tags that had it. */
  history?: Array<{md5: string; versions: string[]}>
}

/** The outs of a `.dvc` pointer, read without a YAML parser (pointers are tiny and regular). */
function pointerOuts(text: string): Array<{path: string; md5: string}> {
  const outs: Array<{path: string; md5: string}> = []
  let cur: {path?: string; md5?: string} | undefined
  let inOuts = false
  for (const line of text.split('\n')) {
    if (/^outs:/.test(line)) {
      inOuts = true
      continue
    }

    if (/^[A-Za-z_]/.test(line)) {
      inOuts = false
      continue
    }

    if (!inOuts) continue
    const item = /^- (\w+):\s*(.*)$/.exec(line)
    const field = item ?? /^ {2}(\w+):\s*(.*)$/.exec(line)
    if (item) {
      if (cur?.path && cur.md5) outs.push({path: cur.path, md5: cur.md5})
      cur = {}
    }

    if (field && cur) {
      const [, key, raw = ''] = field
      const value = raw.replace(/^['"]|['"]$/g, '')
      if (key === 'path') cur.path = value
      else if (key === 'md5') cur.md5 = value
    }
  }

  if (cur?.path && cur.md5) outs.push({path: cur.path, md5: cur.md5})
  return outs
}

function lockOuts(text: string): Array<{path: string; md5: string; stage: string}> {
  const out: Array<{path: string; md5: string; stage: string}> = []
  try {
    const doc = parseYaml(text) as {stages?: Record<string, {outs?: Array<{path?: string; md5?: string} | null>} | null>} | null
    for (const [stage, body] of Object.entries(doc?.stages ?? {}))
      for (const o of body?.outs ?? []) if (o?.path && o.md5) out.push({path: o.path, md5: o.md5, stage})
  } catch {
    // unreadable lock: names nothing
  }

  return out
}

function parseOuts(file: string, text: string): Array<{path: string; md5: string; stage?: string}> {
  return file.endsWith('dvc.lock') ? lockOuts(text) : pointerOuts(text)
}

/**
 * DVC-tracked paths with their hash at each REV (batched git reads; each blob parsed once).
 * With ONLY (a path), just the files that can name it are read — `PATH.dvc` and the dvc.lock of
 * PATH's folders — in one `cat-file --batch` for all revisions; otherwise every tree is walked.
 */
export async function trackedAtRevs(ctx: RepoContext, revs: string[], select: {path?: string; md5Prefix?: string} = {}): Promise<Map<string, TrackedAtTag[]>> {
  const only = select.path
  const prefix = select.md5Prefix
  let files: Map<string, Array<{path: string; oid: string}>>
  let blobs: Map<string, Buffer>
  if (only) {
    const parts = only.split('/')
    const candidates = [`${only}.dvc`, ...parts.map((_, i) => [...parts.slice(0, i), 'dvc.lock'].join('/'))]
    const specs = revs.flatMap((r) => candidates.map((c) => `${r}:${c}`))
    blobs = await ctx.git.catFileBatch(specs)
    files = new Map(revs.map((r) => [r, candidates.filter((c) => blobs.has(`${r}:${c}`)).map((c) => ({path: c, oid: `${r}:${c}`}))]))
  } else {
    files = await findFilesAtRevs(ctx.git, revs, (name) => name.endsWith('.dvc') || name === 'dvc.lock')
    const oids = new Set<string>()
    for (const list of files.values()) for (const f of list) oids.add(f.oid)
    blobs = await ctx.git.catFileBatch([...oids])
  }

  const parsed = new Map<string, Array<{path: string; md5: string; stage?: string}>>()
  const out = new Map<string, TrackedAtTag[]>()
  for (const [rev, list] of files) {
    const tracked: TrackedAtTag[] = []
    for (const f of list) {
      const dir = f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/') + 1) : ''
      const buf = blobs.get(f.oid)
      // Same content, same outs: blobs are parsed once by their text.
      const text = buf?.toString('utf8') ?? ''
      const key = `${f.path.endsWith('dvc.lock') ? 'lock' : 'dvc'}\0${text}`
      let outs = parsed.get(key)
      if (!outs) {
        outs = parseOuts(f.path, text)
        parsed.set(key, outs)
      }

      for (const o of outs) {
        const path = `${dir}${o.path}`.replace(/\/+$/, '')
        if ((only && path !== only) || (prefix && !o.md5.startsWith(prefix))) continue
        tracked.push({path, md5: o.md5, source: f.path, ...(o.stage ? {stage: o.stage} : {})})
      }
    }

    out.set(rev, tracked)
  }

  return out
}

export interface LineageOptions {
  path?: string
  at?: string
  hash?: string
}

export async function lineage(ctx: RepoContext, options: LineageOptions): Promise<LineageReport> {
  if (!options.path && !options.hash) throw new UsageError('give a PATH (xv lineage data/train.csv) or --hash MD5')
  if (options.hash && !/^[0-9a-f]{4,32}(\.dir)?$/i.test(options.hash)) throw new UsageError(`--hash wants a DVC md5 (hex), got '${options.hash}'`)
  const path = options.path?.replace(/^\.\//, '').replace(/\/+$/, '')
  const tags = await ctx.experimentTags()
  tags.sort((a, b) => compareVersions(a.version, b.version))
  const tracked = await trackedAtRevs(ctx, tags.map((t) => t.name), options.hash ? {md5Prefix: options.hash.toLowerCase()} : {path})
  const produced = producedPaths(ctx.config)
  const roleOf = (p: string): 'input' | 'output' => (produced.some((r) => p === r || p.startsWith(`${r}/`)) ? 'output' : 'input')

  let hashes: string[]
  let history: LineageReport['history']
  if (options.hash) {
    const h = options.hash.toLowerCase()
    hashes = [...new Set([...tracked.values()].flat().filter((t) => t.md5.startsWith(h)).map((t) => t.md5))]
    if (hashes.length === 0) hashes = [h]
  } else if (options.at) {
    const version = parseVersion(options.at, ctx.config.prefix)
    const at = tracked.get(version.tag)
    if (!at) throw new NotFoundError('version', `no experiment tag ${version.tag}; see 'xv list'`)
    const hit = at.filter((t) => t.path === path)
    if (hit.length === 0) throw new NotFoundError('path', `${path} is not tracked by DVC at ${version.tag} (no ${path}.dvc, no dvc.lock out with that path)`)
    hashes = hit.map((t) => t.md5)
  } else {
    const byHash = new Map<string, string[]>()
    for (const t of tags) for (const x of tracked.get(t.name) ?? []) if (x.path === path) byHash.set(x.md5, [...(byHash.get(x.md5) ?? []), t.name])
    if (byHash.size === 0) throw new NotFoundError('path', `${path} is not tracked by DVC at any experiment tag`)
    hashes = [...byHash.keys()]
    history = [...byHash].map(([md5, versions]) => ({md5, versions}))
  }

  const wanted = new Set(hashes)
  const uses: LineageUse[] = []
  const firstSeen: Record<string, string> = {}
  for (const t of tags) {
    for (const x of tracked.get(t.name) ?? []) {
      if (!wanted.has(x.md5)) continue
      uses.push({version: t.name, date: t.date, commit: t.commit, path: x.path, md5: x.md5, source: x.source, role: roleOf(x.path), ...(x.stage ? {stage: x.stage} : {})})
      firstSeen[x.md5] ??= t.name
    }
  }

  const runs: LineageReport['runs'] = []
  const db = openRunStore(ctx.dbPath, ctx.config.db, false)
  if (db) {
    try {
      const seen = new Set<string>()
      for (const md5 of hashes) {
        const found: RunRecord[] = queryRuns(db, {inputMd5: md5})
        for (const r of found) {
          if (seen.has(r.run_id)) continue
          seen.add(r.run_id)
          runs.push({run_id: r.run_id, version: r.version, status: r.status, role: 'input'})
        }
        for (const r of runsWithOutput(db, md5)) runs.push({run_id: r.run_id, version: r.version, status: r.status, role: 'output'})
      }
    } finally {
      db.close()
    }
  }

  return {...(path ? {path} : {}), ...(options.hash ? {hash: options.hash} : {}), hashes, uses, firstSeen, runs, ...(history ? {history} : {})}
}
