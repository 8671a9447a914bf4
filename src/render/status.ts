/**
 * Human output of `xv status` and `xv config`.
 */
import {toYaml} from '../yaml.js'

import type {ConfigReport} from '../domain/config-edit.js'
import {unmergedText, type StatusReport} from '../domain/status.js'
import {colors, shortSha} from './output.js'

function section(title: string, lines: string[]): string[] {
  return lines.length === 0 ? [] : ['', colors.bold(title), ...lines.map((l) => `  ${l}`)]
}

export function renderStatus(r: StatusReport): string {
  const at = r.headTags.length > 0 ? colors.green(r.headTags.join(', ')) : colors.dim('no experiment tag')
  const lines = [
    `${colors.bold('HEAD')} ${shortSha(r.head ?? undefined) || '(no commit)'} on ${r.branch ?? 'detached HEAD'}: ${at}` +
      (r.latest ? `  ${colors.dim(`(newest: ${r.latest})`)}` : ''),
  ]
  lines.push(
    ...section(
      'Artifacts',
      r.artifacts.map((a) => `${a.state === 'missing' ? colors.dim(a.state.padEnd(9)) : colors.yellow(a.state.padEnd(9))} ${a.path}`),
    ),
  )
  const np = r.notPushed
  const pushLines: string[] = []
  if (np.tags.length > 0) pushLines.push(`tags not on ${np.remote}: ${np.tags.slice(0, 8).join(', ')}${np.tags.length > 8 ? ` … (${np.tags.length})` : ''}`)
  if ((np.objects ?? 0) > 0) pushLines.push(`${np.objects} DVC object(s) not in the DVC remote`)
  if ((np.commits ?? 0) > 0) pushLines.push(`${np.commits} commit(s) of ${r.branch} not on its upstream`)
  if (np.remote === null) pushLines.push(colors.dim('no git remote'))
  lines.push(...section('Not pushed', pushLines))
  lines.push(
    ...section(
      'Worktrees',
      r.worktrees.map((w) => {
        const parts = [w.unmergedRuns + w.unmergedRunRecords > 0 ? colors.yellow(`${unmergedText(w)} not merged`) : 'merged']
        if (w.changes > 0) parts.push(`${w.changes} uncommitted change(s)`)
        if (w.tags.length > 0) parts.push(`tags ${w.tags.join(', ')}`)
        return `${colors.bold(w.name)}  ${parts.join(', ')}`
      }),
    ),
  )
  lines.push(
    ...section(
      'Interrupted',
      r.interrupted.map((c) => `${colors.red(c.version)} claimed by '${c.by}' in ${c.worktree}${c.time ? ` at ${c.time}` : ''}, never tagged`),
    ),
  )
  lines.push('', `${colors.bold('Next:')} ${colors.cyan(r.next.command)}  ${colors.dim(`# ${r.next.why}`)}`)
  return lines.join('\n')
}

function yamlValue(value: unknown): string {
  return typeof value === 'object' && value !== null ? toYaml(value, {collectionStyle: 'flow'}).trim() : String(value)
}

export function renderConfig(r: ConfigReport): string {
  if (r.action === 'list')
    return (r.values ?? []).map((v) => `${v.key}: ${yamlValue(v.value)}${v.source === 'default' ? colors.dim('  # default') : ''}`).join('\n')
  if (r.action === 'get') return r.source === 'unset' ? colors.dim(`${r.key} is not set`) : yamlValue(r.value)
  if (!r.changed) return `${r.key}: unchanged`
  return r.action === 'unset' ? `${colors.green('✓')} ${r.key} removed from xv.yaml` : `${colors.green('✓')} ${r.key}: ${yamlValue(r.value)}`
}
