/**
 * Human output of `xv worktree new | list | remove` and `xv explore`.
 */
import type {CleanReport, ExploreReport} from '../domain/explore.js'
import type {SharedWorktreeResult} from '../domain/shared-worktree.js'
import type {WorktreeInfo} from '../domain/worktree-list.js'
import type {NewWorktreeReport} from '../domain/worktree-new.js'
import type {CheckItem, RemoveReport} from '../domain/worktree-remove.js'
import {colors, renderTable, shortSha} from './output.js'

function dvcLine(r: SharedWorktreeResult): string {
  if (!r.dvc) return ''
  const unprotected = r.unprotected.length > 0 ? `; private files (not links, what runs write): ${r.unprotected.join(', ')}` : ''
  return `  DVC: shared cache ${r.dvc.cacheDir} (link type ${r.dvc.linkType}, set in .dvc/config.local)${unprotected}`
}

function linkAdvice(r: SharedWorktreeResult): string[] {
  if (!r.dvc || r.dvc.linkType === 'reflink') return []
  return [
    `  Other tracked files are ${r.dvc.linkType}s into the shared cache and read-only (root can still write through them):`,
    '  list the files your runs write under `writes:` in xv.yaml, or `dvc unprotect PATH` before rewriting one in place.',
  ]
}

export function renderNew(r: NewWorktreeReport): string {
  return [
    `${colors.green('✓')} worktree ${colors.bold(r.name)} at ${r.path} (branch ${r.branch}, from ${r.from} ${shortSha(r.commit)})`,
    dvcLine(r),
    ...r.notes.map((n) => `  note: ${n}`),
    ...linkAdvice(r),
    '',
    'Next steps:',
    ...r.nextSteps.map((s, i) => `  ${i + 1}. ${s}`),
  ]
    .filter((l, i) => l !== '' || i > 0)
    .join('\n')
}

function dvcSummary(w: WorktreeInfo): string {
  const d = w.dvc
  if (!d) return w.changes === null ? '' : 'no DVC'
  const parts: string[] = []
  if (d.modified.length > 0) parts.push(colors.yellow(`${d.modified.length} modified`))
  if (d.unverified.length > 0) parts.push(`${d.unverified.length} cop${d.unverified.length === 1 ? 'y' : 'ies'} not hashed (remove checks)`)
  if (d.missing.length > 0) parts.push(colors.yellow(`${d.missing.length} not checked out`))
  if (!d.remote) parts.push(colors.yellow('no remote'))
  else if (d.notInRemote === null) parts.push('remote not local: see xv worktree remove')
  else if (d.notInRemote > 0) parts.push(colors.yellow(`${d.notInRemote} obj. unpushed`))
  if (parts.length === 0) return colors.green(`${d.outputs} out(s) committed, pushed`)
  return `${d.outputs} out(s): ${parts.join(', ')}`
}

function tagList(tags: string[]): string {
  if (tags.length <= 3) return tags.join(' ')
  return `${tags.slice(-3).join(' ')} +${tags.length - 3}`
}

export function renderWorktreeList(list: WorktreeInfo[]): string {
  const rows = list.map((w) => [
    w.kind === 'main' ? colors.bold('main') : w.kind === 'explore' ? `explore ${w.name}` : w.name,
    w.path,
    w.branch ?? (w.prunable ? 'prunable' : 'detached'),
    shortSha(w.head),
    w.changes === null ? 'folder missing' : w.changes === 0 ? 'clean' : colors.yellow(`${w.changes} changed`),
    tagList(w.tags),
    dvcSummary(w),
  ])
  return renderTable(['name', 'path', 'branch', 'HEAD', 'git', 'tags', 'DVC'], rows)
}

function mark(c: CheckItem): string {
  if (c.ok) return colors.green('✓')
  if (c.warning) return colors.yellow('!')
  return colors.red('✗')
}

export function renderChecklist(checks: CheckItem[]): string {
  return checks.map((c) => `  ${mark(c)} ${c.check}: ${c.detail}`).join('\n')
}

export function renderRemove(r: RemoveReport): string {
  const head = r.dryRun
    ? `${colors.bold('dry run')} — nothing was changed. Checklist for ${r.path}:`
    : r.removed
      ? `${colors.green('✓')} removed worktree ${r.name} (${r.path})${r.branch ? ` and branch ${r.branch}` : ''}${r.forced ? ' (--force)' : ''}`
      : `Checklist for ${r.path}:`
  const lines = [head, renderChecklist(r.checks)]
  if (r.dryRun) lines.push(r.checks.some((c) => !c.ok && !c.warning) ? '  would refuse (use --force to remove anyway)' : `  would remove ${r.path}${r.branch ? ` and branch ${r.branch}` : ''}`)
  return lines.join('\n')
}

export function renderExplore(r: ExploreReport): string {
  return [
    `${colors.green('✓')} ${colors.bold(r.version)} checked out at ${r.path} (detached at ${shortSha(r.commit)})`,
    dvcLine(r),
    ...r.notes.map((n) => `  note: ${n}`),
    `  Disposable: remove it with 'xv explore --clean ${r.version}'.`,
  ]
    .filter(Boolean)
    .join('\n')
}

export function renderExploreList(list: WorktreeInfo[]): string {
  if (list.length === 0) return 'no explore worktrees (create one with xv explore VERSION)'
  return renderTable(
    ['version', 'path', 'HEAD', 'git'],
    list.map((w) => [w.name, w.path, shortSha(w.head), w.changes === null ? 'folder missing' : w.changes === 0 ? 'clean' : `${w.changes} changed`]),
  )
}

export function renderClean(r: CleanReport): string {
  const lines: string[] = []
  const verb = r.dryRun ? 'would remove' : 'removed'
  if (r.removed.length === 0 && r.kept.length === 0) lines.push('no explore worktrees: nothing to clean')
  if (r.removed.length > 0) lines.push(`${r.dryRun ? colors.bold('dry run') + ' — ' : colors.green('✓ ')}${verb}: ${r.removed.join(', ')}`)
  for (const k of r.kept) lines.push(`  kept ${k.name} (${k.path}): ${k.changes} uncommitted change(s); use --force to discard them`)
  return lines.join('\n')
}
