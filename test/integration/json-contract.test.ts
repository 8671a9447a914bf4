/**
 * The JSON contract: every command × --json is validated against its schema (src/json/schemas,
 * generated from the result types in src/json/contract.ts). KINDS (test/helpers/json-contract.ts)
 * lists every command of oclif.manifest.json with the kinds it prints; the last test fails when a
 * command or a kind was not exercised here. Errors and exit codes: exit-codes.test.ts.
 */
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DuckDBInstance} from '@duckdb/node-api'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeExperimentRepo} from '../helpers/experiment-repo.js'
import {KINDS, NO_JSON, SCHEMAS, json as jsonIn, manifestCommands, seen, validate} from '../helpers/json-contract.js'
import {xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'
import {makeRunsRepo} from '../helpers/runs-repo.js'

let repo: TestRepo
let scratch: string

const json = (kind: string, args: string[], cwd = repo.root) => jsonIn(kind, args, cwd)

beforeAll(async () => {
  repo = await makeExperimentRepo()
  scratch = mkdtempSync(join(tmpdir(), 'xv-contract-'))
})

afterAll(() => {
  repo?.cleanup()
  if (scratch) rmSync(scratch, {recursive: true, force: true})
})

describe('every command × --json matches its schema', () => {
  it('status, config, list, show, tag, diff, get, push, doctor', async () => {
    const status = await json('status', ['status'])
    expect(status.latest).toBe('e0.1.0')
    expect(status.next).toMatchObject({command: expect.any(String)})
    await json('config', ['config', 'list'])
    const set = await json('config', ['config', 'set', 'remoteTimeout', '300'])
    expect(set.value).toBe(300)
    await json('config', ['config', 'get', 'db'])
    const list = await json('list', ['list'])
    expect(Array.isArray(list.experiments)).toBe(true)
    const first = (list.experiments as Array<{rows: unknown; metrics: Record<string, unknown>}>)[0]
    expect(typeof first?.rows).toBe('number')
    for (const v of Object.values(first?.metrics ?? {})) expect(typeof v).toBe('number')
    await json('show', ['show', 'e0.1.0'])
    writeRuns(join(repo.root, 'results', 'experiments.db'), [{version: 'e0.2.0', trackId: 'second-1', model: 'cnn', f1: 0.8}])
    await json('tag', ['tag', 'e0.2.0', '-m', 'second'])
    await json('diff', ['diff', 'e0.1.0', 'e0.2.0'])
    await json('compare', ['compare', 'e0.1.0', 'e0.2.0'])
    await json('next', ['next'])
    await json('get', ['get', 'e0.1.0', 'results/experiments.db', '-o', join(scratch, 'old.db')])
    await json('push', ['push'])
    const doctor = await xv(repo.root, ['doctor', '--json'])
    validate('doctor', doctor.stdout)
    expect(doctor.exitCode).toBe((JSON.parse(doctor.stdout) as {ok: boolean}).ok ? 0 : 1)
  })

  it('worktree new/list/remove, merge (merge, rebase, restore), explore, explore --list/--clean', async () => {
    const created = await json('worktree-new', ['worktree', 'new', 'cnn'])
    const wt = created.path as string
    writeRuns(join(wt, 'results', 'experiments.db'), [{version: 'e0.3.0', trackId: 'cnn-1', model: 'cnn', f1: 0.9}])
    await json('worktree-list', ['worktree', 'list'])
    // E4: a multi-value flag does not swallow the source that follows it.
    const merged = await json('merge', ['merge', '--table', 'metrics', 'cnn'])
    expect((merged.sources as Array<{spec: string}>).map((s) => s.spec)).toEqual(['cnn'])
    expect((merged.tables as Array<{table: string}>).map((t) => t.table)).toEqual(['metrics'])
    const rebased = await json('merge', ['merge', 'cnn', '--strategy', 'rebase', '--yes', '--table', 'metrics,predictions'])
    await json('merge-restore', ['merge', '--restore', rebased.backup as string, '--yes'])
    await json('worktree-remove', ['worktree', 'remove', 'cnn', '--force'])
    await json('explore', ['explore', 'e0.1.0'])
    await json('explore-list', ['explore', '--list'])
    await json('explore-clean', ['explore', '--clean'])
  })

  it('init and merge --data', async () => {
    const fresh = mkdtempSync(join(scratch, 'init-'))
    await json('init', ['init'], fresh)
    const instance = await DuckDBInstance.create(':memory:')
    const conn = await instance.connect()
    await conn.run(`COPY (SELECT * FROM (VALUES (1, 'a')) t(id, label)) TO '${join(scratch, 'base.parquet')}' (FORMAT parquet)`)
    await conn.run(`COPY (SELECT * FROM (VALUES (2, 'b')) t(id, label)) TO '${join(scratch, 'src.parquet')}' (FORMAT parquet)`)
    conn.closeSync()
    instance.closeSync()
    await json('merge-parquet', ['merge', '--data', 'base.parquet', 'src.parquet', '-o', 'out.parquet'], scratch)
    expect(existsSync(join(scratch, 'out.parquet'))).toBe(true)
  })

  it('model add-candidate/list/info/promote/assign/stages/unassign/prune, gc, plot, report', async () => {
    const added = await json('model-add-candidate', ['model', 'add-candidate', 'e0.1.0'])
    expect(added.dest).toBe('models/candidates/e0.1.0-model.bin')
    const models = await json('model-list', ['model', 'list'])
    expect((models.candidates as Array<{name: string}>).map((c) => c.name)).toEqual(['e0.1.0-model.bin'])
    expect((await json('model-info', ['model', 'info'])).role).toBe('production')
    expect((await json('model-info', ['model', 'info', 'e0.1.0-model.bin'])).role).toBe('candidate')
    await json('model-promote', ['model', 'promote', 'e0.1.0-model.bin', '--dry-run'])
    await json('model-assign', ['model', 'assign', 'e0.1.0', 'prod', '--no-push'])
    const stages = await json('model-stages', ['model', 'stages'])
    expect(stages.stages).toEqual([expect.objectContaining({stage: 'prod'})])
    await json('model-unassign', ['model', 'unassign', 'e0.1.0', 'prod', '--no-push'])
    await json('model-prune', ['model', 'prune', '--keep', '1', '--metric', 'f1', '--dry-run'])
    const gc = await json('gc', ['gc', '--dry-run'])
    expect(gc.dryRun).toBe(true)
    const plot = await json('plot', ['plot', 'f1'])
    expect(plot.chart).toBe('versions')
    expect(plot.versions).toContain('e0.1.0')
    const report = await json('report', ['report', '-o', join(scratch, 'report.html')])
    expect(report.versions).toBe((plot.versions as string[]).length)
    expect(typeof report.bytes).toBe('number')
  })

  it('run, runs, runs show, best, lineage, next --claim/--release (a xetrack run store)', async () => {
    const runs = makeRunsRepo()
    try {
      const ran = await json('run', ['run', '--tag', '--no-push', '-m', 'first', '--', 'python', 'train.py', '0.001', '0.8'], runs.root)
      expect(ran.exitCode).toBe(0)
      const listed = await json('runs', ['runs'], runs.root)
      expect(listed.runs).toHaveLength(1)
      await json('runs-show', ['runs', 'show', ran.runId as string], runs.root)
      const best = await json('best', ['best', 'f1'], runs.root)
      expect(best.value).toBe(0.8)
      await json('lineage', ['lineage', 'data', '--at', ran.version as string], runs.root)
      const claimed = await json('next', ['next', '--claim'], runs.root)
      await json('next-release', ['next', '--release', claimed.version as string], runs.root)
    } finally {
      runs.cleanup()
    }
  })
})

describe('the contract covers every command', () => {
  it('each command of the manifest has --json, its kinds have schemas, and each kind was validated above', () => {
    const commands = manifestCommands()
    expect(Object.keys(commands).length).toBeGreaterThanOrEqual(34)
    expect(Object.keys(commands).sort()).toEqual([...Object.keys(KINDS), ...Object.keys(NO_JSON)].sort())
    for (const id of Object.keys(KINDS)) expect(commands[id]?.enableJsonFlag, `${id} takes --json`).toBe(true)
    const kinds = readdirSync(SCHEMAS).map((f) => f.replace('.schema.json', '')).filter((k) => k !== 'error').sort()
    expect(kinds).toEqual(Object.values(KINDS).flat().sort())
    expect([...seen].sort()).toEqual(kinds)
  })
})
