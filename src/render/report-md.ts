/**
 * `xv report --md`: the same report as Markdown for a PR comment — each chart as a text chart in
 * a code block, the leaderboard (newest 100), the diff (as `xv diff --md`), artifacts and stages.
 */
import type {ReportData} from '../domain/report.js'
import {formatNumber} from '../domain/tag-message.js'
import {XV_MARK} from '../domain/chart-output.js'
import {renderTextChart} from './charts-text.js'
import {formatBytes, shortDate, shortSha} from './output.js'
import {renderDiff} from './time-travel.js'

const MAX_ROWS = 100

function mdTable(head: string[], rows: string[][]): string {
  const esc = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ')
  return [`| ${head.map(esc).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n')
}

export function renderReportMd(r: ReportData): string {
  const lines = [XV_MARK, `# ${r.title}`, '', `${r.versions.length} versions (${r.versions[0]?.version} … ${r.versions.at(-1)?.version}), generated ${r.generated} by \`xv report --md\``]
  lines.push('', '## Metrics across versions')
  const index = new Map(r.versions.map((v, i) => [v.version, i]))
  for (const c of r.charts) {
    const values: Array<number | undefined> = Array.from({length: r.versions.length}, () => undefined)
    for (const p of c.points) {
      const at = index.get(p.version)
      if (at !== undefined) values[at] = p.value
    }
    const best = c.best ? index.get(c.best.version) : undefined
    const note = c.best ? `best ${c.best.version} = ${formatNumber(c.best.value)} (${c.direction} is better)` : 'no values'
    lines.push('', `**${c.metric}** — ${note}`, '', '```', renderTextChart({series: [{name: c.metric, values, best}], xLabels: r.versions.map((v) => v.version), width: 80, height: 8}), '```')
  }

  const bestOf = new Map(r.charts.map((c) => [c.metric, c.best?.version]))
  const newest = [...r.versions].reverse().slice(0, MAX_ROWS)
  lines.push('', '## Leaderboard', '')
  lines.push(
    mdTable(
      ['version', 'date', 'commit', 'runs', ...r.metrics, ...r.params, 'description'],
      newest.map((v) => [
        v.version, shortDate(v.date), shortSha(v.commit), v.summary ? String(v.summary.runs) : '',
        ...r.metrics.map((m) => {
          const value = v.values[m]
          return value === undefined ? '' : `${bestOf.get(m) === v.version ? '**' : ''}${formatNumber(value)}${bestOf.get(m) === v.version ? '**' : ''}`
        }),
        ...r.params.map((p) => String(v.summary?.params[p] ?? v.fields[p] ?? '')),
        v.description ?? v.summary?.note ?? '',
      ]),
    ),
  )
  if (r.versions.length > MAX_ROWS) lines.push('', `_… ${r.versions.length - MAX_ROWS} older versions: see \`xv list\` or the HTML report_`)
  if (r.diff) lines.push('', renderDiff(r.diff, {md: true, precision: 4}).replace(/^## /, '## Diff: '))
  if (r.artifacts) {
    lines.push('', `## Artifacts at ${r.artifacts.version}`, '')
    lines.push(
      r.artifacts.items.length === 0
        ? '_no DVC-tracked artifacts_'
        : mdTable(['path', 'md5', 'size', 'files'], r.artifacts.items.map((a) => [a.path, a.md5 ? `\`${a.md5}\`` : '', formatBytes(a.size), a.nfiles === undefined ? '' : String(a.nfiles)])),
    )
  }

  if (r.stages.length > 0) {
    const files = (list: Array<{path: string; md5?: string}>) => list.map((f) => `${f.path} \`${(f.md5 ?? '').slice(0, 10)}\``).join(', ')
    lines.push('', `## Stages and lineage at ${r.artifacts?.version ?? ''} (dvc.lock)`, '', mdTable(['stage', 'command', 'reads', 'writes'], r.stages.map((s) => [s.name, s.cmd ? `\`${s.cmd}\`` : '', files(s.deps), files(s.outs)])))
  }

  for (const n of r.notes) lines.push('', `> note: ${n}`)
  return `${lines.join('\n')}\n`
}
