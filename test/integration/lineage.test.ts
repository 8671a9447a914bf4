import {afterEach, describe, expect, it} from 'vitest'

import {makeRepo, xv, type TestRepo} from '../helpers/repo.js'

const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()!.cleanup()
})

describe('xv lineage', () => {
  it('finds the tags that used a data version, also after it was replaced; lock outs are outputs of their stage', async () => {
    const repo = makeRepo({xvYaml: 'artifacts: [models/model.bin]\n'})
    repos.push(repo)
    repo.write('data/train.csv', 'x,y\n1,2\n')
    repo.dvc('add', '-q', 'data')
    repo.git('add', '-A')
    repo.git('commit', '-q', '-m', 'data v1')
    repo.git('tag', '-a', 'e0.1.0', '-m', 'first')
    const v1 = /md5: (\S+)/.exec(repo.git('show', 'HEAD:data.dvc'))![1]!
    repo.write('dvc.lock', 'schema: \'2.0\'\nstages:\n  train:\n    cmd: python train.py\n    outs:\n    - path: models/model.bin\n      hash: md5\n      md5: 0123456789abcdef0123456789abcdef\n      size: 3\n')
    repo.write('train.py', 'print(1)\n')
    repo.git('add', '-A')
    repo.git('commit', '-q', '-m', 'model')
    repo.git('tag', '-a', 'e0.2.0', '-m', 'second, same data')
    repo.write('data/train.csv', 'x,y\n1,2\n3,4\n')
    repo.dvc('add', '-q', 'data')
    repo.git('add', '-A')
    repo.git('commit', '-q', '-m', 'data v2')
    repo.git('tag', '-a', 'e0.3.0', '-m', 'new data')
    const v2 = /md5: (\S+)/.exec(repo.git('show', 'HEAD:data.dvc'))![1]!

    const at = JSON.parse((await xv(repo.root, ['lineage', 'data', '--at', 'e0.1.0', '--json'])).stdout)
    expect(at.hashes).toEqual([v1])
    expect(at.uses.map((u: {version: string}) => u.version)).toEqual(['e0.1.0', 'e0.2.0'])
    expect(at.uses[0]).toMatchObject({path: 'data', role: 'input', source: 'data.dvc'})
    expect(at.firstSeen).toEqual({[v1]: 'e0.1.0'})

    const history = JSON.parse((await xv(repo.root, ['lineage', 'data', '--json'])).stdout)
    expect(history.history).toEqual([
      {md5: v1, versions: ['e0.1.0', 'e0.2.0']},
      {md5: v2, versions: ['e0.3.0']},
    ])
    const byHash = JSON.parse((await xv(repo.root, ['lineage', '--hash', v2.slice(0, 8), '--json'])).stdout)
    expect(byHash.uses.map((u: {version: string}) => u.version)).toEqual(['e0.3.0'])

    const model = JSON.parse((await xv(repo.root, ['lineage', '--hash', '0123456789ab', '--json'])).stdout)
    expect(model.uses.map((u: {version: string; role: string; stage: string}) => [u.version, u.role, u.stage])).toEqual([
      ['e0.2.0', 'output', 'train'],
      ['e0.3.0', 'output', 'train'],
    ])
    expect(model.firstSeen).toEqual({'0123456789abcdef0123456789abcdef': 'e0.2.0'})

    const human = await xv(repo.root, ['lineage', 'data', '--at', 'e0.1.0'])
    expect(human.stdout).toMatch(/first appears at e0\.1\.0/)
    const bad = await xv(repo.root, ['lineage', 'nope', '--at', 'e0.1.0'])
    expect(bad.exitCode).toBe(1)
    expect(bad.stderr.trim()).toBe('xv: error: nope is not tracked by DVC at e0.1.0 (no nope.dvc, no dvc.lock out with that path)')
  })
})
