/**
 * Use case 6 end to end: three worktrees train and tag (real xetrack rows), main picks ensemble
 * candidates from their versions, promotes the best, versions the promotion, and assigns stages
 * that the real GTO reads. Then bad input: one line, nothing changed.
 */
import {execFileSync} from 'node:child_process'
import {appendFileSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeRepo, PROJECT_ROOT, repoState, xv, type TestRepo} from '../helpers/repo.js'
import {expectOneLineError, md5, pointerMd5, registry, train, xvJson, xvOk} from '../helpers/model-repo.js'

const GTO = join(PROJECT_ROOT, '.venv', 'bin', 'gto')
let repo: TestRepo
const f1Of: Record<string, number> = {'e0.2.0': 0.71, 'e0.3.0': 0.83, 'e0.4.0': 0.77}
const md5Of: Record<string, string> = {}

interface Listing {
  model: string
  production?: {version?: string; md5?: string; stages: string[]}
  candidates: Array<{name: string; version?: string; md5?: string; metrics: Record<string, number>; from: string; stages: string[]}>
}

beforeAll(async () => {
  repo = makeRepo({xvYaml: 'metrics: [f1]\nmodel:\n  name: churn\n'})
  train(repo.root, 'e0.1.0', 0.6)
  await xvOk(repo.root, ['tag', 'e0.1.0', '-m', 'baseline'])
  // Three experiments in three worktrees, each trained and tagged there.
  for (const [name, version] of [['a', 'e0.2.0'], ['b', 'e0.3.0'], ['c', 'e0.4.0']] as const) {
    await xvOk(repo.root, ['worktree', 'new', name])
    const wt = join(repo.base, `exp-${name}`)
    md5Of[version] = train(wt, version, f1Of[version]!)
    await xvOk(wt, ['tag', version, '-m', `experiment ${name}`])
  }
}, 300_000)

afterAll(() => repo?.cleanup())

describe('use case 6: ensemble candidates from three worktrees', () => {
  it('adds each version\'s model as a verified candidate with its origin, metrics from the tags', async () => {
    for (const v of ['e0.2.0', 'e0.3.0', 'e0.4.0']) await xvOk(repo.root, ['model', 'add-candidate', v])
    const names = readdirSync(join(repo.root, 'models', 'candidates')).sort()
    expect(names).toEqual(['e0.2.0-model.bin', 'e0.3.0-model.bin', 'e0.4.0-model.bin'])
    for (const v of ['e0.2.0', 'e0.3.0', 'e0.4.0']) {
      expect(md5(join(repo.root, 'models', 'candidates', `${v}-model.bin`))).toBe(md5Of[v])
      expect(pointerMd5(repo.git('show', `${v}:models/production/model.bin.dvc`))).toBe(md5Of[v])
    }

    const rec = registry(repo)
    expect(rec.candidates['e0.3.0-model.bin']).toMatchObject({version: 'e0.3.0', source: 'models/production/model.bin', md5: md5Of['e0.3.0']})
    // Committed (pointer + record), nothing left over; the user's tree was never checked out.
    expect(repo.git('status', '--porcelain')).toBe('')
    expect(repo.git('log', '-1', '--format=%s')).toContain('model: add candidate e0.4.0-model.bin')
    expect(repo.git('rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main')

    const list = await xvJson<Listing>(repo.root, ['model', 'list', '--sort', 'f1'])
    expect(list.model).toBe('churn')
    expect(list.candidates.map((c) => c.version)).toEqual(['e0.3.0', 'e0.4.0', 'e0.2.0'])
    for (const c of list.candidates) expect(c.metrics.f1).toBeCloseTo(f1Of[c.version!]!, 4)
    expect(list.production?.version).toBe('e0.1.0')
  })

  it('promotes the best candidate and versions the promotion with no borrowed metrics', async () => {
    const old = pointerMd5(readFileSync(join(repo.root, 'models/production/model.bin.dvc'), 'utf8'))
    const dry = await xv(repo.root, ['model', 'promote', '--best', 'f1', '--tag', '--dry-run'])
    expect(dry.exitCode, dry.stderr).toBe(0)
    expect(dry.stdout).toContain('e0.3.0-model.bin')
    expect(pointerMd5(readFileSync(join(repo.root, 'models/production/model.bin.dvc'), 'utf8'))).toBe(old)

    const change = await xvJson<{tag: string; tagMessage: string; origin: {version: string}}>(repo.root, ['model', 'promote', '--best', 'f1', '--tag', '-m', 'ensemble pick'])
    expect(change.origin.version).toBe('e0.3.0')
    expect(md5(join(repo.root, 'models/production/model.bin'))).toBe(md5Of['e0.3.0'])
    expect(registry(repo).production).toMatchObject({origin: {version: 'e0.3.0', candidate: 'e0.3.0-model.bin'}, tag: change.tag})
    const message = repo.git('tag', '-l', '--format=%(contents:subject)', change.tag).trim()
    expect(message).toContain('promoted=e0.3.0')
    expect(message).toContain('no runs')
    expect(message).toContain('ensemble pick')
    expect(message).not.toMatch(/f1=|loss=/)
    // The tag is on the promotion commit and published like experiment tags.
    expect(repo.git('rev-list', '-n1', change.tag).trim()).toBe(repo.git('rev-parse', 'HEAD').trim())
    expect(repo.git('ls-remote', '--tags', 'origin')).toContain(`refs/tags/${change.tag}`)
    // The replaced model is still in the cache and restorable from its tag.
    expect(readFileSync(join(repo.root, '.dvc/cache/files/md5', old.slice(0, 2), old.slice(2))).length).toBeGreaterThan(0)
  })

  it('assigns stages as GTO tags that the real gto reads, and unassigns them', async () => {
    const out = await xvOk(repo.root, ['model', 'assign', 'e0.3.0', 'prod'])
    expect(out).toContain('churn#prod#1')
    expect(repo.git('tag', '-l', 'churn*').split('\n').filter(Boolean).sort()).toEqual(['churn#prod#1', 'churn@v0.3.0'])
    expect(repo.git('rev-list', '-n1', 'churn#prod#1').trim()).toBe(repo.git('rev-list', '-n1', 'e0.3.0').trim())
    expect(repo.git('ls-remote', '--tags', 'origin')).toContain('refs/tags/churn#prod#1')
    await xvOk(repo.root, ['model', 'assign', 'e0.4.0', 'staging'])

    const gto = JSON.parse(execFileSync(GTO, ['show', '--json'], {cwd: repo.root, encoding: 'utf8'})) as Record<string, {stage: Record<string, string>}>
    expect(gto.churn?.stage).toEqual({prod: 'v0.3.0', staging: 'v0.4.0'})
    const stages = await xvJson<{stages: Array<{stage: string; experiment: string}>}>(repo.root, ['model', 'stages'])
    expect(stages.stages.map((s) => [s.stage, s.experiment])).toEqual([['prod', 'e0.3.0'], ['staging', 'e0.4.0']])
    const list = await xvJson<Listing>(repo.root, ['model', 'list'])
    expect(list.candidates.find((c) => c.version === 'e0.3.0')?.stages).toEqual(['prod'])

    // Moving prod to e0.4.0, then taking it away: GTO agrees at each step.
    await xvOk(repo.root, ['model', 'assign', 'e0.4.0', 'prod'])
    const moved = JSON.parse(execFileSync(GTO, ['show', '--json'], {cwd: repo.root, encoding: 'utf8'})) as Record<string, {stage: Record<string, string>}>
    expect(moved.churn?.stage.prod).toBe('v0.4.0')
    expect(await xvOk(repo.root, ['model', 'unassign', 'e0.4.0', 'staging'])).toContain('churn#staging!#')
    const after = JSON.parse(execFileSync(GTO, ['show', '--json'], {cwd: repo.root, encoding: 'utf8'})) as Record<string, {stage: Record<string, string>}>
    expect(after.churn?.stage.staging ?? null).toBeNull()
    expect(after.churn?.stage.prod).toBe('v0.4.0')
  })

  it('model info names origin, metrics and when it was promoted', async () => {
    const info = await xvJson<{version: string; metrics: Record<string, number>; promotedBy: string; stages: string[]}>(repo.root, ['model', 'info'])
    expect(info.version).toBe('e0.3.0')
    expect(info.metrics.f1).toBeCloseTo(0.83, 4)
    expect(info.promotedBy).toBe('xv test')
  })
})

describe('bad input: one line, nothing changed', () => {
  const cases: Array<[string[], string | RegExp, number?]> = [
    [['model', 'add-candidate', 'e9.9.9'], "unknown version 'e9.9.9'"],
    [['model', 'promote', 'nosuch.bin'], "'nosuch.bin' is neither a candidate nor a version"],
    [['model', 'promote', '--best', 'accuracy'], "no model has a numeric metric 'accuracy'", 2],
    [['model', 'info', 'nosuch'], "unknown candidate 'nosuch'"],
    [['model', 'info', '../registry.json'], 'without path separators', 2],
    [['model', 'add-candidate', 'e0.2.0', '--name', 'sub/x.bin'], 'without path separators', 2],
    [['model', 'unassign', 'e0.2.0', 'qa'], "unknown stage 'qa'"],
    [['model', 'unassign', 'e0.2.0', 'prod'], "e0.2.0 is not in stage 'prod'"],
    [['model', 'assign', 'e0.2.0', 'a/b'], "stage 'a/b' is not valid", 2],
    [['model', 'assign', 'e9.9.9', 'prod'], "unknown version 'e9.9.9'"],
    [['model', 'assign', 'e0.4.0', 'prod'], 'already in stage', 2],
    [['model', 'prune', '--keep', '0'], '--keep must be a whole number of at least 1', 2],
    [['model', 'prune', '--keep', '1', '--metric', 'nosuch'], "no model has a numeric metric 'nosuch'", 2],
    [['model', 'add-candidate', 'e0.2.0'], "candidate 'e0.2.0-model.bin' already exists", 2],
  ]
  it('unknown version/candidate/stage, bad names, K < 1, a metric no model has', async () => {
    const before = repoState(repo)
    // Read-only failures: run side by side.
    const results = await Promise.all(cases.map(([args]) => xv(repo.root, args)))
    results.forEach((res, i) => {
      const [args, text, code] = cases[i]!
      expect(res.stderr, args.join(' ')).toBeTruthy()
      expectOneLineError(res, text, code)
    })
    expect(repoState(repo)).toBe(before)
  })

  it('refuses to change a dirty models/ folder', async () => {
    appendFileSync(join(repo.root, 'models/candidates/e0.2.0-model.bin'), 'local edit')
    const before = repoState(repo)
    const sum = md5(join(repo.root, 'models/candidates/e0.2.0-model.bin'))
    for (const args of [['model', 'promote', 'e0.4.0'], ['model', 'prune', '--keep', '1', '--metric', 'f1'], ['model', 'add-candidate', 'e0.1.0']])
      expectOneLineError(await xv(repo.root, args), 'models/ has uncommitted changes', 2)
    expect(repoState(repo)).toBe(before)
    expect(md5(join(repo.root, 'models/candidates/e0.2.0-model.bin'))).toBe(sum)
  })
})
