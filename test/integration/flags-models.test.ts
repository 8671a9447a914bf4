/**
 * The model-registry flags no other test file exercises (test/unit/flag-coverage.test.ts lists
 * them): add-candidate --path/--run/--dry-run/--json, list --min, prune --min, promote
 * --min/--path/--version/--no-push, assign and unassign --dry-run/--no-push/--json. Real models
 * (xetrack rows, DVC-tracked files) in three tagged versions; a bare git origin to push to.
 */
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {registry, train, xvJson, xvOk} from '../helpers/model-repo.js'
import {makeRepo, type TestRepo} from '../helpers/repo.js'

let repo: TestRepo
const candidates = () => (existsSync(join(repo.root, 'models', 'candidates')) ? readdirSync(join(repo.root, 'models', 'candidates')).filter((f) => f.endsWith('.bin')).sort() : [])
const localTags = (pattern: string) => repo.git('tag', '-l', pattern).split('\n').filter(Boolean).sort()
const originTags = (pattern: string) => repo.git('ls-remote', '--tags', 'origin', `refs/tags/${pattern}`).trim()

beforeAll(async () => {
  repo = makeRepo({xvYaml: 'metrics: [f1]\nmodel:\n  name: churn\n'})
  for (const [version, f1] of [['e0.1.0', 0.6], ['e0.2.0', 0.8], ['e0.3.0', 0.7]] as const) {
    train(repo.root, version, f1)
    await xvOk(repo.root, ['tag', version, '-m', `f1 ${f1}`])
  }
}, 300_000)
afterAll(() => repo?.cleanup())

describe('model add-candidate', () => {
  it('--dry-run changes nothing; --path and --run record where the model came from', async () => {
    const head = repo.git('rev-parse', 'HEAD')
    const dry = await xvJson<Record<string, unknown>>(repo.root, ['model', 'add-candidate', 'e0.1.0', '--dry-run'])
    expect(JSON.stringify(dry)).toContain('e0.1.0-model.bin')
    expect(candidates()).toEqual([])
    expect(repo.git('rev-parse', 'HEAD')).toBe(head)
    await xvJson(repo.root, ['model', 'add-candidate', 'e0.1.0', '--path', 'models/production/model.bin'])
    expect(candidates()).toEqual(['e0.1.0-model.bin'])
    expect(registry(repo).candidates['e0.1.0-model.bin']).toMatchObject({version: 'e0.1.0'})
    // --run names the candidate after the run it belongs to (the per-run candidates' naming).
    const byRun = await xvJson<Record<string, unknown>>(repo.root, ['model', 'add-candidate', 'e0.2.0', '--run', 'run-two', '--dry-run'])
    expect(JSON.stringify(byRun)).toContain('run-two_model.bin')
    expect(candidates()).toEqual(['e0.1.0-model.bin'])
    for (const v of ['e0.2.0', 'e0.3.0']) await xvOk(repo.root, ['model', 'add-candidate', v])
    expect(candidates()).toEqual(['e0.1.0-model.bin', 'e0.2.0-model.bin', 'e0.3.0-model.bin'])
  })
})

describe('--min: lower is better', () => {
  it('model list --sort f1 --min puts the lowest first; prune --min keeps the lowest', async () => {
    type Listing = {candidates: Array<{name: string}>}
    const high = await xvJson<Listing>(repo.root, ['model', 'list', '--sort', 'f1'])
    expect(high.candidates.map((c) => c.name)).toEqual(['e0.2.0-model.bin', 'e0.3.0-model.bin', 'e0.1.0-model.bin'])
    const low = await xvJson<Listing>(repo.root, ['model', 'list', '--sort', 'f1', '--min'])
    expect(low.candidates.map((c) => c.name)).toEqual(['e0.1.0-model.bin', 'e0.3.0-model.bin', 'e0.2.0-model.bin'])
    const prune = await xvJson<{keep: Array<{name: string}>}>(repo.root, ['model', 'prune', '--keep', '1', '--metric', 'f1', '--min', '--dry-run'])
    expect(prune.keep.map((k) => k.name)).toEqual(['e0.1.0-model.bin'])
    expect(candidates()).toHaveLength(3)
  })

  it('model promote --best f1 --min picks the lowest (dry run: nothing changes)', async () => {
    const head = repo.git('rev-parse', 'HEAD')
    const dry = await xvJson<Record<string, unknown>>(repo.root, ['model', 'promote', '--best', 'f1', '--min', '--dry-run'])
    expect(JSON.stringify(dry)).toContain('e0.1.0')
    expect(JSON.stringify(dry)).not.toContain('e0.2.0')
    expect(repo.git('rev-parse', 'HEAD')).toBe(head)
  })
})

describe('model promote VERSION --path --tag --version --no-push', () => {
  it('writes the tag it is given and keeps it local (production holds e0.3.0 now: e0.1.0 replaces it)', async () => {
    await xvJson(repo.root, ['model', 'promote', 'e0.1.0', '--path', 'models/production/model.bin', '--tag', '--version', 'e5.0.0', '-m', 'ship e0.1.0', '--no-push'])
    expect(localTags('e5.0.0')).toEqual(['e5.0.0'])
    expect(originTags('e5.0.0')).toBe('')
    expect(registry(repo).production).toMatchObject({tag: 'e5.0.0'})
  })
})

describe('model assign / unassign', () => {
  it('--dry-run writes no tag; --no-push writes them locally only', async () => {
    const dry = await xvJson<Record<string, unknown>>(repo.root, ['model', 'assign', 'e0.2.0', 'prod', '--dry-run'])
    expect(JSON.stringify(dry)).toContain('churn#prod')
    expect(localTags('churn*')).toEqual([])
    await xvJson(repo.root, ['model', 'assign', 'e0.2.0', 'prod', '--no-push'])
    const assigned = localTags('churn*')
    expect(assigned.some((t) => t.startsWith('churn#prod#'))).toBe(true)
    expect(originTags('churn*')).toBe('')

    const undry = await xvJson<Record<string, unknown>>(repo.root, ['model', 'unassign', 'e0.2.0', 'prod', '--dry-run'])
    expect(JSON.stringify(undry)).toContain('churn#prod!#')
    expect(localTags('churn*')).toEqual(assigned)
    await xvJson(repo.root, ['model', 'unassign', 'e0.2.0', 'prod', '--no-push'])
    expect(localTags('churn#prod!#*')).toHaveLength(1)
    expect(originTags('churn*')).toBe('')
  })
})
