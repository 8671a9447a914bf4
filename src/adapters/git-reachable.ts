/**
 * What the repository keeps (for `xv gc`): the commits its refs point at (tags peeled), the
 * objects of those commits' trees with their paths, and a worktree's tracked and untracked files.
 * execa (`run`): one call each, every failure a ToolError by exit code.
 */
import type {Git} from './git.js'

/** Commits the refs under PREFIXES point at (annotated tags peeled to their commit), one for-each-ref. */
export async function commitsOfRefs(git: Git, prefixes: string[]): Promise<string[]> {
  const out = await git.run(['for-each-ref', '--format=%(objecttype) %(objectname) %(*objecttype) %(*objectname)', ...prefixes])
  const commits = new Set<string>()
  for (const line of out.split('\n')) {
    const [type, oid, peeledType, peeled] = line.split(' ')
    if (type === 'commit' && oid) commits.add(oid)
    else if (peeledType === 'commit' && peeled) commits.add(peeled)
  }

  return [...commits]
}

/** Every object of the trees of COMMITS (not their history: --no-walk) with its path, one rev-list. */
export async function treeObjectsOf(git: Git, commits: string[]): Promise<Array<{oid: string; path: string}>> {
  if (commits.length === 0) return []
  const out = await git.run(['rev-list', '--objects', '--no-walk', '--stdin'], {input: `${commits.join('\n')}\n`})
  const objects: Array<{oid: string; path: string}> = []
  for (const line of out.split('\n')) {
    const sp = line.indexOf(' ')
    if (sp > 0) objects.push({oid: line.slice(0, sp), path: line.slice(sp + 1)})
  }

  return objects
}

/** Files of the worktree GIT runs in: tracked ones and untracked ones that are not ignored, relative to its root. */
export async function workingFiles(git: Git): Promise<string[]> {
  const [tracked, others] = await Promise.all([
    git.run(['ls-files', '-z', '--full-name', '--', ':/']),
    git.run(['ls-files', '-z', '--full-name', '--others', '--exclude-standard', '--', ':/']),
  ])
  return [...tracked.split('\0'), ...others.split('\0')].filter(Boolean)
}
