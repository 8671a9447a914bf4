import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {makeRepo, python, repoState, xv, type TestRepo} from '../helpers/repo.js'

const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()!.cleanup()
})

/** Rows written by the real xetrack Tracker: one Tracker (one track_id) per run. */
function xetrackRuns(repo: TestRepo, version: string, runs: Array<Record<string, number | string>>): void {
  python(
    repo.root,
    `
import json
from xetrack import Tracker
for values in json.loads(${JSON.stringify(JSON.stringify(runs))}):
    t = Tracker(db='results/experiments.db', table='metrics', params={'version': ${JSON.stringify(version)}})
    t.log(values)
`,
  )
}

function subject(repo: TestRepo, tag: string): string {
  return repo.git('tag', '-l', '--format=%(contents:subject)', tag).trim()
}

function projectRepo(): TestRepo {
  const repo = makeRepo({xvYaml: 'metrics: [f1]\nartifacts: [results/experiments.db, models/model.bin]\n'})
  repos.push(repo)
  repo.write('data/train.csv', 'x,y\n1,2\n')
  repo.dvc('add', '-q', 'data')
  repo.git('add', '-A')
  repo.git('commit', '-q', '-m', 'data')
  repo.write('models/model.bin', 'model v1') // produced by training: xv tag hands it to DVC
  return repo
}

describe('what a tag says', () => {
  it('a sweep: the best run with its params (bs kept, never averaged), runs=N, frozen with the same numbers', async () => {
    const repo = projectRepo()
    xetrackRuns(repo, 'e0.1.0', [
      {lr: 0.001, bs: 32, f1: 0.71},
      {lr: 0.0001, bs: 64, f1: 0.93},
      {lr: 0.01, bs: 32, f1: 0.52},
      {lr: 1e-5, bs: 16, f1: 0.88},
    ])
    const dry = await xv(repo.root, ['tag', 'e0.1.0', '--dry-run', '-m', 'eval=v2 | new test set'])
    expect(dry.exitCode, dry.stderr).toBe(0)
    const res = await xv(repo.root, ['tag', 'e0.1.0', '--no-push', '-m', 'eval=v2 | new test set'])
    expect(res.exitCode, res.stderr).toBe(0)
    const msg = subject(repo, 'e0.1.0')
    expect(msg).toMatch(/^f1=0\.9300 \| lr=0\.0001 \| bs=64 \| runs=4 \| data=[0-9a-f]{6} \| eval\\=v2 \\\| new test set$/)
    expect(dry.stdout).toContain(`message: ${msg}`) // --dry-run prints exactly the real message

    const summary = JSON.parse(repo.git('show', 'e0.1.0:results/metrics.json'))
    expect(summary).toMatchObject({version: 'e0.1.0', runs: 4, rows: 4, metrics: {f1: 0.93}, params: {lr: 0.0001, bs: 64}, best: {metric: 'f1', value: 0.93}})
    expect(summary.means.f1).toBe(0.76) // (0.71 + 0.93 + 0.52 + 0.88) / 4, rounded sanely
    expect(repo.git('show', 'e0.1.0:results/params.yaml')).toBe('lr: 0.0001\nbs: 64\n')

    const best = JSON.parse((await xv(repo.root, ['best', 'f1', '--json'])).stdout)
    expect(best).toMatchObject({version: 'e0.1.0', value: 0.93, params: {lr: 0.0001, bs: 64}, run: summary.best.run})

    const list = JSON.parse((await xv(repo.root, ['list', '--json'])).stdout)
    expect(list.experiments[0]).toMatchObject({description: 'eval=v2 | new test set', runs: 4, rows: 4, source: 'summary', metrics: {f1: 0.93}})
    expect(list.experiments[0].fields.eval).toBeUndefined()
  })

  it('no runs of its own: says so, never borrows, ranks last; data= ignores the model; list keeps its numbers without the database', async () => {
    const repo = projectRepo()
    xetrackRuns(repo, 'e0.1.0', [{model: 'logreg', f1: 0.81, lr: 1e-5}])
    expect((await xv(repo.root, ['tag', 'e0.1.0', '--no-push', '-m', 'baseline'])).exitCode).toBe(0)
    // Only the model changes: a promotion commit without rows of its own.
    repo.write('models/model.bin', 'model v2')
    const promo = await xv(repo.root, ['tag', 'e0.2.0', '--no-push', '-m', 'promote'])
    expect(promo.exitCode, promo.stderr).toBe(0)
    const m1 = subject(repo, 'e0.1.0')
    const m2 = subject(repo, 'e0.2.0')
    expect(m2).toMatch(/^no runs \| data=[0-9a-f]{6} \| promote$/)
    expect(m2).not.toMatch(/model=|f1=/)
    expect(/data=(\w+)/.exec(m2)![1]).toBe(/data=(\w+)/.exec(m1)![1])
    // New data changes data=.
    repo.write('data/train.csv', 'x,y\n1,2\n3,4\n')
    repo.dvc('add', '-q', 'data')
    xetrackRuns(repo, 'e0.3.0', [{model: 'logreg', f1: 0.6, lr: 0.001}])
    expect((await xv(repo.root, ['tag', 'e0.3.0', '--no-push'])).exitCode).toBe(0)
    expect(/data=(\w+)/.exec(subject(repo, 'e0.3.0'))![1]).not.toBe(/data=(\w+)/.exec(m1)![1])

    const sorted = JSON.parse((await xv(repo.root, ['list', '--sort', 'f1', '--json'])).stdout)
    expect(sorted.experiments.map((e: {version: string}) => e.version)).toEqual(['e0.1.0', 'e0.3.0', 'e0.2.0'])
    expect(sorted.experiments[2]).toMatchObject({runs: 0, metrics: {}})

    // Without the database, list shows the frozen numbers, data= and user fields; small numbers stay readable.
    rmSync(join(repo.root, 'results/experiments.db'))
    const human = await xv(repo.root, ['list'])
    expect(human.exitCode, human.stderr).toBe(0)
    const line = human.stdout.split('\n').find((l) => l.startsWith('e0.1.0'))!
    expect(line).toMatch(/ 1 +0\.8100 +logreg +0\.00001 +[0-9a-f]{6} +baseline/)
    expect(human.stdout).not.toContain('0.0000 ')
    expect(human.stdout.split('\n').find((l) => l.startsWith('e0.2.0'))).toMatch(/no runs/)
  })

  it('a retracted version is hidden from list and best unless --all; its data stays', async () => {
    const repo = projectRepo()
    xetrackRuns(repo, 'e0.1.0', [{f1: 0.99}])
    expect((await xv(repo.root, ['tag', 'e0.1.0', '--no-push'])).exitCode).toBe(0)
    xetrackRuns(repo, 'e0.2.0', [{f1: 0.7}])
    expect((await xv(repo.root, ['tag', 'e0.2.0', '--no-push'])).exitCode).toBe(0)
    const before = repoState(repo)
    const noReason = await xv(repo.root, ['tag', '--retract', 'e0.1.0'])
    expect(noReason.exitCode).toBe(2)
    expect(repoState(repo)).toBe(before)
    const res = await xv(repo.root, ['tag', '--retract', 'e0.1.0', '-m', 'test set leaked', '--no-push'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(repo.git('tag', '-l', 'e0.1.0').trim()).toBe('e0.1.0')
    const list = JSON.parse((await xv(repo.root, ['list', '--json'])).stdout)
    expect(list.experiments.map((e: {version: string}) => e.version)).toEqual(['e0.2.0'])
    const all = JSON.parse((await xv(repo.root, ['list', '--all', '--json'])).stdout)
    expect(all.experiments[1]).toMatchObject({version: 'e0.1.0', retracted: {reason: 'test set leaked'}})
    expect(JSON.parse((await xv(repo.root, ['best', 'f1', '--json'])).stdout).version).toBe('e0.2.0')
    expect(JSON.parse((await xv(repo.root, ['best', 'f1', '--all', '--json'])).stdout).version).toBe('e0.1.0')
  })

  it('row-per-metric tables (metric_name, value, step, epoch) are read through the pivoting reader', async () => {
    const repo = makeRepo({xvYaml: 'artifacts: []\n'})
    repos.push(repo)
    python(repo.root, `
import sqlite3, os
os.makedirs('results', exist_ok=True)
db = sqlite3.connect('results/experiments.db')
db.execute('CREATE TABLE metrics (metric_id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER, version TEXT, metric_name TEXT, value REAL, step INTEGER, epoch INTEGER, timestamp TEXT DEFAULT CURRENT_TIMESTAMP)')
rows = [(1, 'val/loss', 0.5, 0), (1, 'val/accuracy', 0.7, 0), (1, 'val/loss', 0.4, 1), (1, 'val/accuracy', 0.8, 1), (2, 'val/loss', 0.3, 0), (2, 'val/accuracy', 0.9, 0)]
db.executemany("INSERT INTO metrics (run_id, version, metric_name, value, epoch) VALUES (?, 'e0.1.0', ?, ?, ?)", rows)
db.commit()
`)
    const dry = await xv(repo.root, ['tag', 'e0.1.0', '--dry-run', '--no-push'])
    expect(dry.stdout).toContain('message: val/accuracy=0.9000 | val/loss=0.3000 | runs=2')
    const best = JSON.parse((await xv(repo.root, ['best', 'val/loss', '--json'])).stdout)
    expect(best).toMatchObject({run: '2', value: 0.3, direction: 'lower', table: 'metrics', metrics: {'val/accuracy': 0.9}})
  })
})
