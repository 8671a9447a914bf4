/**
 * `xv next` and `xv run --version` with the tag prefix of xv.yaml (issue 10): the next free
 * version skips tags and claims; an explicit version is taken as given, and one without the
 * prefix is one line that names the right spelling. Real git, no DVC.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeRepo, repoState, xv, type TestRepo} from '../helpers/repo.js'

let repo: TestRepo
beforeAll(() => {
  repo = makeRepo({dvc: false, gitRemote: false, xvYaml: 'prefix: exp\nartifacts: []\n'})
  repo.git('tag', '-a', 'exp0.1.0', '-m', 'first')
})
afterAll(() => repo.cleanup())

const next = async (...args: string[]) => (await xv(repo.root, ['next', ...args])).stdout.trim()

describe('xv next with the prefix of xv.yaml', () => {
  it('skips tags and claims; xv run --version takes the given version', async () => {
    expect(await next()).toBe('exp0.2.0')
    const claimed = JSON.parse((await xv(repo.root, ['next', '--claim', '--json'])).stdout) as {version: string; claimed: boolean}
    expect(claimed).toMatchObject({version: 'exp0.2.0', claimed: true})
    expect(await next()).toBe('exp0.3.0')

    const run = await xv(repo.root, ['run', '--version', 'exp1.0.0', '--json', '--', 'true'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({version: 'exp1.0.0', status: 'completed'})
    expect(await next('--bump', 'major')).toBe('exp2.0.0')
    expect(await next('--bump', 'patch')).toBe('exp1.0.1') // exp1.0.0 is claimed by that run

    const before = repoState(repo)
    const bad = await xv(repo.root, ['run', '--version', '2.0.0', '--', 'true'])
    expect(bad.exitCode).not.toBe(0)
    expect(bad.stderr.trim()).toBe('xv: error: not a version: "2.0.0" lacks the prefix \'exp\'; did you mean exp2.0.0?')
    expect(repoState(repo)).toBe(before)
  })
})
