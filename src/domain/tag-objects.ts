/**
 * The DVC objects experiment tags reference, read from git alone (the pointer files and dvc.lock
 * at each tag, one ls-tree per tag and one cat-file for all pointers), and which of them a local
 * remote lacks. What `xv worktree remove` checks for every tag only its branch reaches.
 */
import {isPointerFile, declaredOuts, type DeclaredOut} from '../adapters/dvc-files.js'
import {objectsOf, ObjectLookup} from '../adapters/dvc-objects.js'
import type {Git} from '../adapters/git.js'
import {XvError} from '../errors.js'

export interface TagObjects {
  tag: string
  outs: DeclaredOut[]
}

async function gitOut(git: Git, args: string[]): Promise<string> {
  const res = await git.exec(args)
  if (res.exitCode !== 0) throw new XvError(`git ${args[0] ?? ''} failed: ${res.stderr.trim().split('\n')[0] ?? ''}`)
  return res.stdout
}

/**
 * The outs each of TAGS declares — tags reachable from HEAD and not from BASE. Three git calls in
 * all: the pointer files of HEAD's tree, those changed on the branch since BASE (so none that
 * existed only at an older tag is missed), then every `TAG:POINTER` in one cat-file.
 */
export async function outsOfTags(git: Git, head: string, base: string | undefined, tags: Array<{name: string; commit: string}>): Promise<TagObjects[]> {
  if (tags.length === 0) return []
  const [inHead, changed] = await Promise.all([
    gitOut(git, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', head]),
    gitOut(git, ['log', '-z', '--format=', '--name-only', head, ...(base ? [`^${base}`] : []), '--']),
  ])
  const pointers = [...new Set([...inHead.split('\0'), ...changed.split(/[\0\n]/)].filter((p) => p && isPointerFile(p)))]
  const blobs = await git.catFileBatch(tags.flatMap((t) => pointers.map((p) => `${t.commit}:${p}`)))
  return tags.map((t) => ({
    tag: t.name,
    outs: declaredOuts(
      pointers.flatMap((p) => {
        const blob = blobs.get(`${t.commit}:${p}`)
        return blob ? [{path: p, text: blob.toString('utf8')}] : []
      }),
    ),
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
