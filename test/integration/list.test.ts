import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {makeRepo, xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'

const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()!.cleanup()
})

describe('xv list', () => {
  it('lists experiment tags newest first by semver; tags without a frozen summary show their message numbers, never the database', async () => {
    const repo = makeRepo({xvYaml: 'artifacts: []\n'})
    repos.push(repo)
    const db = join(repo.root, 'results/experiments.db')
    writeRuns(db, [
      {version: 'e0.2.0', f1: 0.7, loss: 0.6},
      {version: 'e0.2.0', f1: 0.8, loss: 0.4},
      {version: 'e0.10.0', f1: 0.1, loss: 0.2},
      {version: 'e0.9.0', f1: 0.99, loss: 0.9},
    ])
    repo.git('tag', '-a', 'e0.2.0', '-m', 'model=bert | f1=0.7500 | two runs')
    repo.git('tag', '-a', 'e0.10.0', '-m', 'model=t5 | f1=0.95 | best')
    repo.git('tag', '-a', 'e0.9.0', '-m', 'model=cnn | f1=0.6')
    repo.git('tag', 'not-an-experiment')
    repo.git('tag', '-a', 'v1.0.0', '-m', 'a release, not an experiment')

    const res = await xv(repo.root, ['list', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    const out = JSON.parse(res.stdout)
    expect(out.experiments.map((e: {version: string}) => e.version)).toEqual(['e0.10.0', 'e0.9.0', 'e0.2.0'])
    const e2 = out.experiments[2]
    expect(e2.fields).toEqual({model: 'bert', f1: '0.7500'})
    expect(e2.description).toBe('two runs')
    expect(e2.metrics).toEqual({f1: 0.75})
    expect(e2.source).toBe('tag')
    expect(e2.rows).toBeUndefined() // today's database is never read for an old tag
    expect(e2.commit).toBe(repo.git('rev-parse', 'HEAD').trim())
    expect(out.metricColumns).toEqual(['f1'])

    const byF1 = JSON.parse((await xv(repo.root, ['list', '--json', '--sort', 'f1'])).stdout)
    expect(byF1.experiments.map((e: {version: string}) => e.version)).toEqual(['e0.10.0', 'e0.2.0', 'e0.9.0'])

    const human = await xv(repo.root, ['list'])
    expect(human.stdout.split('\n')[0]).toMatch(/^version\s+date\s+commit\s+runs\s+f1\s+model/)
    expect(human.stdout).toContain('0.7500*')
    expect(human.stdout).toContain('* from the tag message')
    expect(human.stdout).not.toContain('v1.0.0')

    const bad = await xv(repo.root, ['list', '--sort', 'bleu'])
    expect(bad.exitCode).toBe(2) // a usage error
    expect(bad.stderr.trim()).toMatch(/^xv: error: cannot sort by 'bleu': no such metric or tag field; known: f1(, [\w.-]+)*$/)
  })

  it('says how to start when there are no tags, and prints only JSON with --json', async () => {
    const repo = makeRepo()
    repos.push(repo)
    const res = await xv(repo.root, ['list'])
    expect(res.exitCode).toBe(0)
    expect(res.stdout).toContain('no experiment tags yet')
    const json = await xv(repo.root, ['list', '--json'])
    expect(JSON.parse(json.stdout)).toEqual({schemaVersion: 1, kind: 'list', experiments: [], metricColumns: []})
  })
})

describe('xv doctor', () => {
  it('reports tools, repo, cache, remotes and the result database', async () => {
    const repo = makeRepo()
    repos.push(repo)
    writeRuns(join(repo.root, 'results/experiments.db'), [{version: 'e0.1.0'}])
    const res = await xv(repo.root, ['doctor', '--json'])
    expect(res.exitCode, res.stdout).toBe(0)
    const {checks, ok} = JSON.parse(res.stdout)
    expect(ok).toBe(true)
    const byName = Object.fromEntries(checks.map((c: {name: string}) => [c.name, c]))
    expect(byName.dvc.detail).toMatch(/^3\.\d+\.\d+/)
    expect(byName['dvc remote'].detail).toContain('reachable')
    expect(byName['git remote'].status).toBe('ok')
    expect(byName['result db'].detail).toContain("table 'metrics'")
  })

  it('names every problem with the command that fixes it', async () => {
    const repo = makeRepo({dvc: false, gitRemote: false})
    repos.push(repo)
    const res = await xv(repo.root, ['doctor'], {XV_DVC: '/nonexistent/dvc'})
    expect(res.exitCode).toBe(1)
    expect(res.stdout).toMatch(/✗ dvc\s+not found\n\s+fix: install it with/)
    expect(res.stdout).toMatch(/✗ dvc repo\s+DVC is not initialised here\n\s+fix: xv init/)
    expect(res.stdout).toMatch(/! git remote\s+none: tags stay local\n\s+fix: git remote add origin URL/)
  })
})
