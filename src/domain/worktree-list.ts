/**
 * `xv worktree list`: every worktree with its branch, uncommitted changes, the experiment tags
 * only its branch reaches, and its DVC state — in a handful of git calls for all worktrees.
 */
import {existsSync} from 'node:fs'
import {resolve} from 'node:path'

import {ObjectLookup} from '../adapters/dvc-objects.js'
import {type WorktreeRecord} from '../adapters/git.js'
import {commitGraph, statusLinesOf, tagsReachable} from '../adapters/git-worktrees.js'
import type {RepoContext} from '../context.js'
import {dvcState, type DvcState} from './dvc-state.js'
import {asVersion} from './version.js'
import {kindOf, type WorktreeKind} from './worktree-names.js'

/**
 * `worktree list` reads at most this many bytes of copied outputs in all (links cost nothing);
 * what is left is 'unverified' there and hashed by `worktree remove`. Keeps the listing < 1 s.
 */
const LIST_HASH_BUDGET = 16 * 1024 * 1024

export interface WorktreeInfo {
  name: string
  kind: WorktreeKind
  path: string
  branch?: string
  head?: string
  /** Lines of `git status --porcelain`; null when the folder is gone (prunable record). */
  changes: number | null
  /** Experiment tags reachable from its HEAD and not from main's (main: all reachable ones). */
  tags: string[]
  dvc?: DvcState
  prunable: boolean
}

/** Commits of GRAPH reachable from HEAD (the graph holds only commits not on main). */
export function reachable(graph: Map<string, string[]>, head: string): Set<string> {
  const seen = new Set<string>()
  const stack = [head]
  for (let c = stack.pop(); c !== undefined; c = stack.pop()) {
    const parents = graph.get(c)
    if (seen.has(c) || !parents) continue
    seen.add(c)
    stack.push(...parents)
  }

  return seen
}

export async function listWorktrees(ctx: RepoContext): Promise<WorktreeInfo[]> {
  const records = (await ctx.git.worktrees()).filter((r) => !r.bare)
  const mainHead = records.find((r) => resolve(r.path) === resolve(ctx.mainRoot))?.head
  const live = (r: WorktreeRecord) => !r.prunable && existsSync(r.path)
  const others = [...new Set(records.filter((r) => live(r) && r.head && r.head !== mainHead).map((r) => r.head ?? ''))]
  // Tags: one for-each-ref for all, one for main, one rev-list for every other branch at once.
  const [tags, onMain, graph] = await Promise.all([
    ctx.experimentTags(),
    mainHead ? tagsReachable(ctx.git, mainHead) : Promise.resolve([]),
    commitGraph(ctx.mainRoot, others, mainHead ? [mainHead] : []),
  ])
  const budget = {bytes: LIST_HASH_BUDGET}
  const lookup = new ObjectLookup()
  return Promise.all(
    records.map(async (rec): Promise<WorktreeInfo> => {
      const {kind, name} = kindOf(rec, ctx.mainRoot)
      const info: WorktreeInfo = {name, kind, path: rec.path, branch: rec.branch, head: rec.head, changes: null, tags: [], prunable: rec.prunable}
      if (!live(rec)) return info
      const [status, dvc] = await Promise.all([statusLinesOf(rec.path), dvcState(rec.path, budget, lookup)])
      info.changes = status.length
      info.dvc = dvc
      if (kind === 'main') info.tags = onMain.filter((t) => asVersion(t, ctx.config.prefix))
      else if (rec.head) {
        const mine = reachable(graph, rec.head)
        info.tags = tags.filter((t) => mine.has(t.commit)).map((t) => t.name)
      }

      return info
    }),
  )
}
