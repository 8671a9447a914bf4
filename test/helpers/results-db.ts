/**
 * Result databases in xetrack's shape, built with SQL (better-sqlite3) or written by the real
 * xetrack Tracker through Python.
 */
import {mkdirSync} from 'node:fs'
import {dirname} from 'node:path'
import Database from 'better-sqlite3'

import {python} from './repo.js'

export interface RunSpec {
  version: string
  model?: string
  lr?: number
  accuracy?: number
  f1?: number
  loss?: number
  /** Rows in `predictions` for this run. */
  predictions?: number
  trackId?: string
}

let counter = 0

/** Appends runs to a database with tables `metrics` (one row per run) and `predictions`. */
export function writeRuns(path: string, runs: RunSpec[]): void {
  mkdirSync(dirname(path), {recursive: true})
  const db = new Database(path)
  db.exec(`
    CREATE TABLE IF NOT EXISTS metrics (track_id TEXT, timestamp TEXT, version TEXT, model TEXT,
      learning_rate REAL, accuracy REAL, f1 REAL, loss REAL);
    CREATE TABLE IF NOT EXISTS predictions (track_id TEXT, timestamp TEXT, version TEXT, input_id INTEGER,
      prediction TEXT, ground_truth TEXT, latency REAL, params_model TEXT, params_learning_rate REAL);
  `)
  const m = db.prepare('INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  const p = db.prepare('INSERT INTO predictions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
  db.transaction(() => {
    for (const r of runs) {
      const id = r.trackId ?? `run-${process.pid}-${++counter}`
      const ts = new Date(Date.UTC(2026, 0, 1, 0, 0, counter)).toISOString()
      m.run(id, ts, r.version, r.model ?? 'bert', r.lr ?? 0.001, r.accuracy ?? 0.8, r.f1 ?? 0.75, r.loss ?? 0.5)
      for (let i = 0; i < (r.predictions ?? 3); i++)
        p.run(id, ts, r.version, i, i % 2 ? 'pos' : 'neg', i % 3 ? 'pos' : 'neg', 0.01 * (i + 1), r.model ?? 'bert', r.lr ?? 0.001)
    }
  })()
  db.close()
}

/** Writes rows with the real xetrack Tracker (SQLite engine): `metrics` table via tracker.log. */
export function writeWithXetrack(cwd: string, dbPath: string, version: string, values: Record<string, number | string>): void {
  const code = `
import json, sys
from xetrack import Tracker
t = Tracker(db=${JSON.stringify(dbPath)}, table='metrics', params={'version': ${JSON.stringify(version)}})
t.log(json.loads(${JSON.stringify(JSON.stringify(values))}))
`
  python(cwd, code)
}
