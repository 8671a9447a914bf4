/**
 * What a result database means: which table holds the experiments, which column is the version,
 * which columns are metrics, params and bookkeeping, and how a version's rows become tag fields.
 * Pure logic over column lists and summaries; the SQL lives in the sqlite adapter.
 */
import type {ColumnInfo, VersionSummary} from '../adapters/sqlite.js'
import type {Direction, MetricSpec} from '../config.js'
import {XvError} from '../errors.js'
import {formatNumber} from './tag-message.js'

export const VERSION_COLUMNS = ['version', 'experiment_version', 'exp_version']

/** Columns that describe the run, not the experiment. Never in a tag message. */
const BOOKKEEPING = new Set([
  'track_id', 'timestamp', 'cache', 'rowid', 'id', 'run_id', 'input_id', 'error', 'raw_response', 'prediction',
  'ground_truth', 'label', 'git_commit', 'commit', 'created_at', 'updated_at', 'status', 'hostname', 'host', 'step', 'epoch',
])

const METRIC = /(^|_)(acc|accuracy|f1|f1_score|precision|recall|auc|roc_auc|loss|error_rate|mse|rmse|mae|mape|bleu|rouge\w*|score|latency|map|ndcg|iou|dice|perplexity|ppl|wer|cer|r2|exact_match|em)($|_)/i
const LOWER_IS_BETTER = /(loss|error|err|latency|time|duration|mse|mae|rmse|mape|perplexity|ppl|wer|cer)/i
const MODEL = /^(params_)?(model|model_name|model_type|arch|architecture)$/i
const PARAM = /^(params_.+|lr|learning_rate|batch_size|epochs|dropout|temperature|seed|weight_decay|optimizer|n_estimators|max_depth|embedding_dim|hidden_size|num_layers)$/i

const MAX_TAG_FIELDS = 6

export interface ResultTableChoice {
  table: string
  versionColumn: string
}

export interface TableColumns {
  table: string
  columns: ColumnInfo[]
}

/** Chooses the experiment table and version column, checking configured names against the schema. */
export function chooseResultTable(
  tables: TableColumns[],
  wanted: {table?: string; versionColumn?: string},
  label: string,
): ResultTableChoice | undefined {
  // xv's own tables (xv_runs, xv_run_artifacts) are never the experiment table.
  tables = tables.filter((t) => !t.table.startsWith('xv_') || t.table === wanted.table)
  const names = tables.map((t) => t.table)
  if (wanted.table && !names.includes(wanted.table))
    throw new XvError(`table '${wanted.table}' not found in ${label}; tables: ${names.join(', ') || '(none)'}`)
  const candidates = wanted.table ? tables.filter((t) => t.table === wanted.table) : tables
  const versionOf = (t: TableColumns): string | undefined => {
    const cols = t.columns.map((c) => c.name)
    if (wanted.versionColumn) return cols.includes(wanted.versionColumn) ? wanted.versionColumn : undefined
    return VERSION_COLUMNS.find((v) => cols.includes(v)) ?? cols.find((c) => /version$/i.test(c))
  }

  const named = wanted.table ? candidates[0] : undefined
  if (named && wanted.versionColumn && !versionOf(named)) {
    const cols = named.columns.map((c) => c.name)
    throw new XvError(
      `version column '${wanted.versionColumn}' not found in table '${wanted.table}' of ${label}; columns: ${cols.join(', ')}`,
    )
  }

  const preference = ['metrics', 'default', 'runs', 'experiments', 'predictions']
  const ranked = [...candidates].sort((a, b) => {
    const ra = preference.indexOf(a.table)
    const rb = preference.indexOf(b.table)
    return (ra === -1 ? 99 : ra) - (rb === -1 ? 99 : rb)
  })
  for (const t of ranked) {
    const v = versionOf(t)
    if (v) return {table: t.table, versionColumn: v}
  }

  if (wanted.versionColumn)
    throw new XvError(`no table of ${label} has the version column '${wanted.versionColumn}'; tables: ${names.join(', ')}`)
  return undefined
}

export function isBookkeeping(column: string, versionColumn: string): boolean {
  return column === versionColumn || BOOKKEEPING.has(column.toLowerCase())
}

export function isMetricName(column: string): boolean {
  return METRIC.test(column)
}

export function directionOf(name: string, configured: MetricSpec[] = []): Direction {
  const spec = configured.find((m) => m.name === name)
  if (spec?.direction) return spec.direction
  return LOWER_IS_BETTER.test(name) ? 'lower' : 'higher'
}

/** Short field name for a column: `params_model_name` → `model_name`, `learning_rate` → `lr`. */
export function fieldName(column: string): string {
  const bare = column.replace(/^params_/, '')
  return bare === 'learning_rate' ? 'lr' : bare
}

/** Checks configured metric names against the table's columns. */
export function checkMetrics(metrics: MetricSpec[], columns: ColumnInfo[], table: string, label: string): void {
  const have = columns.map((c) => c.name)
  const missing = metrics.find((m) => !have.includes(m.name))
  if (missing)
    throw new XvError(`metric column '${missing.name}' not found in table '${table}' of ${label}; columns: ${have.join(', ')}`)
}

/**
 * The key=value fields of a version for its tag message: configured metrics first, then the model,
 * recognisable metrics, then key params; at most MAX_TAG_FIELDS, floats to 4 decimals.
 */
export function tagFields(summary: VersionSummary, versionColumn: string, metrics: MetricSpec[]): Record<string, string> {
  const fields: Record<string, string> = {}
  const put = (column: string) => {
    if (Object.keys(fields).length >= MAX_TAG_FIELDS) return
    const name = fieldName(column)
    if (name in fields) return
    const mean = summary.means[column]
    const value = summary.values[column]
    if (mean !== undefined) fields[name] = formatNumber(mean, summary.integers.includes(column))
    else if (value !== undefined) fields[name] = value
  }

  const all = [...Object.keys(summary.means), ...Object.keys(summary.values)].filter((c) => !isBookkeeping(c, versionColumn))
  for (const m of metrics) put(m.name)
  for (const c of all) if (MODEL.test(c)) put(c)
  for (const c of all) if (isMetricName(c) && !PARAM.test(c)) put(c)
  for (const c of all) if (PARAM.test(c)) put(c)
  return fields
}

/** Numeric metric columns of a table, configured ones first. */
export function metricColumns(columns: ColumnInfo[], versionColumn: string, configured: MetricSpec[]): string[] {
  const names = columns.map((c) => c.name).filter((c) => !isBookkeeping(c, versionColumn))
  const list = configured.map((m) => m.name).filter((m) => names.includes(m))
  for (const c of names) if (isMetricName(c) && !PARAM.test(c) && !list.includes(c)) list.push(c)
  return list
}
