/**
 * DVC sees xv's numbers: the frozen per-tag summary files are declared in dvc.yaml's top-level
 * `metrics:`, `params:` and `plots:`, so `dvc metrics diff e0.1.0 e0.2.0`, `dvc params diff`,
 * `dvc exp show` and `dvc plots diff e0.1.0 e0.2.0 …` (one entry `xv-METRIC` per xv.yaml metric)
 * read them at every tag. `xv init` adds the declarations to an existing dvc.yaml (comments and
 * stages kept) and writes none twice.
 */
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {isMap, isSeq, parseDocument, type Document} from 'yaml'

import {XvError, errorMessage} from '../errors.js'
import {SUMMARY_FILE, SUMMARY_PARAMS_FILE, type TagSummary} from './summaries.js'

/** The list inside results/metrics.json that `dvc plots` draws: one datapoint per tag. */
export const SUMMARY_PLOT_KEY = 'plot'

/** One datapoint per tag for `dvc plots` (x: version; y: the best run's metrics). */
export function summaryPlotPoints(summary: Pick<TagSummary, 'version' | 'metrics'>): Array<Record<string, string | number>> {
  return [{version: summary.version, ...summary.metrics}]
}

function hasEntry(doc: Document, key: string, path: string): boolean {
  const node = doc.get(key)
  if (!isSeq(node)) return false
  return node.items.some((item) => {
    const v = (item as {value?: unknown}).value ?? item
    if (typeof v === 'string') return v === path
    return isMap(item) && item.has(path)
  })
}

/** The id of the `dvc plots` entry of one metric. */
export const plotId = (metric: string) => `xv-${metric}`

export interface DeclareResult {
  changed: boolean
  added: string[]
}

/** Adds the summary files to ROOT/dvc.yaml (creating it when absent). Idempotent. */
export function declareSummaries(root: string, metrics: string[] = []): DeclareResult {
  const file = join(root, 'dvc.yaml')
  let doc: Document
  try {
    doc = parseDocument(existsSync(file) ? readFileSync(file, 'utf8') : '')
  } catch (error) {
    throw new XvError(`cannot read dvc.yaml: ${errorMessage(error)}`)
  }

  if (doc.errors.length > 0) throw new XvError(`cannot read dvc.yaml: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`)
  if (doc.contents === null) doc.contents = doc.createNode({})
  if (!isMap(doc.contents)) throw new XvError('cannot declare xv summaries in dvc.yaml: its top level is not a mapping')
  const added: string[] = []
  const add = (key: string, path: string, value: unknown) => {
    if (hasEntry(doc, key, path)) return
    const seq = doc.get(key)
    if (seq !== undefined && !isSeq(seq)) throw new XvError(`cannot declare ${path} in dvc.yaml: its '${key}' is not a list`)
    if (seq === undefined) doc.set(key, doc.createNode([value]))
    else seq.add(doc.createNode(value))
    added.push(`${key}: ${path}`)
  }

  add('metrics', SUMMARY_FILE, SUMMARY_FILE)
  add('params', SUMMARY_PARAMS_FILE, SUMMARY_PARAMS_FILE)
  // DVC's line templates need a numeric x; versions are names: one horizontal bar chart per metric.
  for (const m of metrics)
    add('plots', plotId(m), {[plotId(m)]: {template: 'bar_horizontal', x: {[SUMMARY_FILE]: m}, y: {[SUMMARY_FILE]: 'version'}, title: `${m} at each tag (xv)`}})
  if (added.length === 0) return {changed: false, added}
  const tmp = `${file}.xv-tmp-${process.pid}`
  writeFileSync(tmp, doc.toString())
  renameSync(tmp, file)
  return {changed: true, added}
}
