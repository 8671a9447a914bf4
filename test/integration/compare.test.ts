import {afterEach, describe, expect, it} from 'vitest'

import {makeRepo, python, xv, type TestRepo} from '../helpers/repo.js'

const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()!.cleanup()
})

function rows(repo: TestRepo, table: string, version: string, values: Record<string, number | string>): void {
  python(repo.root, `
from xetrack import Tracker
Tracker(db='results/experiments.db', table=${JSON.stringify(table)}, params={'version': ${JSON.stringify(version)}}).log(${JSON.stringify(values)})
`)
}

describe('xv compare', () => {
  it('compares three versions side by side; names each side table; code changes by name without pointers or dvc.lock', async () => {
    const repo = makeRepo({xvYaml: 'artifacts: [results/experiments.db]\n'})
    repos.push(repo)
    repo.write('train.py', 'lr = 0.1\n')
    repo.write('data/train.csv', 'x\n1\n')
    repo.dvc('add', '-q', 'data')
    repo.git('add', '-A')
    repo.git('commit', '-q', '-m', 'start')
    rows(repo, 'metrics', 'e0.1.0', {lr: 0.1, f1: 0.7})
    expect((await xv(repo.root, ['tag', 'e0.1.0', '--no-push', '-m', 'base'])).exitCode).toBe(0)
    repo.write('train.py', 'lr = 0.01\n')
    repo.write('data/train.csv', 'x\n1\n2\n')
    repo.dvc('add', '-q', 'data')
    rows(repo, 'metrics', 'e0.2.0', {lr: 0.01, f1: 0.8})
    expect((await xv(repo.root, ['tag', 'e0.2.0', '--no-push', '-m', 'lower lr'])).exitCode).toBe(0)
    repo.write('eval.py', 'print("eval")\n')
    expect((await xv(repo.root, ['tag', 'e0.3.0', '--no-push', '-m', 'promotion'])).exitCode).toBe(0)

    const res = await xv(repo.root, ['compare', 'e0.1.0', 'e0.2.0', 'e0.3.0', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    const c = JSON.parse(res.stdout)
    expect(c.versions.map((v: {version: string; table?: string; runs: number}) => [v.version, v.table, v.runs])).toEqual([
      ['e0.1.0', 'metrics', 1],
      ['e0.2.0', 'metrics', 1],
      ['e0.3.0', 'metrics', 0],
    ])
    expect(c.versions[1].metrics).toEqual({f1: 0.8})
    expect(c.versions[1].params).toEqual({lr: 0.01})
    expect(c.versions[2].metrics).toEqual({})
    expect(c.artifacts.map((a: {path: string}) => a.path)).toEqual(['data', 'results/experiments.db'])
    expect(c.code.map((x: {to: string; files: Array<{path: string}>}) => [x.to, x.files.map((f) => f.path)])).toEqual([
      ['e0.2.0', ['train.py']],
      ['e0.3.0', ['eval.py', 'train.py']],
    ])
    const md = await xv(repo.root, ['compare', 'e0.1.0', 'e0.2.0', 'e0.3.0', '--md'])
    expect(md.stdout).toMatch(/^\|  \| e0\.1\.0 \| e0\.2\.0 \| e0\.3\.0 \|/)
    expect(md.stdout).toContain('| runs | 1 | 1 | no runs |')
    expect(md.stdout).toContain('- `train.py` +1 −1')
    const bad = await xv(repo.root, ['compare', 'e0.1.0', 'e9.9.9'])
    expect(bad.stderr.trim()).toBe("xv: error: no experiment tag e9.9.9; see 'xv list'")

    // xv diff with three or more versions is xv compare: the same JSON, the same Markdown.
    const viaDiff = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', 'e0.3.0', '--json'])
    expect(viaDiff.exitCode, viaDiff.stderr).toBe(0)
    expect(JSON.parse(viaDiff.stdout)).toEqual(c)
    const mdViaDiff = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', 'e0.3.0', '--md'])
    expect(mdViaDiff.stdout).toBe(md.stdout)
    const text = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', 'e0.3.0'])
    expect(text.stdout).toBe((await xv(repo.root, ['compare', 'e0.1.0', 'e0.2.0', 'e0.3.0'])).stdout)
    const rowsOfThree = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', 'e0.3.0', '--rows'])
    expect(rowsOfThree.exitCode).toBe(2)
    expect(rowsOfThree.stderr.trim()).toBe('xv: error: --rows compares two versions; with 3, xv diff compares them side by side (like xv compare)')
    const missing = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', 'e9.9.9'])
    expect(missing.stderr.trim()).toBe("xv: error: no experiment tag e9.9.9; see 'xv list'")
    // Two versions keep xv diff's own report.
    const two = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', '--json'])
    expect(two.exitCode, two.stderr).toBe(0)
    const d = JSON.parse(two.stdout)
    expect([d.a.version, d.b.version, d.a.table, d.b.table]).toEqual(['e0.1.0', 'e0.2.0', 'metrics', 'metrics'])
    expect(d.code.changed.map((f: {path: string}) => f.path)).toEqual(['train.py'])
  })
})
