import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {repoState, xv} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'
import {timeTravelRepo, type TimeTravelRepo} from '../helpers/time-travel.js'

let repo: TimeTravelRepo
beforeAll(() => {
  repo = timeTravelRepo()
})
afterAll(() => repo.cleanup())

function oneLineError(res: {stderr: string; exitCode: number}): string {
  expect(res.exitCode).not.toBe(0)
  expect(res.stderr.trim().split('\n'), res.stderr).toHaveLength(1)
  return res.stderr
}

describe('xv diff', () => {
  it('compares metrics from each tag\'s own database (git-tracked vs DVC-tracked), fields, artifacts and code', async () => {
    const res = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    const r = JSON.parse(res.stdout)
    expect(r.a).toMatchObject({version: 'e0.1.0', rows: 2, db: {source: 'git'}})
    expect(r.b).toMatchObject({version: 'e0.2.0', rows: 1, db: {source: 'dvc'}})
    const f1 = r.values.find((v: {name: string}) => v.name === 'f1')
    expect(f1.a).toBeCloseTo(0.75)
    expect(f1.b).toBeCloseTo(0.85)
    expect(f1.delta).toBeCloseTo(0.1)
    expect(f1.pct).toBeCloseTo(13.333, 2)
    expect(f1.better).toBe(true)
    const loss = r.values.find((v: {name: string}) => v.name === 'loss')
    expect(loss).toMatchObject({direction: 'lower', better: true})
    expect(r.values.find((v: {name: string}) => v.name === 'model')).toMatchObject({kind: 'param', a: 'bert', b: 'roberta'})
    expect(r.fields).toEqual([
      {key: 'model', a: 'bert', b: 'roberta'},
      {key: 'f1', a: '0.75', b: '0.85'},
    ])
    const changes = Object.fromEntries(r.artifacts.map((a: {path: string; change: string}) => [a.path, a.change]))
    expect(changes).toEqual({'data/imgs': 'modified', 'models/model.bin': 'modified', 'results/experiments.db': 'added'})
    const model = r.artifacts.find((a: {path: string}) => a.path === 'models/model.bin')
    expect(model.sizeDelta).toBe(repo.model2.length - repo.model1.length)
    // Code by name, without DVC pointers and dvc.lock (they show as artifacts): E17.
    expect(r.code.files).toBe(r.code.changed.length)
    expect(r.code.changed.map((f: {path: string}) => f.path).filter((p: string) => p.endsWith('.dvc') || p.endsWith('dvc.lock'))).toEqual([])
    expect(r.a.table).toBeDefined()
    expect(r.rows).toBeUndefined()
  })

  it('text and Markdown output', async () => {
    const text = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', '--precision', '2'])
    expect(text.exitCode, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/f1\s+0\.75\s+0\.85\s+\+0\.10 ▲\s+\+13\.3%/)
    const md = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', '--md'])
    expect(md.stdout).toContain('| f1 | 0.7500 | 0.8500 | +0.1000 ▲ | +13.3% |')
    expect(md.stdout).toContain('| models/model.bin | modified |')
  })

  it('--rows: whole rows by default (no primary key), changed rows by --key', async () => {
    const whole = JSON.parse((await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', '--rows', '--table', 'predictions', '--json'])).stdout)
    expect(whole.rows).toMatchObject({table: 'predictions', keySource: 'whole rows', rowsA: 6, rowsB: 10, added: 4, removed: 0})
    expect(whole.rows.examples.added[0].values.track_id).toBe('r3')

    const keyed = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', '--key', 'track_id', '--json'])
    expect(keyed.exitCode, keyed.stderr).toBe(0)
    const k = JSON.parse(keyed.stdout).rows
    expect(k).toMatchObject({table: 'metrics', key: ['track_id'], added: 1, removed: 0, changed: 0})
  })

  it('either side may be the working copy', async () => {
    writeRuns(join(repo.root, 'results/experiments.db'), [{version: 'e0.3.0', model: 'roberta', f1: 0.9, trackId: 'r4'}])
    const res = await xv(repo.root, ['diff', 'e0.2.0', 'workspace', '--json', '--key', 'track_id'])
    expect(res.exitCode, res.stderr).toBe(0)
    const r = JSON.parse(res.stdout)
    expect(r.b).toMatchObject({version: 'workspace', versionValue: 'e0.3.0', db: {source: 'workspace'}})
    expect(r.values.find((v: {name: string}) => v.name === 'f1').b).toBeCloseTo(0.9)
    expect(r.rows).toMatchObject({added: 1, removed: 0})
    const reverse = JSON.parse((await xv(repo.root, ['diff', 'workspace', 'e0.2.0', '--json'])).stdout)
    expect(reverse.a.version).toBe('workspace')
    expect(reverse.artifacts.find((a: {path: string}) => a.path === 'results/experiments.db').change).toBe('modified')
  })

  it('bad input: unknown version, --key and --table that do not exist (one line, nothing changed)', async () => {
    const before = repoState(repo)
    expect(oneLineError(await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.1']))).toContain('nearest tags: e0.2.0')
    expect(oneLineError(await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', '--rows', '--key', 'nope']))).toContain("key column 'nope' not found")
    expect(oneLineError(await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', '--table', 'nope']))).toContain("table 'nope' not found")
    expect(repoState(repo)).toBe(before)
  })
})
