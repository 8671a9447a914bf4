/**
 * The flags of the reading commands that no other test file exercises (test/unit/flag-coverage.test.ts
 * lists them): show --table/--limit/--version-column, diff --all/--examples/--version-column,
 * compare --all. One time-travel repository (real git + DVC), read only.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {xv} from '../helpers/repo.js'
import {timeTravelRepo, type TimeTravelRepo} from '../helpers/time-travel.js'

let repo: TimeTravelRepo
beforeAll(() => {
  repo = timeTravelRepo()
  // e0.3.0: only the code changes, so every artifact is the same as at e0.2.0.
  repo.write('code.py', 'print("v3")\n')
  repo.git('commit', '-q', '-am', 'code only')
  repo.git('tag', '-a', 'e0.3.0', '-m', 'model=roberta | f1=0.85 | code only')
})
afterAll(() => repo?.cleanup())

async function json<T>(args: string[]): Promise<T> {
  const res = await xv(repo.root, [...args, '--json'])
  expect(res.exitCode, res.stderr).toBe(0)
  return JSON.parse(res.stdout) as T
}

interface Shown {
  results: {table: string; versionColumn: string; rows: Array<Record<string, unknown>>; total: number}
}

describe('show', () => {
  it('--table picks the result table, --limit caps the rows (the total is still counted)', async () => {
    const shown = await json<Shown>(['show', 'e0.2.0', '--table', 'predictions', '--limit', '2'])
    expect(shown.results.table).toBe('predictions')
    expect(shown.results.rows).toHaveLength(2)
    expect(shown.results.total).toBe(4)
    expect(shown.results.rows.map((r) => r.input_id)).toEqual([0, 1])
  })

  it('--version-column names the column; an unknown one is one line naming it and the tables', async () => {
    const shown = await json<Shown>(['show', 'e0.1.0', '--version-column', 'version', '--limit', '1'])
    expect(shown.results).toMatchObject({table: 'metrics', versionColumn: 'version', total: 2})
    expect(shown.results.rows).toHaveLength(1)
    const bad = await xv(repo.root, ['show', 'e0.1.0', '--version-column', 'nosuch'])
    expect(bad.exitCode).toBe(1)
    expect(bad.stderr.trim()).toBe("xv: error: no table of results/experiments.db at e0.1.0 has the version column 'nosuch'; tables: metrics, predictions")
  })
})

describe('diff', () => {
  interface Diffed {
    values: Array<{name: string; changed: boolean}>
  }

  it('--all also lists the values that did not change', async () => {
    const changedOnly = await json<Diffed>(['diff', 'e0.1.0', 'e0.2.0'])
    const all = await json<Diffed>(['diff', 'e0.1.0', 'e0.2.0', '--all'])
    expect(changedOnly.values.every((v) => v.changed)).toBe(true)
    const unchanged = all.values.filter((v) => !v.changed).map((v) => v.name)
    expect(unchanged).toContain('learning_rate')
    expect(all.values.filter((v) => v.changed)).toEqual(changedOnly.values)
  })

  it('--examples sets how many example rows of each kind of change --rows prints', async () => {
    const examplesOf = async (n: string) => {
      const out = await json<Record<string, unknown>>(['diff', 'e0.1.0', 'e0.2.0', '--rows', '--table', 'predictions', '--examples', n])
      return findKey(out, 'examples') as {added: unknown[]; removed: unknown[]; changed: unknown[]}
    }

    expect((await examplesOf('1')).added).toHaveLength(1)
    expect((await examplesOf('3')).added).toHaveLength(3)
    expect(await examplesOf('0')).toEqual({added: [], removed: [], changed: []})
  })

  it('--version-column: an unknown column is one line naming it', async () => {
    const bad = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', '--version-column', 'nosuch'])
    expect(bad.exitCode).toBe(1)
    expect(bad.stderr.trim()).toBe("xv: error: no table of results/experiments.db at e0.1.0 has the version column 'nosuch'; tables: metrics, predictions")
    const ok = await json<{a: {table: string}}>(['diff', 'e0.1.0', 'e0.2.0', '--version-column', 'version'])
    expect(ok.a.table).toBe('metrics')
  })
})

describe('compare', () => {
  it('--all also lists the artifacts that are the same in every version', async () => {
    type Compared = {artifacts: Array<{path: string; md5: Array<string | null>}>}
    const changed = await json<Compared>(['compare', 'e0.2.0', 'e0.3.0'])
    expect(changed.artifacts).toEqual([])
    const all = await json<Compared>(['compare', 'e0.2.0', 'e0.3.0', '--all'])
    expect(all.artifacts.map((a) => a.path).sort()).toEqual(['data/imgs', 'models/model.bin', 'results/experiments.db'])
    for (const a of all.artifacts) expect(new Set(a.md5).size).toBe(1)
  })
})

/** The first value under KEY anywhere in a JSON document. */
function findKey(doc: unknown, key: string): unknown {
  if (doc === null || typeof doc !== 'object') return undefined
  if (key in doc) return (doc as Record<string, unknown>)[key]
  for (const value of Object.values(doc)) {
    const found = findKey(value, key)
    if (found !== undefined) return found
  }

  return undefined
}
