/**
 * Frozen per-tag summaries: what a version's tag says, in a small git-tracked file committed with
 * the tag, so `list`, `show`, `diff`, `plot`, `report` and `model list` read every tag's numbers
 * in one batched git read — never today's database for an old tag.
 *
 * Files (relative to the repository root; both git-tracked, never DVC-tracked, never params.yaml):
 *   results/metrics.json  – a TagSummary (numbers DVC's `dvc metrics` can read: `metrics`, `means`)
 *   results/params.yaml   – the best run's params (flat key: value), for `dvc params diff`/`dvc exp show`
 *
 * Written by `xv tag` (the runs issue); declared to DVC in dvc.yaml (`metrics:`/`params:`/`plots:`)
 * by the seeing-results issue. A tag without the file (older xv, or no xv tag) has no summary:
 * readers fall back to the tag message's fields.
 */
import type {Git} from '../adapters/git.js'

export const SUMMARY_FILE = 'results/metrics.json'
export const SUMMARY_PARAMS_FILE = 'results/params.yaml'
export const SUMMARY_SCHEMA = 1

export interface TagSummary {
  schema: number
  /** The experiment version this summary was frozen for (`e0.3.0`). */
  version: string
  /** Result table and version column the numbers come from (absent when there is no database). */
  table?: string
  versionColumn?: string
  /** Number of runs (distinct run ids, else rows) of this version; 0 = "no runs". */
  runs: number
  /** Number of rows of this version in the table. */
  rows: number
  /** The best run by the primary metric (absent when runs = 0 or no metric). */
  best?: {
    /** Run id (track_id, or XV_RUN_ID when the rows carry it). */
    run?: string
    metric: string
    direction: 'higher' | 'lower'
    value: number
  }
  /** The best run's metrics — exactly the numbers of the tag message. */
  metrics: Record<string, number>
  /** Mean of each metric over the version's rows (labelled as means wherever shown). */
  means: Record<string, number>
  /** The best run's params (never averaged). */
  params: Record<string, string | number | boolean | null>
  /** `data=` of the tag: a short hash of the data inputs only. */
  data?: string
  /** What the tag says when it has no runs of its own (merge, promotion, prune commits). */
  note?: string
  /**
   * One datapoint `{version, ...metrics}` for `dvc plots` (DVC plots draw lists of records; the
   * `xv-METRIC` entries in dvc.yaml read it). Built by `summaryPlotPoints` in dvc-interop.ts.
   */
  plot?: Array<Record<string, string | number>>
}

function isTagSummary(value: unknown): value is TagSummary {
  if (!value || typeof value !== 'object') return false
  const v = value as Partial<TagSummary>
  return typeof v.schema === 'number' && typeof v.version === 'string' && typeof v.runs === 'number' && !!v.metrics && typeof v.metrics === 'object'
}

function parseSummary(text: string): TagSummary | undefined {
  try {
    const doc: unknown = JSON.parse(text)
    return isTagSummary(doc) ? doc : undefined
  } catch {
    return undefined
  }
}

/**
 * The frozen summary of each REV (tags or commits), read in one `git cat-file --batch` call.
 * Revisions without a (valid) summary file are absent from the map.
 */
export async function readSummaries(git: Git, revs: string[], file = SUMMARY_FILE): Promise<Map<string, TagSummary>> {
  const out = new Map<string, TagSummary>()
  if (revs.length === 0) return out
  const specs = revs.map((rev) => `${rev}:${file}`)
  const blobs = await git.catFileBatch(specs)
  revs.forEach((rev, i) => {
    const spec = specs[i]
    const buf = spec === undefined ? undefined : blobs.get(spec)
    const summary = buf ? parseSummary(buf.toString('utf8')) : undefined
    if (summary) out.set(rev, summary)
  })
  return out
}
