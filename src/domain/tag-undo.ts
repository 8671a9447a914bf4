/**
 * How `xv tag` takes back what it did when it fails or is interrupted (B2, B4): the files DVC
 * rewrites are restored as they were, the index as it was before xv staged anything, the commit
 * undone (`reset --soft`), partial objects of an interrupted push removed from a local DVC
 * remote. Only a kill -9 can leave an untagged `experiment:` commit; `untaggedExperimentCommit`
 * finds it for `xv doctor`.
 */
import {existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {localRemoteDir, type RemoteInfo} from '../adapters/dvc.js'
import {parsePointer} from '../adapters/dvc-files.js'
import {headSummary} from '../adapters/git-stage.js'
import type {RepoContext} from '../context.js'
import {asVersion} from './version.js'

/** The commit subject of an experiment commit: `experiment: e0.2.0 - description`. */
const EXPERIMENT_SUBJECT = /^experiment: (\S+)/

/** Contents of FILES (relative to ROOT) now; `restore` puts them back (deleting the ones that did not exist). */
export function snapshotFiles(root: string, files: string[]): {restore: () => void} {
  const saved = files.map((file) => {
    const abs = join(root, file)
    return {abs, text: existsSync(abs) ? readFileSync(abs) : undefined}
  })
  return {
    restore() {
      for (const {abs, text} of saved) {
        if (text === undefined) rmSync(abs, {force: true})
        else writeFileSync(abs, text)
      }
    },
  }
}

/**
 * Removes the partial objects (`.<token>.tmp`, DVC's upload names) that a push stopped midway
 * left in a local remote: only in the folders of the objects this tag pushes, only newer than
 * SINCE (the push's start).
 */
export function removePartialObjects(ctx: RepoContext, remote: RemoteInfo | undefined, pointers: string[], since: number): void {
  const dir = remote ? localRemoteDir(remote.url) : undefined
  if (!dir) return
  const prefixes = new Set<string>()
  let anyDir = false
  for (const pointer of pointers) {
    const abs = join(ctx.root, pointer)
    if (!existsSync(abs)) continue
    try {
      for (const out of parsePointer(readFileSync(abs, 'utf8'))) {
        if (out.md5) prefixes.add(out.md5.slice(0, 2))
        anyDir ||= out.isDir
      }
    } catch {
      // unreadable pointer: nothing of it was pushed
    }
  }

  // Directories' entries can land in any folder: look in all of them when a directory was pushed.
  const folders = existsSync(join(dir, 'files', 'md5')) ? readdirSync(join(dir, 'files', 'md5')) : []
  for (const folder of folders) {
    if (!anyDir && !prefixes.has(folder)) continue
    const full = join(dir, 'files', 'md5', folder)
    for (const name of readdirSync(full)) {
      if (!name.endsWith('.tmp')) continue
      const st = statSync(join(full, name), {throwIfNoEntry: false})
      if (st && st.mtimeMs >= since - 1000) rmSync(join(full, name), {force: true})
    }
  }
}

export interface UntaggedCommit {
  commit: string
  subject: string
  /** The version its subject names, when it parses. */
  version?: string
}

/**
 * HEAD when it is an `experiment:` commit that no tag points at — what only a killed (-9)
 * `xv tag` leaves. `xv doctor` reports it with the fix (`xv tag VERSION --no-commit`, or
 * `git reset --soft HEAD^`).
 */
export async function untaggedExperimentCommit(ctx: RepoContext): Promise<UntaggedCommit | undefined> {
  const head = await headSummary(ctx.git)
  if (!head) return undefined
  const m = EXPERIMENT_SUBJECT.exec(head.subject)
  if (!m || head.tags.length > 0) return undefined
  const version = asVersion(m[1] ?? '', ctx.config.prefix)?.tag
  return {commit: head.commit, subject: head.subject, ...(version ? {version} : {})}
}

/** Waits for WORK to settle; after MS calls KILL and waits at most one more second. */
export async function settled(work: Promise<unknown>, ms: number, kill: () => void): Promise<void> {
  const done = work.then(() => true, () => true)
  const wait = (t: number) => Promise.race([done, new Promise<false>((r) => setTimeout(() => r(false), t).unref())])
  if (!(await wait(ms))) {
    kill()
    await wait(1000)
  }
}
