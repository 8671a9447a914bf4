/**
 * `xv diff --rows --key` gives the same answer whether or not the key columns have an index: the
 * same data in two tables of each tag's (DVC-tracked) SQLite database, one with an index on the
 * key, one without. Real git + DVC, real SQLite files; the counts are also checked against a
 * computation in JavaScript.
 */
import {createHash} from 'node:crypto'
import {readFileSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeRepo, xv, type TestRepo} from '../helpers/repo.js'

type Row = [run: string, item: number | string | null, score: number, label: string | null]

/** e0.1.0: 1,200 rows, two with a NULL key. */
function rowsA(): Row[] {
  const rows: Row[] = []
  for (let i = 0; i < 1200; i++) rows.push([`r${i % 4}`, i, i * 0.5, i % 3 === 0 ? null : 'x'])
  rows.push(['r0', null, 1, 'n'], ['r1', null, 2, 'n'])
  return rows
}

/** e0.2.0: 12 removed (i % 100 = 7), 12 scores and 4 labels changed, 30 added (one key as text), the NULL keys kept. */
function rowsB(): Row[] {
  const rows: Row[] = []
  for (const [run, item, score, label] of rowsA()) {
    const i = typeof item === 'number' ? item : -1
    if (i % 100 === 7) continue
    rows.push([run, item, i % 100 === 50 ? score * 2 : score, i % 300 === 3 ? 'changed' : label])
  }

  for (let i = 0; i < 29; i++) rows.push([`r${i % 4}`, 5000 + i, 1, 'new'])
  rows.push(['r0', '12', 6, 'x']) // the text '12' is not the number 12: a new key
  return rows
}

function writeDb(path: string, rows: Row[]): void {
  const db = new Database(path)
  try {
    for (const t of ['plain', 'indexed']) db.exec(`DROP TABLE IF EXISTS ${t}; CREATE TABLE ${t}(run TEXT, item, score REAL, label TEXT)`)
    db.exec('CREATE INDEX indexed_key ON indexed(run, item)')
    const insert = ['plain', 'indexed'].map((t) => db.prepare(`INSERT INTO ${t} VALUES (?, ?, ?, ?)`))
    db.transaction(() => {
      for (const r of rows) for (const s of insert) s.run(...r)
    })()
  } finally {
    db.close()
  }
}

/** Added, removed, changed by (run, item) in JavaScript: a NULL key matches nothing. */
function expected(a: Row[], b: Row[]): {added: number; removed: number; changed: number} {
  const key = (r: Row) => (r[1] === null ? undefined : `${r[0]}\0${typeof r[1]}\0${r[1]}`)
  const byKey = (rows: Row[]) => new Map(rows.flatMap((r) => (key(r) === undefined ? [] : [[key(r), r] as const])))
  const [ka, kb] = [byKey(a), byKey(b)]
  const changed = [...ka].filter(([k, r]) => {
    const o = kb.get(k)
    return o !== undefined && (o[2] !== r[2] || o[3] !== r[3])
  }).length
  return {added: b.filter((r) => !ka.has(key(r))).length, removed: a.filter((r) => !kb.has(key(r))).length, changed}
}

/** Path → md5, size and mtime of every file under DIR. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(dir, {recursive: true, encoding: 'utf8'})) {
    const p = join(dir, name)
    const st = statSync(p)
    if (st.isFile()) out[name] = `${createHash('md5').update(readFileSync(p)).digest('hex')} ${st.size} ${st.mtimeMs}`
  }

  return out
}

let repo: TestRepo
beforeAll(() => {
  repo = makeRepo({dvcRemote: false, gitRemote: false})
  const db = join(repo.root, 'results/experiments.db')
  repo.write('results/.keep', '')
  writeDb(db, rowsA())
  repo.dvc('add', '-q', 'results/experiments.db')
  repo.git('add', '-A')
  repo.git('commit', '-q', '-m', 'e0.1.0')
  repo.git('tag', '-a', 'e0.1.0', '-m', 'baseline')
  writeDb(db, rowsB())
  repo.dvc('add', '-q', 'results/experiments.db')
  repo.git('add', '-A')
  repo.git('commit', '-q', '-m', 'e0.2.0')
  repo.git('tag', '-a', 'e0.2.0', '-m', 'next')
})
afterAll(() => repo.cleanup())

describe('xv diff --rows --key on an unindexed key', () => {
  it('equals the indexed case on the same data (counts, examples, key), and the counts are right', async () => {
    const diff = async (table: string) => {
      const out = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', '--rows', '--table', table, '--key', 'run,item', '--examples', '50', '--json'])
      expect(out.exitCode, out.stderr).toBe(0)
      return (JSON.parse(out.stdout) as {rows: Record<string, unknown>}).rows
    }

    const cache = join(repo.root, '.dvc', 'cache')
    const before = snapshot(cache)
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(2) // both tags' database objects
    const [plain, indexed] = [await diff('plain'), await diff('indexed')]
    expect(snapshot(cache)).toEqual(before) // the cache objects it read are untouched (the temporary index lives in SQLite's temp store)
    const want = expected(rowsA(), rowsB())
    expect(want).toEqual({added: 2 + 29 + 1, removed: 2 + 12, changed: 12 + 4})
    expect(plain).toMatchObject({...want, key: ['run', 'item'], keySource: 'flag', rowsA: 1202, rowsB: 1220})
    expect({...plain, table: 'indexed'}).toEqual(indexed)
    const examples = plain.examples as {changed: Array<{values: {item: number}; changes: Record<string, unknown>}>; added: Array<{values: {item: unknown}}>}
    expect(examples.changed.find((c) => c.values.item === 50)?.changes).toEqual({score: {a: 25, b: 50}})
    expect(examples.added.map((r) => r.values.item)).toContain('12')
  })
})
