/**
 * xv's temporary files next to an output (`.OUT.xv-tmp-<pid>-<random>`, see verified-copy.ts).
 * They carry the writer's process id: one whose process is gone was left by a killed run and is
 * stale; one whose process is alive belongs to a concurrent run and is never touched.
 */
import {readdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'

/** `.OUT.xv-tmp-<pid>-<random>` (get), `….old` (a replaced directory), `.OUT.xv-tmp-<pid>.parquet` (merge --data). */
const TEMP_NAME = /^\..+\.xv-tmp-(\d+)(?:[-.].*)?$/

export interface TempFile {
  path: string
  pid: number
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' // exists, owned by someone else
  }
}

/** True when NAME (a file name) is an xv temporary file whose writing process is gone. */
export function isStaleTempName(name: string): boolean {
  const m = TEMP_NAME.exec(name)
  return m !== null && !alive(Number(m[1]))
}

/** xv temporary files in DIR whose writing process is gone. */
export function staleTempFiles(dir: string): TempFile[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }

  const out: TempFile[] = []
  for (const name of names) {
    if (isStaleTempName(name)) out.push({path: join(dir, name), pid: Number(TEMP_NAME.exec(name)?.[1])})
  }

  return out
}

/** Removes the stale temporary files of DIR; returns their paths. */
export function cleanStaleTempFiles(dir: string): string[] {
  const stale = staleTempFiles(dir)
  for (const t of stale) rmSync(t.path, {recursive: true, force: true})
  return stale.map((t) => t.path)
}
