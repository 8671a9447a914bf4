/**
 * Human output of the run commands (run, runs, runs show, best, next).
 */
import type {RunReport} from '../domain/runs.js'
import {colors, renderTable, shortSha} from './output.js'

export function renderRun(report: RunReport): string {
  const head =
    report.status === 'completed'
      ? `${colors.green('✓')} run ${report.runId} ${colors.bold(report.version)} completed in ${report.durationS}s`
      : report.status === 'cancelled'
        ? `${colors.yellow('■')} run ${report.runId} ${colors.bold(report.version)} cancelled after ${report.durationS}s; ${report.version} stays claimed (re-run: xv run --rerun ${report.runId}, give back: xv next --release ${report.version})`
        : `${colors.red('✗')} run ${report.runId} ${colors.bold(report.version)} failed (exit ${report.exitCode}${report.error ? `: ${report.error}` : ''}); no tag; ${report.version} stays claimed (re-run: xv run --rerun ${report.runId})`
  const lines = [head, `  log: ${report.log}`]
  if (report.tag) lines.push(`  tagged ${report.tag.version} ${colors.dim(shortSha(report.tag.commit))}  ${report.tag.message}`)
  return lines.join('\n')
}

export {renderTable}
