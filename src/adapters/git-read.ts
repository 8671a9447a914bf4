/** Reading trees, commits and tag messages at a revision (a few calls per command). */
import type {Git} from './git.js'
import {FIELD, RECORD} from './git-failure.js'

export interface TreeEntry {
  mode: string
  type: string
  oid: string
  /** Blob size in bytes (listings with --long only). */
  size?: number
  /** Path relative to the repository root. */
  path: string
}

function parseTreeEntries(out: string): TreeEntry[] {
  const entries: TreeEntry[] = []
  for (const rec of out.split('\0')) {
    if (!rec) continue
    const tab = rec.indexOf('\t')
    const [mode = '', type = '', oid = '', size] = rec.slice(0, tab).split(/\s+/)
    entries.push({mode, type, oid, size: size && size !== '-' ? Number(size) : undefined, path: rec.slice(tab + 1)})
  }

  return entries
}

export interface CommitInfo {
  commit: string
  author: string
  email: string
  date: string
  subject: string
}

/** Tree entries at REV for exact paths (no recursion into directories); absent paths are left out. */
export async function treeEntries(git: Git, rev: string, paths: string[]): Promise<TreeEntry[]> {
  if (paths.length === 0) return []
  const out = await git.raw(['ls-tree', '-z', '--full-tree', rev, '--', ...paths])
  const wanted = new Set(paths)
  return parseTreeEntries(out).filter((e) => wanted.has(e.path))
}

/** Every blob under PATH at REV (recursive), with mode, object id and size. */
export async function treeFiles(git: Git, rev: string, paths: string[] = []): Promise<TreeEntry[]> {
  const out = await git.raw(['ls-tree', '-r', '-z', '--long', '--full-tree', rev, '--', ...paths])
  return parseTreeEntries(out)
}

/** Author, date and subject of a commit. */
export async function commitInfo(git: Git, rev: string): Promise<CommitInfo> {
  const out = await git.raw(['log', '-1', `--format=%H${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%s`, rev, '--'])
  const [commit = '', author = '', email = '', date = '', subject = ''] = out.trim().split(FIELD)
  return {commit, author, email, date, subject}
}

/** Full message of an annotated tag (subject and body). */
export async function tagMessage(git: Git, tag: string): Promise<string> {
  const out = await git.raw(['for-each-ref', '--format=%(contents)', `refs/tags/${tag}`])
  return out.trim()
}

export interface TagDetails {
  /** false for a lightweight tag (then subject and message are empty). */
  annotated: boolean
  tagger: string
  date: string
  subject: string
  /** Full message (subject and body). */
  message: string
}

/** One tag's kind, tagger, date, subject and message in one git call; undefined when there is no such tag. */
export async function readTag(git: Git, tag: string): Promise<TagDetails | undefined> {
  const format = ['%(refname)', '%(objecttype)', '%(taggername)', '%(creatordate:iso-strict)', '%(contents:subject)', '%(contents)'].join(FIELD)
  const out = await git.raw(['for-each-ref', `--format=${format}${RECORD}`, `refs/tags/${tag}`])
  // the pattern also matches refs/tags/TAG/…: keep the exact ref
  const record = out.split(RECORD).map((r) => r.replace(/^\n/, '')).find((r) => r.startsWith(`refs/tags/${tag}${FIELD}`))
  if (!record) return undefined
  const [, type = '', tagger = '', date = '', subject = '', ...rest] = record.split(FIELD)
  const annotated = type === 'tag'
  return {annotated, tagger, date, subject: annotated ? subject : '', message: annotated ? rest.join(FIELD).trim() : ''}
}
