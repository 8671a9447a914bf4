import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeRepo, repoState, xv, type TestRepo} from '../helpers/repo.js'

let repo: TestRepo
const versions = (stdout: string) => JSON.parse(stdout).experiments.map((e: {version: string}) => e.version)

beforeAll(() => {
  repo = makeRepo({dvc: false, gitRemote: false, xvYaml: 'artifacts: []\n'})
  repo.git('tag', '-a', 'e0.1.0', '-m', 'model=cnn | lr=1e-05 | f1=0.7 | loss=0.6 | accuracy=0.8 | baseline, first')
  repo.git('tag', '-a', 'e0.2.0', '-m', 'model=cnn | lr=0.001 | f1=0.85 | loss=0.4 | accuracy=0.8 | wider')
  repo.git('tag', '-a', 'e0.3.0', '-m', 'model=bert | lr=0.001 | f1=0.9 | loss=0.5 | accuracy=0.8 | "quoted" text')
  repo.git('tag', '-a', 'e0.4.0', '-m', 'model=cnn | lr=0.01 | f1=0.82 | loss=0.3 | accuracy=0.8 | deeper')
})
afterAll(() => repo.cleanup())

describe('xv list: listing controls', () => {
  it('filters with --where (numbers compare as numbers, all conditions must hold)', async () => {
    expect(versions((await xv(repo.root, ['list', '--json', '--where', 'f1>0.8', '--where', 'model=cnn'])).stdout)).toEqual(['e0.4.0', 'e0.2.0'])
    expect(versions((await xv(repo.root, ['list', '--json', '--where', 'lr<=0.001'])).stdout)).toEqual(['e0.3.0', 'e0.2.0', 'e0.1.0'])
    expect(versions((await xv(repo.root, ['list', '--json', '--where', 'model!=cnn'])).stdout)).toEqual(['e0.3.0'])
    expect(versions((await xv(repo.root, ['list', '--json', '--where', 'description~WIDER'])).stdout)).toEqual(['e0.2.0'])
    const none = await xv(repo.root, ['list', '--where', 'f1>0.99'])
    expect(none.exitCode).toBe(0)
    expect(none.stdout.trim()).toBe('no experiment matches')
  })

  it('sorts by any column, best first by direction, or --asc/--desc', async () => {
    expect(versions((await xv(repo.root, ['list', '--json', '--sort', 'f1'])).stdout)).toEqual(['e0.3.0', 'e0.2.0', 'e0.4.0', 'e0.1.0'])
    expect(versions((await xv(repo.root, ['list', '--json', '--sort', 'loss'])).stdout)).toEqual(['e0.4.0', 'e0.2.0', 'e0.3.0', 'e0.1.0'])
    expect(versions((await xv(repo.root, ['list', '--json', '--sort', 'loss', '--desc', '--limit', '2'])).stdout)).toEqual(['e0.1.0', 'e0.3.0'])
    expect(versions((await xv(repo.root, ['list', '--json', '--asc'])).stdout)).toEqual(['e0.1.0', 'e0.2.0', 'e0.3.0', 'e0.4.0'])
  })

  it('chooses columns and prints Markdown or CSV', async () => {
    const md = await xv(repo.root, ['list', '--columns', 'f1,model', '--where', 'model=cnn', '--sort', 'f1', '--md'])
    expect(md.stdout.trim().split('\n')).toEqual(['| version | f1 | model |', '|---|---|---|', '| e0.2.0 | 0.8500 | cnn |', '| e0.4.0 | 0.8200 | cnn |', '| e0.1.0 | 0.7000 | cnn |'])
    const csv = await xv(repo.root, ['list', '--csv', '--columns', 'version,lr,f1,description', '--sort', 'version', '--asc'])
    expect(csv.stdout.trim().split('\n')).toEqual(['version,lr,f1,description', 'e0.1.0,1e-05,0.7,"baseline, first"', 'e0.2.0,0.001,0.85,wider', 'e0.3.0,0.001,0.9,"""quoted"" text"', 'e0.4.0,0.01,0.82,deeper'])
    const dropped = await xv(repo.root, ['list', '--drop', 'date,commit,acc*,description'])
    expect(dropped.stdout.split('\n')[0]).toMatch(/^version\s+f1\s+loss\s+model\s+lr$/)
  })

  it('bad input: one line, non-zero exit, nothing changed', async () => {
    const before = repoState(repo)
    const cases: Array<[string[], RegExp]> = [
      [['list', '--where', 'f1>>0.8'], /^xv: error: cannot read --where 'f1>>0.8': write COLUMN OP VALUE/],
      [['list', '--where', 'bleu>1'], /^xv: error: cannot filter on 'bleu': no such column; metrics: accuracy, f1, loss, model, lr; also: version/],
      [['list', '--sort', 'bleu'], /^xv: error: cannot sort by 'bleu': no such metric or tag field; known: .*\bf1\b/],
      [['list', '--columns', 'f1,nope'], /^xv: error: cannot show column 'nope': no such column/],
      [['list', '--md', '--csv'], /^xv: error: --md and --csv cannot be used together; choose one$/],
      [['list', '--asc', '--desc'], /^xv: error: --asc and --desc cannot be used together; choose one$/],
    ]
    for (const [args, message] of cases) {
      const res = await xv(repo.root, args)
      expect(res.exitCode, args.join(' ')).toBe(2) // usage errors, --sort on an unknown name included
      expect(res.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(res.stderr.trim()).toMatch(message)
    }
    expect(repoState(repo)).toBe(before)
  })
})
