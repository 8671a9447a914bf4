/**
 * The JSON contract of xv: what every command prints with --json. One object per command, always
 * `{"schemaVersion": 1, "kind": "<kind>", …}`: numbers are numbers, lists sit under named keys, and
 * an error is `{"schemaVersion": 1, "error": {code, message, hint?, exitCode}}` with the same
 * non-zero exit. Each kind's JSON Schema is generated from these types (`npm run schemas`, files in
 * src/json/schemas/) and every command × --json is validated against it in the tests.
 *
 * To add a command: add its result type under its kind in `ResultTypes`, return
 * `this.result('<kind>', data)` from `run()`, run `npm run schemas`.
 */
import type {Check} from '../domain/doctor.js'
import type {ExperimentList} from '../domain/experiments.js'
import type {CleanReport, ExploreReport} from '../domain/explore.js'
import type {GetResult} from '../domain/get.js'
import type {DiffReport} from '../domain/diff.js'
import type {InitReport} from '../domain/init.js'
import type {MergeReport} from '../domain/merge.js'
import type {ParquetMergeReport} from '../domain/parquet-merge.js'
import type {PushReport} from '../domain/publish.js'
import type {ShowReport} from '../domain/show.js'
import type {TagReport} from '../domain/tagging.js'
import type {WorktreeInfo} from '../domain/worktree-list.js'
import type {NewWorktreeReport} from '../domain/worktree-new.js'
import type {RemoveReport} from '../domain/worktree-remove.js'
import type {StatusReport} from '../domain/status.js'
import type {ConfigReport} from '../domain/config-edit.js'
import type {Comparison} from '../domain/compare.js'
import type {LineageReport} from '../domain/lineage.js'
import type {BestRun, RunDetail, RunsList} from '../domain/run-query.js'
import type {NextReport} from '../domain/run-versions.js'
import type {RunReport} from '../domain/runs.js'
import type {GcReport} from '../domain/gc.js'
import type {PlotChart} from '../domain/plot.js'
import type {StageChange, StageListing} from '../domain/model-assign.js'
import type {ModelDetails, ModelEntry, ModelFields, ModelListing} from '../domain/model-list.js'
import type {ModelChange} from '../domain/model-promote.js'
import type {PruneReport} from '../domain/model-prune.js'

export const SCHEMA_VERSION = 1

/**
 * `xv plot --json`: the chart's data; its own kind ('versions' or 'run') is `chart`, as `kind` is
 * the envelope's. `output` is the file written with -o.
 */
export type PlotResult = {[C in PlotChart['kind']]: Omit<Extract<PlotChart, {kind: C}>, 'kind'> & {chart: C; output?: string}}[PlotChart['kind']]

/** `xv model info --json`: the model, `role` telling production from a candidate (`kind` is the envelope's). */
export type ModelInfoResult = ModelFields & ModelDetails & {role: ModelEntry['kind']}

/** `xv report --json`: what was written. */
export interface ReportResult {
  /** The file written; absent when the Markdown went to stdout. */
  output?: string
  bytes: number
  /** How many versions the report covers. */
  versions: number
  /** The metrics charted. */
  charts: string[]
  /** The two versions compared. */
  diff?: [string, string]
  notes: string[]
}

/** Every --json kind and the data it carries (the envelope adds schemaVersion and kind). */
export interface ResultTypes {
  best: BestRun
  compare: Comparison
  config: ConfigReport
  diff: DiffReport
  doctor: {checks: Check[]; ok: boolean}
  explore: ExploreReport
  gc: GcReport
  'explore-clean': CleanReport
  'explore-list': {worktrees: WorktreeInfo[]}
  get: GetResult
  init: InitReport
  lineage: LineageReport
  list: ExperimentList
  merge: MergeReport
  'model-add-candidate': ModelChange
  'model-assign': StageChange
  'model-info': ModelInfoResult
  'model-list': ModelListing
  'model-promote': ModelChange
  'model-prune': PruneReport
  'model-stages': StageListing
  'model-unassign': StageChange
  'merge-parquet': ParquetMergeReport
  'merge-restore': {target: string; backup: string}
  next: NextReport
  'next-release': {version: string; released: true}
  plot: PlotResult
  push: PushReport
  report: ReportResult
  run: RunReport
  runs: RunsList
  'runs-show': RunDetail
  show: ShowReport
  status: StatusReport
  tag: TagReport
  'worktree-list': {worktrees: WorktreeInfo[]}
  'worktree-new': NewWorktreeReport
  'worktree-remove': RemoveReport
}

export type ResultKind = keyof ResultTypes

/** What `--json` prints for kind K. */
export type JsonResult<K extends ResultKind> = {schemaVersion: typeof SCHEMA_VERSION; kind: K} & ResultTypes[K]

/** The envelope of kind K around DATA: what a command returns and `--json` prints. */
export function jsonResult<K extends ResultKind>(kind: K, data: ResultTypes[K]): JsonResult<K> {
  return {schemaVersion: SCHEMA_VERSION, kind, ...data}
}

/** All envelopes by kind: the root type the schema generator reads. */
export type JsonResults = {[K in ResultKind]: JsonResult<K>}

/** What `--json` prints when the command fails. */
export interface JsonError {
  schemaVersion: typeof SCHEMA_VERSION
  error: {
    code: 'failed' | 'not_found' | 'refused' | 'usage' | 'tool_failed' | 'interrupted' | 'conflict'
    message: string
    hint?: string
    exitCode: number
  }
}
