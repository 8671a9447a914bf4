/**
 * Worker thread for `xv diff --rows`: summarises the two versions' rows while the main thread runs
 * the row-level diff, so the two full scans overlap instead of adding up.
 */
import {parentPort, workerData} from 'node:worker_threads'

import {pivotLongTable} from '../adapters/result-rows.js'
import {openReadOnly, summariseVersions} from '../adapters/sqlite.js'
import type {SummaryJob} from './diff.js'

const jobs = workerData as SummaryJob[]
// This module only runs as a worker thread (diff.ts starts it), where parentPort exists.
if (!parentPort) throw new Error('diff-worker.js runs only as a worker thread')
const port = parentPort
try {
  const out = jobs.map((j) => {
    const db = openReadOnly(j.file, j.label)
    try {
      if (j.pivot) pivotLongTable(db, j.pivot.source, j.pivot.stored) // this connection's own pivot view
      return summariseVersions(db, j.table, j.versionColumn, j.columns, j.keys, true, j.spread)[0]
    } finally {
      db.close()
    }
  })
  port.postMessage({ok: true, out})
} catch (error) {
  port.postMessage({ok: false, message: error instanceof Error ? error.message : String(error)})
}
