/**
 * Human output of the time-travel commands: xv get, xv show, xv diff.
 */
import type {GetResult} from '../domain/artifacts.js'
import {colors, formatBytes} from './output.js'

export function renderGet(r: GetResult): string {
  const what = r.type === 'dir' ? `${r.files} file${r.files === 1 ? '' : 's'}, ${formatBytes(r.bytes)}` : formatBytes(r.bytes)
  const via = {git: 'git object store', cache: 'DVC cache', remote: `DVC remote (${r.fetched} object(s) fetched)`, worktree: 'temporary worktree', workspace: 'working copy'}[r.strategy]
  return `${colors.green('✓')} ${r.path} @ ${r.version} → ${r.out} (${what}, verified) via ${via} [strategy: ${r.strategy}]`
}
