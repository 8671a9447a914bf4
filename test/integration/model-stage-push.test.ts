/**
 * Stages beyond `xv model`: `xv list` shows the stage(s) each version holds (a column and a
 * `stages` field in --json, read from the same one for-each-ref), and `xv push` carries the GTO
 * registration/stage tags with the experiment tags — checked with the real `gto show` in a fresh
 * `git clone` of a bare remote.
 */
import {execFileSync} from 'node:child_process'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeRepo, PROJECT_ROOT, type TestRepo} from '../helpers/repo.js'
import {train, xvJson, xvOk} from '../helpers/model-repo.js'

const GTO = join(PROJECT_ROOT, '.venv', 'bin', 'gto')
let repo: TestRepo

interface ListJson {
  experiments: Array<{version: string; stages: string[]}>
}

interface PushJson {
  versions: string[]
  gitPushed: string[]
  stageTags: string[]
}

const remoteTags = () =>
  execFileSync('git', ['ls-remote', '--tags', '--refs', repo.gitRemote], {encoding: 'utf8'})
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\trefs/tags/')[1])
    .sort()

function gtoShowIn(cwd: string): Record<string, {stage: Record<string, string | null>}> {
  return JSON.parse(execFileSync(GTO, ['show', '--json'], {cwd, encoding: 'utf8'})) as Record<string, {stage: Record<string, string | null>}>
}

beforeAll(async () => {
  repo = makeRepo({xvYaml: 'metrics: [f1]\nmodel:\n  name: churn\n'})
  for (const [v, f1] of [['e0.1.0', 0.7], ['e0.2.0', 0.8], ['e0.3.0', 0.75]] as const) {
    train(repo.root, v, f1) // real xetrack rows
    await xvOk(repo.root, ['tag', v, '-m', `run ${v}`, '--no-push'])
  }
}, 120_000)

afterAll(() => repo?.cleanup())

describe('stages in xv list and xv push', () => {
  it('xv list shows the stages each version holds (column and --json field)', async () => {
    const none = await xvJson<ListJson>(repo.root, ['list'])
    expect(none.experiments.map((e) => e.stages)).toEqual([[], [], []])
    expect(await xvOk(repo.root, ['list'])).not.toContain('stages')

    await xvOk(repo.root, ['model', 'assign', 'e0.2.0', 'prod', '--no-push'])
    await xvOk(repo.root, ['model', 'assign', 'e0.1.0', 'staging', '--no-push'])
    await xvOk(repo.root, ['model', 'assign', 'e0.3.0', 'staging', '--no-push']) // moves staging on
    const list = await xvJson<ListJson>(repo.root, ['list'])
    expect(Object.fromEntries(list.experiments.map((e) => [e.version, e.stages]))).toEqual({'e0.3.0': ['staging'], 'e0.2.0': ['prod'], 'e0.1.0': []})
    const text = await xvOk(repo.root, ['list'])
    expect(text.split('\n')[0]).toMatch(/commit\s+stages/)
    expect(text.split('\n').find((l) => l.startsWith('e0.2.0'))).toMatch(/\sprod\s/)
    expect(await xvOk(repo.root, ['list', '--where', 'stages~prod', '--csv', '--columns', 'version,stages'])).toBe('version,stages\ne0.2.0,prod')
    // Nothing is pushed yet: every tag was made with --no-push.
    expect(remoteTags()).toEqual([])
  })

  it('xv push VERSION pushes that version with its registration and stage tags only', async () => {
    const report = await xvJson<PushJson>(repo.root, ['push', 'e0.2.0'])
    expect(report.gitPushed).toEqual(['e0.2.0'])
    expect(report.stageTags).toEqual(['churn@v0.2.0', 'churn#prod#1'])
    expect(remoteTags()).toEqual(['churn#prod#1', 'churn@v0.2.0', 'e0.2.0'])
  })

  it('xv push pushes the remaining versions and stage tags; gto in a fresh clone sees the stages', async () => {
    const report = await xvJson<PushJson>(repo.root, ['push'])
    expect(report.versions.sort()).toEqual(['e0.1.0', 'e0.3.0'])
    expect(report.stageTags.sort()).toEqual(['churn#staging#2', 'churn#staging#3', 'churn@v0.1.0', 'churn@v0.3.0'])
    const local = repo.git('tag', '-l').split('\n').filter(Boolean).sort()
    expect(remoteTags()).toEqual(local)

    // An assignment made later with --no-push is all a second `xv push` has to publish.
    await xvOk(repo.root, ['model', 'unassign', 'e0.2.0', 'prod', '--no-push'])
    const again = await xvJson<PushJson>(repo.root, ['push'])
    expect(again.versions).toEqual([])
    expect(again.stageTags).toEqual(['churn#prod!#4'])
    expect(await xvOk(repo.root, ['push'])).toContain('nothing to push')

    const clone = join(repo.base, 'clone')
    execFileSync('git', ['clone', '-q', repo.gitRemote, clone])
    const stage = gtoShowIn(clone).churn?.stage
    expect(stage?.staging).toBe('v0.3.0')
    expect(stage?.prod ?? null).toBeNull()
    expect(gtoShowIn(clone)).toEqual(gtoShowIn(repo.root))
    const list = await xvJson<ListJson>(clone, ['list'])
    expect(list.experiments.find((e) => e.version === 'e0.3.0')?.stages).toEqual(['staging'])
  })
})
