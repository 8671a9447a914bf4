/**
 * Shell completion's values, in process on a real repository (git tags, a git worktree named as
 * `xv worktree new` names them, a candidates folder, xv.yaml metrics and a result database).
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {candidates, kindOf, metrics, valuesOf, versions, worktrees} from '../../src/domain/completion.js'
import {makeRepo, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'

let repo: TestRepo
beforeAll(() => {
  repo = makeRepo({dvc: false, gitRemote: false, xvYaml: 'metrics: [f1]\n'})
  for (const tag of ['e0.1.0', 'e0.2.0', 'e1.0.0', 'not-a-version', 'churn#prod#1']) repo.git('tag', tag)
  repo.git('worktree', 'add', '-q', '-b', 'exp/cnn', join(repo.base, 'exp-cnn'))
  repo.git('worktree', 'add', '-q', '--detach', join(repo.base, 'explore-e0.1.0'), 'e0.1.0')
  mkdirSync(join(repo.root, 'models', 'candidates'), {recursive: true})
  for (const name of ['e0.1.0-model.bin', '.gitignore']) writeFileSync(join(repo.root, 'models', 'candidates', name), 'x')
  writeRuns(join(repo.root, 'results', 'experiments.db'), [{version: 'e0.1.0', model: 'bert', f1: 0.7, accuracy: 0.8, loss: 0.5, trackId: 'r1'}])
})
afterAll(() => repo?.cleanup())

describe('completion values', () => {
  it('versions: experiment tags with the typed prefix, nothing else', () => {
    expect(versions(repo.root, 'e0.').sort()).toEqual(['e0.1.0', 'e0.2.0'])
    expect(versions(repo.root, '').sort()).toEqual(['e0.1.0', 'e0.2.0', 'e1.0.0'])
    expect(versions(repo.root, 'x')).toEqual([])
  })

  it('worktrees: the exp-NAME worktrees by NAME; candidates: the files in models/candidates', () => {
    expect(worktrees(repo.root)).toEqual(['cnn'])
    expect(candidates(join(repo.root, 'models'))).toEqual(['e0.1.0-model.bin'])
  })

  it('metrics: xv.yaml metrics and the result database metric columns', async () => {
    const names = await metrics(repo.root)
    expect(names[0]).toBe('f1')
    expect(names).toEqual(expect.arrayContaining(['f1', 'accuracy', 'loss']))
  })

  it('kindOf by argument or flag name; valuesOf per kind (sources: worktrees then versions)', async () => {
    expect(kindOf('show', 'version', false)).toBe('versions')
    expect(kindOf('worktree:remove', 'name', false)).toBe('worktrees')
    expect(kindOf('worktree:new', 'name', false)).toBeUndefined()
    expect(kindOf('model:promote', 'candidate', false)).toBe('candidates')
    expect(kindOf('merge', 'sources', false)).toBe('sources')
    expect(kindOf('list', 'sort', true)).toBe('metrics')
    expect(kindOf('worktree:new', 'from', true)).toBe('versions')
    expect(kindOf('list', 'limit', true)).toBeUndefined()
    expect(await valuesOf('sources', repo.root, 'e1')).toEqual(['cnn', 'e1.0.0'])
    expect(await valuesOf('candidates', repo.root, '')).toEqual(['e0.1.0-model.bin'])
    expect(await valuesOf('worktrees', repo.root, '')).toEqual(['cnn'])
    expect(await valuesOf('metrics', join(repo.base, 'nowhere'), '')).toEqual([])
  })

  it('outside a repository: nothing, no error', () => {
    expect(versions(repo.base, '')).toEqual([])
    expect(worktrees(repo.base)).toEqual([])
  })
})
