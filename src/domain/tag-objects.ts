/**
 * The DVC objects experiment tags reference, read from git alone (the pointer files and dvc.lock
 * at each tag, one ls-tree per tag and one cat-file for all pointers), and which of them a local
 * remote lacks. What `xv worktree remove` checks for every tag only its branch reaches.
 */
import {isPointerFile, declaredOuts, objectsOf, ObjectLookup, type DeclaredOut} from '../adapters/dvc.js'
import type {Git} from '../adapters/git.js'
import {XvError} from '../errors.js'

export interface TagObjects {
  tag: string
  outs: DeclaredOut[]
}

/** Pointer files (path, blob id) in the tree of COMMIT. */
async function pointersAt(git: Git, commit: string): Promise<Array<{path: string; oid: string}>> {
  const res = await git.exec(['ls-tree', '-r', '-z', '--full-tree', commit])
  if (res.exitCode !== 0) throw new XvError(`git ls-tree ${commit} failed: ${res.stderr.trim().split('\n')[0] ?? ''}`)
  const found: Array<{path: string; oid: string}> = []
  for (const rec of res.stdout.split('\0')) {
    const tab = rec.indexOf('\t')
    if (tab < 0) continue
    const path = rec.slice(tab + 1)
    const [, type, oid] = rec.slice(0, tab).split(' ')
    if (type === 'blob' && oid && isPointerFile(path)) found.push({path, oid})
  }

  return found
}

/** The outs each tag declares. */
export async function outsOfTags(git: Git, tags: Array<{name: string; commit: string}>): Promise<TagObjects[]> {
  const trees = await Promise.all(tags.map(async (t) => ({tag: t.name, pointers: await pointersAt(git, t.commit)})))
  const blobs = await git.catFileBatch([...new Set(trees.flatMap((t) => t.pointers.map((p) => p.oid)))])
  return trees.map(({tag, pointers}) => ({
    tag,
    outs: declaredOuts(pointers.map((p) => ({path: p.path, text: blobs.get(p.oid)?.toString('utf8') ?? ''}))),
  }))
}

/**
 * Objects of OUTS that the local store REMOTE lacks. A directory's manifest is read from the cache
 * or, when the cache lacks it, from the remote (objects only in the remote are safe).
 */
export function missingInRemote(outs: DeclaredOut[], cacheDir: string, remoteDir: string, lookup: ObjectLookup): {objects: number; paths: string[]} {
  let objects = 0
  const paths: string[] = []
  for (const {out, outPath} of outs) {
    if (!out.md5) continue
    let ids = objectsOf(out, cacheDir, lookup).objects
    if (out.isDir && ids.length === 1) ids = objectsOf(out, remoteDir, lookup).objects
    const lacking = ids.filter((id) => !lookup.find(remoteDir, id)).length
    if (lacking > 0) {
      objects += lacking
      paths.push(outPath)
    }
  }

  return {objects, paths}
}
