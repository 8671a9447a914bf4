/**
 * Files of many revisions without a checkout: the trees of every revision are walked level by
 * level, one `git cat-file --batch` per level for all revisions at once (trees shared between
 * revisions are read once), then every wanted blob in one more batch. Used by lineage across
 * every experiment tag (1,000 tags × 50 pointers in a few git calls).
 */
import type {Git} from './git.js'

export interface FoundFile {
  path: string
  oid: string
}

interface Entry {
  mode: string
  name: string
  oid: string
}

function parseTree(buf: Buffer): Entry[] {
  const out: Entry[] = []
  let off = 0
  while (off < buf.length) {
    const sp = buf.indexOf(32, off)
    const nul = buf.indexOf(0, sp)
    if (sp < 0 || nul < 0) break
    const mode = buf.toString('latin1', off, sp)
    const name = buf.toString('utf8', sp + 1, nul)
    const oid = buf.toString('hex', nul + 1, nul + 21)
    out.push({mode, name, oid})
    off = nul + 21
  }

  return out
}

/**
 * For each REV, the files whose name satisfies WANT (path relative to the root). Revisions that
 * do not resolve are absent.
 */
export async function findFilesAtRevs(git: Git, revs: string[], want: (name: string) => boolean): Promise<Map<string, FoundFile[]>> {
  const result = new Map<string, FoundFile[]>()
  if (revs.length === 0) return result
  // Root trees of every revision in one batch (`rev^{tree}` resolves tags and commits).
  const rootSpecs = revs.map((r) => `${r}^{tree}`)
  const roots = await git.catFileBatch(rootSpecs)
  // tree oid → files found below it (memoised: shared subtrees are read once).
  const filesBelow = new Map<string, FoundFile[]>()
  const treeContent = new Map<string, Entry[]>()
  const rootOid = new Map<string, string>()
  // catFileBatch keys by spec; a root tree's oid is not returned, so key root contents by spec.
  let level: Array<{key: string; entries: Entry[]}> = []
  revs.forEach((rev) => {
    const buf = roots.get(`${rev}^{tree}`)
    if (!buf) return
    const key = `root:${rev}`
    rootOid.set(rev, key)
    const entries = parseTree(buf)
    treeContent.set(key, entries)
    level.push({key, entries})
  })

  // Read every subtree, level by level.
  while (level.length > 0) {
    const need = new Set<string>()
    for (const {entries} of level) for (const e of entries) if (e.mode === '40000' && !treeContent.has(e.oid)) need.add(e.oid)
    if (need.size === 0) break
    const bufs = await git.catFileBatch([...need])
    const next: Array<{key: string; entries: Entry[]}> = []
    for (const oid of need) {
      const buf = bufs.get(oid)
      const entries = buf ? parseTree(buf) : []
      treeContent.set(oid, entries)
      next.push({key: oid, entries})
    }

    level = next
  }

  const collect = (key: string, prefix: string): FoundFile[] => {
    const memo = filesBelow.get(key)
    if (memo) return prefix ? memo.map((f) => ({path: `${prefix}${f.path}`, oid: f.oid})) : memo
    const files: FoundFile[] = []
    for (const e of treeContent.get(key) ?? []) {
      if (e.mode === '40000') for (const f of collect(e.oid, '')) files.push({path: `${e.name}/${f.path}`, oid: f.oid})
      else if (!e.mode.startsWith('160') && want(e.name)) files.push({path: e.name, oid: e.oid})
    }

    filesBelow.set(key, files)
    return prefix ? files.map((f) => ({path: `${prefix}${f.path}`, oid: f.oid})) : files
  }

  for (const rev of revs) {
    const key = rootOid.get(rev)
    if (key) result.set(rev, collect(key, ''))
  }

  return result
}
