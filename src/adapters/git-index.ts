/** The paths of a worktree's index, read from the file itself (no process). */
import {readFileSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'

/**
 * Paths recorded in the index of the worktree at ROOT, read from the file itself (no process):
 * index format 2 and 3 with SHA-1 ids. Undefined when the index cannot be read that way (format 4,
 * split or sparse index, SHA-256, anything unexpected) — callers then ask git.
 */
export function indexPaths(root: string): string[] | undefined {
  try {
    let gitDir = join(root, '.git')
    const st = statSync(gitDir, {throwIfNoEntry: false})
    if (!st) return undefined
    if (st.isFile()) {
      const pointer = /^gitdir: (.*)$/m.exec(readFileSync(gitDir, 'utf8'))?.[1]
      if (pointer === undefined) return undefined
      gitDir = resolve(root, pointer.trim())
    }

    const buf = readFileSync(join(gitDir, 'index'))
    if (buf.toString('latin1', 0, 4) !== 'DIRC') return undefined
    const version = buf.readUInt32BE(4)
    if (version !== 2 && version !== 3) return undefined
    const count = buf.readUInt32BE(8)
    const paths: string[] = []
    let off = 12
    for (let i = 0; i < count; i++) {
      const mode = buf.readUInt32BE(off + 24)
      if (![0o100644, 0o100755, 0o120000, 0o160000].includes(mode)) return undefined
      const flags = buf.readUInt16BE(off + 60)
      const start = off + 62 + (version === 3 && flags & 0x4000 ? 2 : 0)
      const nameLength = flags & 0xfff
      const end = nameLength < 0xfff ? start + nameLength : buf.indexOf(0, start)
      if (end < 0 || end >= buf.length || buf[end] !== 0) return undefined
      paths.push(buf.toString('utf8', start, end))
      off += (end - off + 8) & ~7
    }

    // Extensions: a split ('link') or sparse ('sdir') index does not list every path here.
    while (off + 8 <= buf.length - 20) {
      const sig = buf.toString('latin1', off, off + 4)
      if (sig === 'link' || sig === 'sdir') return undefined
      off += 8 + buf.readUInt32BE(off + 4)
    }

    return paths
  } catch {
    return undefined
  }
}
