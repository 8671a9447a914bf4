/**
 * Fixtures for plot/report/list tests: experiment tags with frozen summaries (results/metrics.json,
 * as `xv tag` writes them) or with tag-message fields only, and step/epoch result databases in
 * seed 004's shape, in SQLite (better-sqlite3) or DuckDB (@duckdb/node-api).
 */
import Database from 'better-sqlite3'
import {execFileSync} from 'node:child_process'
import {mkdirSync} from 'node:fs'
import {dirname} from 'node:path'

import type {TestRepo} from './repo.js'

export interface TagSpec {
  version: string
  metrics: Record<string, number>
  params?: Record<string, string | number>
  /** Write the tag-message fields only (no results/metrics.json), as older tags have. */
  messageOnly?: boolean
  description?: string
  date?: string
}

/** One commit and one annotated tag per spec, in order. */
export function tagVersions(repo: TestRepo, specs: TagSpec[]): void {
  for (const s of specs) {
    const fields = Object.entries({...s.params, ...s.metrics}).map(([k, v]) => `${k}=${v}`)
    if (!s.messageOnly) {
      const summary = {schema: 1, version: s.version, runs: 1, rows: 1, metrics: s.metrics, means: s.metrics, params: s.params ?? {}, plot: [{version: s.version, ...s.metrics}]}
      repo.write('results/metrics.json', `${JSON.stringify(summary, null, 2)}\n`)
      repo.write('results/params.yaml', Object.entries(s.params ?? {}).map(([k, v]) => `${k}: ${v}\n`).join(''))
      repo.git('add', '--', 'results/metrics.json', 'results/params.yaml')
    }

    const env = s.date ? {...process.env, GIT_COMMITTER_DATE: s.date, GIT_AUTHOR_DATE: s.date} : process.env
    execFileSync('git', ['commit', '-q', '--allow-empty', '-m', `train ${s.version}`], {cwd: repo.root, env})
    execFileSync('git', ['tag', '-a', s.version, '-m', [...fields, s.description ?? `run ${s.version}`].join(' | ')], {cwd: repo.root, env})
  }
}

export interface StepRow {
  run: number
  metric: string
  value: number
  step: number
  epoch: number
}

export function stepRows(runs: number[], steps: number): StepRow[] {
  const rows: StepRow[] = []
  for (const run of runs)
    for (let step = 0; step < steps; step++) {
      rows.push({run, metric: 'loss', value: 2 * Math.exp(-step / (5 * run)) + 0.05, step, epoch: Math.floor(step / 5)})
      rows.push({run, metric: 'accuracy', value: 1 - 0.5 * Math.exp(-step / 4), step, epoch: Math.floor(step / 5)})
    }
  return rows
}

const SCHEMA = `CREATE TABLE runs (run_id INTEGER PRIMARY KEY, run_name TEXT NOT NULL, config TEXT, status TEXT);
CREATE TABLE metrics (metric_id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, metric_name TEXT NOT NULL, value REAL NOT NULL, step INTEGER, epoch INTEGER);`

/** Seed 004's ExperimentDB schema in SQLite. */
export function writeStepDbSqlite(path: string, rows: StepRow[]): void {
  mkdirSync(dirname(path), {recursive: true})
  const db = new Database(path)
  db.exec(SCHEMA)
  const runs = [...new Set(rows.map((r) => r.run))]
  for (const r of runs) db.prepare('INSERT INTO runs VALUES (?, ?, ?, ?)').run(r, `run-${r}`, '{}', 'completed')
  const ins = db.prepare('INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)')
  db.transaction(() => rows.forEach((r, i) => ins.run(i + 1, r.run, r.metric, r.value, r.step, r.epoch)))()
  db.close()
}

/** The same schema and rows in a DuckDB file (experiments.duckdb, as DuckDB-based trackers write). */
export async function writeStepDbDuck(path: string, rows: StepRow[]): Promise<void> {
  mkdirSync(dirname(path), {recursive: true})
  const {DuckDBInstance} = await import('@duckdb/node-api')
  const instance = await DuckDBInstance.create(path, {autoinstall_known_extensions: 'false', autoload_known_extensions: 'false'})
  const conn = await instance.connect()
  for (const stmt of SCHEMA.replaceAll('REAL', 'DOUBLE').split(';').map((s) => s.trim()).filter(Boolean)) await conn.run(stmt)
  for (const r of [...new Set(rows.map((x) => x.run))]) await conn.run('INSERT INTO runs VALUES ($1, $2, $3, $4)', [r, `run-${r}`, '{}', 'completed'])
  const values = rows.map((r, i) => `(${i + 1}, ${r.run}, '${r.metric}', ${r.value}, ${r.step}, ${r.epoch})`).join(', ')
  if (values) await conn.run(`INSERT INTO metrics VALUES ${values}`)
  await conn.run('CHECKPOINT')
  conn.closeSync()
  instance.closeSync()
}

/** Runs (one row each) in a DuckDB `metrics` table in xetrack's shape (track_id, version, model, f1, loss). */
export async function writeRunsDuck(path: string, runs: Array<{track: string; version: string; model: string; f1: number; loss: number}>): Promise<void> {
  mkdirSync(dirname(path), {recursive: true})
  const {DuckDBInstance} = await import('@duckdb/node-api')
  const instance = await DuckDBInstance.create(path, {autoinstall_known_extensions: 'false', autoload_known_extensions: 'false'})
  const conn = await instance.connect()
  await conn.run('CREATE TABLE IF NOT EXISTS metrics (track_id VARCHAR, "timestamp" TIMESTAMP, version VARCHAR, model VARCHAR, epochs BIGINT, f1 DOUBLE, loss DOUBLE)')
  for (const r of runs) await conn.run("INSERT INTO metrics VALUES ($1, TIMESTAMP '2026-01-01 10:00:00', $2, $3, 10, $4, $5)", [r.track, r.version, r.model, r.f1, r.loss])
  await conn.run('CHECKPOINT')
  conn.closeSync()
  instance.closeSync()
}
