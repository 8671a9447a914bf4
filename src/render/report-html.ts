/**
 * `xv report` as one self-contained HTML page: inline CSS, static SVG charts (Vega-Lite rendered
 * at build time), and one small inline script that sorts the leaderboard — no network, no CDN.
 */
import type {DiffReport} from '../domain/diff.js'
import type {ReportData} from '../domain/report.js'
import {formatNumber} from '../domain/tag-message.js'
import {XV_MARK} from '../domain/chart-output.js'
import {escapeHtml as esc, renderSvg, versionChartSpec} from './charts-svg.js'
import {formatBytes, shortDate, shortSha} from './output.js'

const STYLE = `body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:1180px;margin:0 auto;padding:1.5rem 2rem 3rem}h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.15rem;margin:2rem 0 .6rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
.meta{color:#59636e;font-size:.9rem}.charts{display:flex;flex-wrap:wrap;gap:1rem}.chart{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.5rem}
.scroll{max-height:32rem;overflow:auto;border:1px solid #d0d7de;border-radius:6px;background:#fff}table{border-collapse:collapse;font-size:.85rem;width:100%}
th,td{padding:.3rem .6rem;text-align:left;border-bottom:1px solid #eaeef2;white-space:nowrap}th{background:#f6f8fa;position:sticky;top:0}
table.sortable th{cursor:pointer;user-select:none}table.sortable th:after{content:' ↕';color:#8c959f}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.best{font-weight:700;color:#1a7f37}.better{color:#1a7f37}.worse{color:#cf222e}code{font-size:.8rem}.note{color:#59636e;font-size:.85rem}`

const SORT_SCRIPT = `document.querySelectorAll('table.sortable').forEach(function(t){t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){var b=t.tBodies[0],rs=Array.prototype.slice.call(b.rows),asc=th.dataset.dir!=='asc';th.dataset.dir=asc?'asc':'desc';var v=function(r){var c=r.cells[i];var s=c.dataset.v!==undefined?c.dataset.v:c.textContent;var n=parseFloat(s);return isNaN(n)?s:n};rs.sort(function(x,y){var a=v(x),c=v(y);if(a===c)return 0;if(a===''||a===undefined)return 1;if(c===''||c===undefined)return -1;return (a<c?-1:1)*(asc?1:-1)});rs.forEach(function(r){b.appendChild(r)})})})});`

function table(head: string[], rows: string[][], cls = ''): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('')
  return `<div class="scroll"><table${cls ? ` class="${cls}"` : ''}><thead><tr>${th}</tr></thead><tbody>\n${rows.map((r) => `<tr>${r.join('')}</tr>`).join('\n')}\n</tbody></table></div>`
}

const td = (text: string, cls = '', sortValue?: string | number) =>
  `<td${cls ? ` class="${cls}"` : ''}${sortValue === undefined ? '' : ` data-v="${esc(String(sortValue))}"`}>${esc(text)}</td>`

function leaderboard(r: ReportData): string {
  const bestOf = new Map(r.charts.map((c) => [c.metric, c.best?.version]))
  const head = ['version', 'date', 'commit', 'runs', ...r.metrics, ...r.params, 'description']
  const rows = [...r.versions].reverse().map((v) => [
    `<td data-v="${r.versions.indexOf(v)}"><b>${esc(v.version)}</b></td>`,
    td(shortDate(v.date)),
    td(shortSha(v.commit)),
    td(v.summary ? String(v.summary.runs) : '', 'num'),
    ...r.metrics.map((m) => {
      const val = v.values[m]
      return td(val === undefined ? '' : formatNumber(val), `num${bestOf.get(m) === v.version ? ' best' : ''}`, val ?? '')
    }),
    ...r.params.map((p) => td(String(v.summary?.params[p] ?? v.fields[p] ?? ''))),
    td(v.description ?? v.summary?.note ?? ''),
  ])
  return table(head, rows, 'sortable')
}

function diffSection(d: DiffReport): string {
  const parts = [`<p class="meta">${esc(d.a.version)} (${esc(shortSha(d.a.commit))}) → ${esc(d.b.version)} (${esc(shortSha(d.b.commit))})</p>`]
  if (d.values.length === 0) parts.push('<p class="note">no metric or param differences</p>')
  else
    parts.push(
      table(
        ['name', d.a.version, d.b.version, 'Δ', 'Δ %'],
        d.values.map((v) => {
          const cls = v.better === undefined ? 'num' : v.better ? 'num better' : 'num worse'
          const fmt = (x: number | string | undefined) => (typeof x === 'number' ? formatNumber(x) : (x ?? ''))
          return [td(v.name), td(fmt(v.a), 'num'), td(fmt(v.b), 'num'), td(v.delta === undefined ? '' : `${v.delta > 0 ? '+' : ''}${formatNumber(v.delta)}${v.better === undefined ? '' : v.better ? ' ▲' : ' ▼'}`, cls), td(v.pct === undefined ? '' : `${v.pct > 0 ? '+' : ''}${v.pct.toFixed(1)}%`, cls)]
        }),
      ),
    )
  const fields = d.fields.filter((f) => !d.values.some((v) => v.name === f.key))
  if (fields.length > 0) parts.push('<h3>tag fields</h3>', table(['field', d.a.version, d.b.version], fields.map((f) => [td(f.key), td(f.a ?? ''), td(f.b ?? '')])))
  if (d.artifacts.length > 0)
    parts.push('<h3>artifacts changed</h3>', table(['path', 'change', d.a.version, d.b.version, 'size Δ'], d.artifacts.map((a) => [td(a.path), td(a.change), `<td><code>${esc(a.a?.md5 ?? '')}</code></td>`, `<td><code>${esc(a.b?.md5 ?? '')}</code></td>`, td(a.sizeDelta === undefined ? '' : formatBytes(a.sizeDelta), 'num')])))
  if (d.code) parts.push(`<p>code: ${d.code.files} file(s) changed, +${d.code.insertions} −${d.code.deletions}</p>`)
  for (const n of d.notes) parts.push(`<p class="note">note: ${esc(n)}</p>`)
  return parts.join('\n')
}

export async function renderReportHtml(r: ReportData): Promise<string> {
  const svgs = await Promise.all(r.charts.map((c) => renderSvg(versionChartSpec([c], r.by, r.charts.length > 1 ? 470 : 900))))
  const fromSummary = r.versions.filter((v) => v.source === 'summary').length
  const body: string[] = [
    `<h1>${esc(r.title)}</h1>`,
    `<p class="meta">${r.versions.length} versions (${r.versions[0]?.version} … ${r.versions.at(-1)?.version}) · ${fromSummary} with a frozen summary, ${r.versions.length - fromSummary} from tag messages · generated ${esc(r.generated)} by xv report</p>`,
    '<h2 id="charts">Metrics across versions</h2>',
    r.charts.length === 0 ? '<p class="note">no numeric metrics in the tags</p>' : `<div class="charts">${svgs.map((s) => `<div class="chart">${s}</div>`).join('')}</div>`,
    '<h2 id="leaderboard">Leaderboard</h2>',
    '<p class="note">click a column to sort; bold green = best version of a charted metric</p>',
    leaderboard(r),
  ]
  if (r.diff) body.push(`<h2 id="diff">Diff ${esc(r.diff.a.version)} → ${esc(r.diff.b.version)}</h2>`, diffSection(r.diff))
  if (r.artifacts) {
    body.push(`<h2 id="artifacts">Artifacts at ${esc(r.artifacts.version)}</h2>`)
    body.push(
      r.artifacts.items.length === 0
        ? '<p class="note">no DVC-tracked artifacts</p>'
        : table(['path', 'md5', 'size', 'files', 'in cache', 'in remote', 'pointer'], r.artifacts.items.map((a) => [td(a.path), `<td><code>${esc(a.md5 ?? '')}</code></td>`, td(formatBytes(a.size), 'num', a.size ?? ''), td(a.nfiles === undefined ? '' : String(a.nfiles), 'num'), td(String(a.inCache)), td(a.inRemote === undefined ? '' : String(a.inRemote)), td(a.pointer)]), 'sortable'),
    )
  }

  if (r.stages.length > 0) {
    body.push(`<h2 id="stages">Stages and lineage at ${esc(r.artifacts?.version ?? '')} (dvc.lock)</h2>`)
    const files = (list: Array<{path: string; md5?: string}>) => list.map((f) => `${esc(f.path)} <code>${esc((f.md5 ?? '').slice(0, 10))}</code>`).join('<br>')
    body.push(table(['stage', 'command', 'reads', 'writes'], r.stages.map((s) => [td(s.name), `<td><code>${esc(s.cmd ?? '')}</code></td>`, `<td>${files(s.deps)}</td>`, `<td>${files(s.outs)}</td>`])))
  }

  for (const n of r.notes) body.push(`<p class="note">note: ${esc(n)}</p>`)
  return [
    `<!doctype html>${XV_MARK}`,
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(r.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body><main>',
    ...body,
    '</main>',
    `<script>${SORT_SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n')
}
