/**
 * Which DVC objects revisions reference, and whether a remote holds them: what `xv push` verifies
 * after pushing (DVC exits 0 when an object is in neither the cache nor the remote) and what
 * `xv doctor` reports.
 */
import {type RemoteInfo} from '../adapters/dvc-config.js'
import {objectsInRemote} from '../adapters/dvc-remote.js'
import {declaredOuts, isPointerFile} from '../adapters/dvc-files.js'
import {ObjectLookup} from '../adapters/dvc-objects.js'
import {treeFiles} from '../adapters/git-read.js'
import type {RepoContext} from '../context.js'

export interface ObjectRef {
  md5: string
  /** What the object is, for messages: "models/m.bin at e0.2.0". */
  what: string
  /** Every revision label (version) that references it. */
  labels: string[]
}

export interface RemoteCheck {
  remote: RemoteInfo
  /** Objects checked. */
  checked: number
  /** In the local cache but not in the remote (`xv push` fixes it). */
  notPushed: ObjectRef[]
  /** In neither the local cache nor the remote (lost unless another machine has them). */
  lost: ObjectRef[]
}

/**
 * Every DVC object the revisions reference (pointer files and dvc.lock outs, directory manifests
 * expanded from the local cache). REVS: [label, commit] pairs; one ls-tree per distinct commit and
 * one batched read of all pointer blobs.
 */
export async function objectsAt(ctx: RepoContext, revs: Array<[string, string]>): Promise<ObjectRef[]> {
  const pointers: Array<{label: string; file: string; oid: string}> = []
  const treeOf = new Map<string, Array<{file: string; oid: string}>>()
  for (const [label, commit] of revs) {
    let files = treeOf.get(commit)
    if (!files) {
      files = (await treeFiles(ctx.git, commit)).filter((e) => e.type === 'blob' && isPointerFile(e.path)).map((e) => ({file: e.path, oid: e.oid}))
      treeOf.set(commit, files)
    }

    pointers.push(...files.map((f) => ({label, ...f})))
  }

  const blobs = await ctx.git.catFileBatch([...new Set(pointers.map((p) => p.oid))])
  const lookup = new ObjectLookup()
  const byId = new Map<string, ObjectRef>()
  const add = (md5: string, what: string, label: string) => {
    const known = byId.get(md5)
    if (!known) byId.set(md5, {md5, what, labels: [label]})
    else if (!known.labels.includes(label)) known.labels.push(label)
  }

  for (const p of pointers) {
    for (const {out, outPath} of declaredOuts([{path: p.file, text: blobs.get(p.oid)?.toString('utf8') ?? ''}])) {
      if (!out.md5) continue
      add(out.md5, `${outPath} at ${p.label}`, p.label)
      if (!out.isDir) continue
      for (const entry of lookup.manifest(ctx.cacheDir, out.md5) ?? []) add(entry.md5, `${outPath}/${entry.relpath} at ${p.label}`, p.label)
    }
  }

  return [...byId.values()]
}

/** Which of OBJECTS the remote lacks, split by whether the local cache still has them. */
export async function checkRemoteObjects(ctx: RepoContext, remote: RemoteInfo, objects: ObjectRef[]): Promise<RemoteCheck> {
  const present = await objectsInRemote(ctx.root, remote, objects.map((o) => o.md5))
  const lookup = new ObjectLookup()
  const absent = objects.filter((o) => !present.has(o.md5))
  return {
    remote,
    checked: objects.length,
    notPushed: absent.filter((o) => lookup.find(ctx.cacheDir, o.md5)),
    lost: absent.filter((o) => !lookup.find(ctx.cacheDir, o.md5)),
  }
}

/** "a (md5 1234abcd), b (md5 …) and 3 more" */
export function describeObjects(objects: ObjectRef[], max = 3): string {
  const shown = objects.slice(0, max).map((o) => `${o.what} (md5 ${o.md5.slice(0, 8)})`)
  return shown.join(', ') + (objects.length > max ? ` and ${objects.length - max} more` : '')
}
