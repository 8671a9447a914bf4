/**
 * What `xv tag` puts into git, named file by file (A10): every changed or untracked file except
 * what DVC takes (the artifacts) and SQLite's side files (`-wal`, `-shm`, `-journal`, which are
 * also listed in .gitignore). A file above `maxGitFileSize`, or a binary file under an artifact
 * folder or with a model/data extension, is refused with the fix named — xv never puts one into
 * git silently. The one binary file git may take is the configured result database (`db`) when
 * xv.yaml leaves it out of `artifacts`: a declared choice, still bounded by `maxGitFileSize`.
 */
import {closeSync, existsSync, lstatSync, openSync, readFileSync, readSync} from 'node:fs'
import {basename, dirname, join, posix} from 'node:path'

import {statusEntries} from '../adapters/git-stage.js'
import {SQLITE_SIDE_SUFFIXES} from '../adapters/sqlite-side-files.js'
import type {RepoContext} from '../context.js'
import {RefusedError} from '../errors.js'
import {isRunLog} from './run-log.js'

/** Folders whose binary files belong in DVC, whatever xv.yaml lists. */
const ARTIFACT_FOLDERS = ['models', 'data', 'results']
/** Extensions of model weights, datasets and databases: binary ones never go into git. */
const DATA_EXTENSIONS = /\.(bin|pt|pth|ckpt|safetensors|onnx|pb|h5|hdf5|keras|tflite|pkl|pickle|joblib|npy|npz|parquet|arrow|feather|db|sqlite3?|duckdb|gguf|mlmodel|tar|gz|zip|7z)$/i

/** .gitignore lines that keep SQLite's side files out of git. */
function sqliteIgnoreLines(db: string): string[] {
  const lines = SQLITE_SIDE_SUFFIXES.map((s) => `*.db${s}`)
  if (!db.endsWith('.db')) lines.push(...SQLITE_SIDE_SUFFIXES.map((s) => `/${db}${s}`))
  return lines
}

/** The lines of `sqliteIgnoreLines` the root .gitignore lacks. */
export function missingIgnoreLines(root: string, db: string): string[] {
  const file = join(root, '.gitignore')
  const have = new Set(existsSync(file) ? readFileSync(file, 'utf8').split('\n').map((l) => l.trim()) : [])
  return sqliteIgnoreLines(db).filter((l) => !have.has(l))
}

function isSideFile(path: string, db: string): boolean {
  if (path === `${db}.wal`) return true // DuckDB's write-ahead log: folded in before hashing, never staged
  return SQLITE_SIDE_SUFFIXES.some((s) => path.endsWith(s) && (path.slice(0, -s.length) === db || /\.(db|sqlite3?)$/i.test(path.slice(0, -s.length))))
}

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`)
}

function isBinary(abs: string): boolean {
  const fd = openSync(abs, 'r')
  try {
    const buf = Buffer.alloc(8000)
    const head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0))
    if (head.includes(0)) return true
    // Text has few control characters besides tab, newline, carriage return, form feed, escape.
    let control = 0
    for (const byte of head) if (byte < 32 && ![9, 10, 12, 13, 27].includes(byte)) control++
    return head.length > 0 && control / head.length > 0.1
  } finally {
    closeSync(fd)
  }
}

export interface StagePlan {
  /** Files git will record (changed, new or deleted), before DVC writes its pointers. */
  files: string[]
  /** Files DVC writes and git then records (pointers, .gitignore next to the artifacts, dvc.lock). */
  dvcFiles: string[]
}

interface Offender {
  path: string
  why: string
}

/** The exact files `xv tag` stages; refuses large or binary data files. */
export async function planStaging(ctx: RepoContext, artifacts: {add: string[]; stageOuts: string[]}): Promise<StagePlan> {
  const dvcOwned = [...artifacts.add, ...artifacts.stageOuts]
  const folders = new Set([...ARTIFACT_FOLDERS, ...ctx.config.artifacts.map((a) => a.replace(/\/+$/, '')).map((a) => (a.includes('/') ? dirname(a) : a))])
  const artifactNames = new Set(ctx.config.artifacts.map((a) => basename(a.replace(/\/+$/, ''))))
  const files: string[] = []
  const offenders: Offender[] = []
  for (const {code, path} of await statusEntries(ctx.git)) {
    if (dvcOwned.some((a) => under(path, a)) || isSideFile(path, ctx.config.db)) continue
    files.push(path)
    if (code[1] === 'D' || (code[0] === 'D' && code[1] === ' ')) continue
    const abs = join(ctx.root, path)
    const st = lstatSync(abs, {throwIfNoEntry: false})
    if (!st?.isFile()) continue
    if (st.size > ctx.config.maxGitFileSize) offenders.push({path, why: `${(st.size / 1024 / 1024).toFixed(1)} MB, above maxGitFileSize`})
    // The configured result database left out of `artifacts` is versioned by git by choice (size still checked).
    else if (path !== ctx.config.db && !isRunLog(path, ctx.config.db) && ([...folders].some((f) => under(path, f)) || DATA_EXTENSIONS.test(path) || artifactNames.has(basename(path))) && isBinary(abs))
      offenders.push({path, why: 'a binary data file'})
  }

  const first = offenders[0]
  if (first) {
    const more = offenders.length > 1 ? ` (and ${offenders.length - 1} more: ${offenders.slice(1, 4).map((o) => o.path).join(', ')}${offenders.length > 4 ? ', …' : ''})` : ''
    throw new RefusedError(
      `xv tag would commit ${first.path} into git (${first.why})${more}; track it with DVC (add it to 'artifacts' in xv.yaml), list it in .gitignore, or delete it`,
    )
  }

  const dvcFiles = new Set<string>()
  for (const a of artifacts.add) {
    dvcFiles.add(`${a}.dvc`)
    dvcFiles.add(posix.join(posix.dirname(a), '.gitignore'))
  }

  for (const a of artifacts.stageOuts) dvcFiles.add(posix.join(posix.dirname(a), '.gitignore'))
  if (artifacts.stageOuts.length > 0) dvcFiles.add('dvc.lock')
  return {files, dvcFiles: [...dvcFiles].filter((f) => !files.includes(f))}
}
