import {createHash, randomBytes} from 'node:crypto'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterEach, describe, expect, it} from 'vitest'

import {openReadOnly} from '../../src/adapters/sqlite.js'
import {planFromCache} from '../../src/domain/cache-plan.js'
import {declaredOuts} from '../../src/domain/locate.js'
import {nearestTags, repoRelative, unknownVersion} from '../../src/domain/revision.js'
import {asVersion} from '../../src/domain/version.js'
import {NotFoundError} from '../../src/errors.js'
import {nearest} from '../../src/domain/suggest.js'
import {copyHashing} from '../../src/domain/verified-copy.js'
import {artifactChanges, compareSummaries, fieldChanges} from '../../src/domain/diff.js'
import {rowDiffSql} from '../../src/domain/row-diff.js'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'xv-unit-'))
  dirs.push(d)
  return d
}

afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop()!, {recursive: true, force: true})
})

describe('repoRelative', () => {
  const root = '/repo'
  it('is relative to the root like git REV:path, or to cwd with ./ and ../', () => {
    expect(repoRelative(root, '/repo/sub', 'models/model.bin')).toBe('models/model.bin')
    expect(repoRelative(root, '/repo/sub', './x.csv')).toBe('sub/x.csv')
    expect(repoRelative(root, '/repo/sub/deep', '../x.csv')).toBe('sub/x.csv')
  })

  it('refuses absolute paths, paths leaving the repository, .git and the root itself', () => {
    expect(() => repoRelative(root, root, '/etc/passwd')).toThrow(/absolute/)
    expect(() => repoRelative(root, root, '../x')).toThrow(/leaves the repository/)
    expect(() => repoRelative(root, root, 'a/../../x')).toThrow(/leaves the repository/)
    expect(() => repoRelative(root, root, '.git/config')).toThrow(/inside .git/)
    expect(() => repoRelative(root, root, '.')).toThrow(/repository root/)
  })
})

describe('nearest', () => {
  it('ranks by edit distance', () => {
    expect(nearest('e0.3.0', ['e0.1.0', 'e0.2.0', 'e1.0.0', 'e0.3.1'], 2)).toEqual(['e0.3.1', 'e0.1.0'])
  })
})

describe('declaredOuts', () => {
  it('resolves pointer and dvc.lock outs relative to their directory', () => {
    const p = declaredOuts('models/model.bin.dvc', 'outs:\n- md5: abc\n  size: 3\n  path: model.bin\n')
    expect(p[0]).toMatchObject({outPath: 'models/model.bin', pointer: 'models/model.bin.dvc'})
    const lock = declaredOuts('sub/dvc.lock', 'schema: "2.0"\nstages:\n  train:\n    outs:\n    - path: out/dir\n      md5: def.dir\n')
    expect(lock[0]).toMatchObject({outPath: 'sub/out/dir'})
    expect(lock[0].out.isDir).toBe(true)
  })
})

describe('planFromCache', () => {
  it('finds DVC 3 and DVC 2 objects, rebuilds directories from the manifest and reports what is missing', () => {
    const cache = tmp()
    const put = (md5: string, body: string, v2 = false) => {
      const dir = v2 ? join(cache, md5.slice(0, 2)) : join(cache, 'files', 'md5', md5.slice(0, 2))
      mkdirSync(dir, {recursive: true})
      writeFileSync(join(dir, md5.slice(2)), body)
    }

    const m = (s: string) => createHash('md5').update(s).digest('hex')
    put(m('a'), 'a')
    put(m('b'), 'b', true)
    const manifest = JSON.stringify([{md5: m('a'), relpath: 'x/a.txt'}, {md5: m('b'), relpath: 'b.txt'}, {md5: m('c'), relpath: 'x/c.txt'}])
    put(`${'d'.repeat(32)}.dir`, manifest)
    const dir = {rev: 't', path: 'data', source: 'dvc' as const, type: 'dir' as const, md5: `${'d'.repeat(32)}.dir`, out: 'data', inside: ''}
    const whole = planFromCache(cache, dir)
    expect(whole.objects.map((o) => o.rel)).toEqual(['x/a.txt', 'b.txt', 'x/c.txt'])
    expect(whole.missing).toEqual([{md5: m('c'), what: 'data/x/c.txt'}])
    const one = planFromCache(cache, {...dir, path: 'data/b.txt', type: 'file', inside: 'b.txt'})
    expect(one).toMatchObject({type: 'file', missing: []})
    const sub = planFromCache(cache, {...dir, path: 'data/x', type: 'file', inside: 'x'})
    expect(sub.type).toBe('dir')
    expect(sub.objects.map((o) => o.rel)).toEqual(['a.txt', 'c.txt'])
    expect(() => planFromCache(cache, {...dir, path: 'data/zz.txt', inside: 'zz.txt'})).toThrow(/similar paths there: data\//)
    const noManifest = planFromCache(cache, {...dir, md5: `${'e'.repeat(32)}.dir`})
    expect(noManifest.missing[0].what).toContain('directory manifest')
  })
})

describe('copyHashing', () => {
  it('writes exactly the source and returns its md5 in the same pass', async () => {
    const d = tmp()
    const data = randomBytes(20 * 1024 * 1024 + 123)
    writeFileSync(join(d, 'src'), data)
    const r = await copyHashing(join(d, 'src'), join(d, 'dst'))
    expect(r.bytes).toBe(data.length)
    expect(r.md5).toBe(createHash('md5').update(data).digest('hex'))
    expect(readFileSync(join(d, 'dst')).equals(data)).toBe(true)
    await expect(copyHashing(join(d, 'src'), join(d, 'dst'))).rejects.toThrow(/EEXIST/)
  })
})

describe('compareSummaries / fieldChanges / artifactChanges', () => {
  it('computes deltas, percentages and direction', () => {
    const a = {version: 'e0.1.0', rows: 2, means: {f1: 0.8, loss: 0.5, lr: 0.01, timestamp: 1}, values: {model: 'bert'}, integers: []}
    const b = {version: 'e0.2.0', rows: 1, means: {f1: 0.6, loss: 0.4, lr: 0.01, timestamp: 2}, values: {model: 'gpt'}, integers: []}
    const d = compareSummaries(a, b, 'version')
    expect(d.map((x) => x.name)).toEqual(['f1', 'loss', 'lr', 'model'])
    expect(d[0]).toMatchObject({kind: 'metric', direction: 'higher', better: false, changed: true})
    expect(d[0].pct).toBeCloseTo(-25)
    expect(d[1]).toMatchObject({direction: 'lower', better: true})
    expect(d[2]).toMatchObject({kind: 'param', changed: false, delta: 0})
    expect(compareSummaries(a, b, 'version', [{name: 'f1', direction: 'lower'}])[0].better).toBe(true)
  })

  it('lists differing fields and changed artifacts', () => {
    expect(fieldChanges({a: '1', b: '2'}, {a: '1', c: '3'})).toEqual([{key: 'b', a: '2', b: undefined}, {key: 'c', a: undefined, b: '3'}])
    const ch = artifactChanges(
      [{path: 'm', md5: '1', size: 10}, {path: 'gone', md5: '2'}, {path: 'same', md5: '3'}],
      [{path: 'm', md5: '9', size: 15}, {path: 'new', md5: '4', size: 1}, {path: 'same', md5: '3'}],
    )
    expect(ch.map((c) => [c.path, c.change, c.sizeDelta])).toEqual([['gone', 'removed', undefined], ['m', 'modified', 5], ['new', 'added', undefined]])
  })
})

describe('rowDiffSql (real SQLite files)', () => {
  function dbs(setupA: string, setupB: string) {
    const d = tmp()
    for (const [name, sql] of [['a.db', setupA], ['b.db', setupB]]) {
      const db = new Database(join(d, name))
      db.exec(sql)
      db.close()
    }

    return openReadOnly(join(d, 'a.db'), 'A', {file: join(d, 'b.db'), label: 'B'})
  }

  it('whole rows as multisets, also when rowids shifted', () => {
    const db = dbs(
      "CREATE TABLE t (x, y); INSERT INTO t VALUES (1,'a'),(2,'b'),(2,'b'),(3,NULL);",
      "CREATE TABLE t (x, y); INSERT INTO t VALUES (2,'b'),(3,NULL),(4,'d'),(1,'a');",
    )
    const r = rowDiffSql(db, 't', undefined, 5, {a: 'A', b: 'B'})
    db.close()
    expect(r).toMatchObject({keySource: 'whole rows', rowsA: 4, rowsB: 4, added: 1, removed: 1})
    expect(r.examples.added[0].values).toEqual({x: 4, y: 'd'})
    expect(r.examples.removed[0].values).toEqual({x: 2, y: 'b'})
  })

  it('by primary key: added, removed, changed with the differing columns; schema changes reported', () => {
    const db = dbs(
      'CREATE TABLE t (id INTEGER PRIMARY KEY, v, w); INSERT INTO t VALUES (1,1,1),(2,2,2),(3,3,NULL);',
      'CREATE TABLE t (id INTEGER PRIMARY KEY, v, z); INSERT INTO t VALUES (1,1,0),(3,30,0),(4,4,0);',
    )
    const r = rowDiffSql(db, 't', undefined, 5, {a: 'A', b: 'B'})
    expect(r).toMatchObject({keySource: 'primary key', key: ['id'], added: 1, removed: 1, changed: 1, columnsAdded: ['z'], columnsRemoved: ['w']})
    expect(r.examples.changed[0]).toEqual({values: {id: 3}, changes: {v: {a: 3, b: 30}}})
    expect(() => rowDiffSql(db, 't', ['w'], 5, {a: 'A', b: 'B'})).toThrow(/key column 'w' not found in table 't' of B/)
    expect(() => rowDiffSql(db, 'nope', undefined, 5, {a: 'A', b: 'B'})).toThrow(/table 'nope' not found/)
    db.close()
  })
})

describe('the one unknown-version message', () => {
  const tags = ['e0.1.0', 'e0.2.0', 'e1.0.0', 'e0.10.0'].map((name) => ({name, type: 'tag', commit: '', date: '', subject: '', tagger: '', version: asVersion(name, 'e')!}))
  it('names semver neighbours first (closest first), then the closest names', () => {
    expect(nearestTags('e0.1.5', tags, 'e')).toEqual(['e0.1.0', 'e0.2.0'].concat(nearestTags('e0.1.5', tags, 'e').slice(2)))
    expect(nearestTags('e0.2.1', tags, 'e')[0]).toBe('e0.2.0')
    expect(nearestTags('0.2.1', tags, 'e')[0]).toBe('e0.2.0')
    expect(nearestTags('e0.1.5', tags, 'e')).toHaveLength(3)
    expect(nearestTags('banana', [], 'e')).toEqual([])
  })

  it('is a NotFoundError naming the tags and xv list', () => {
    const err = unknownVersion('e0.1.5', tags, 'e')
    expect(err).toBeInstanceOf(NotFoundError)
    expect(err.what).toBe('version')
    expect(err.message).toBe("unknown version 'e0.1.5': no such tag or commit; nearest tags: e0.1.0, e0.2.0, e0.10.0 (see 'xv list')")
    expect(unknownVersion('e0.1.5', [], 'e').message).toContain('there are no experiment tags yet')
  })
})
