/**
 * Files written by `xv plot -o` and `xv report -o`: the kind is chosen by the extension, and an
 * existing file is replaced only when xv wrote it (its first line carries xv's mark) or with
 * --force — never someone's own page. Written atomically (temp file + rename).
 */
import {closeSync, existsSync, openSync, readSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {basename, dirname, extname, resolve} from 'node:path'

import {NotFoundError, RefusedError, UsageError} from '../errors.js'

export const XV_MARK = '<!-- written by xv -->'

export type OutputKind = 'html' | 'svg' | 'md'

export function outputKind(path: string, allowed: OutputKind[]): OutputKind {
  const ext = extname(path).toLowerCase()
  const kind: OutputKind | undefined = ext === '.html' || ext === '.htm' ? 'html' : ext === '.svg' ? 'svg' : ext === '.md' ? 'md' : undefined
  if (!kind || !allowed.includes(kind))
    throw new UsageError(`cannot write '${basename(path)}': the file name must end in ${allowed.map((k) => `.${k}`).join(' or ')}`)
  return kind
}

function writtenByXv(path: string): boolean {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(256)
    const n = readSync(fd, buf, 0, 256, 0)
    return buf.subarray(0, n).toString('utf8').includes(XV_MARK)
  } finally {
    closeSync(fd)
  }
}

/** Writes CONTENT to PATH (relative to CWD); returns the absolute path. */
export function writeOutput(cwd: string, path: string, content: string, force = false): string {
  const abs = resolve(cwd, path)
  if (!existsSync(dirname(abs))) throw new NotFoundError('folder', `cannot write ${path}: folder ${dirname(path)} does not exist`)
  if (existsSync(abs)) {
    if (statSync(abs).isDirectory()) throw new UsageError(`cannot write ${path}: it is a directory`)
    if (!force && !writtenByXv(abs)) throw new RefusedError(`${path} exists and was not written by xv; choose another name or pass --force to replace it`)
  }

  const tmp = `${abs}.xv-tmp-${process.pid}`
  writeFileSync(tmp, content)
  renameSync(tmp, abs)
  return abs
}
