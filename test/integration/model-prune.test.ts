/**
 * Use case 10 end to end: a sweep of 20 runs (real xetrack rows) saves one model per run in
 * models/candidates; the version is tagged; `xv model prune --keep 5` keeps the five best runs and
 * every removed one is still retrievable with `xv get`. Then `xv gc` frees only what nothing needs,
 * and a promotion replaces a linked, read-only production file by rename.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeRepo, repoState, tempDir, xv, type TestRepo} from '../helpers/repo.js'
import {expectOneLineError, md5, pointerMd5, registry, sweep, train, xvJson, xvOk} from '../helpers/model-repo.js'

let repo: TestRepo
let runs: Map<string, {f1: number; md5: string}>
const F1 = [0.61, 0.74, 0.55, 0.9, 0.68, 0.81, 0.5, 0.77, 0.63, 0.86, 0.59, 0.72, 0.93, 0.66, 0.57, 0.84, 0.7, 0.52, 0.79, 0.65]

const cacheFile = (md5sum: string) => join(repo.root, '.dvc', 'cache', 'files', 'md5', md5sum.slice(0, 2), md5sum.slice(2))

beforeAll(async () => {
  repo = makeRepo({xvYaml: 'metrics: [f1]\nartifacts: [results/experiments.db, models/production/model.bin, models/candidates]\n'})
  train(repo.root, 'e0.1.0', 0.6)
  await xvOk(repo.root, ['tag', 'e0.1.0', '-m', 'baseline'])
  runs = sweep(repo.root, 'e0.2.0', F1)
  await xvOk(repo.root, ['tag', 'e0.2.0', '-m', 'lr sweep'])
}, 300_000)

afterAll(() => repo?.cleanup())

describe('use case 10: prune 20 per-run candidates to the top 5', () => {
  const ranked = () => [...runs.entries()].sort((a, b) => b[1].f1 - a[1].f1).map(([id]) => `${id}_model.bin`)

  it('lists every run as a candidate with its metric from the result database', async () => {
    const list = await xvJson<{candidates: Array<{name: string; run: string; version: string; metrics: Record<string, number>}>}>(repo.root, ['model', 'list', '--sort', 'f1'])
    expect(list.candidates.map((c) => c.name)).toEqual(ranked())
    const top = list.candidates[0]!
    expect(top.metrics.f1).toBe(0.93)
    expect(top.version).toBe('e0.2.0')
    expect(runs.has(top.run)).toBe(true)
  })

  it('--dry-run names what would go and changes nothing', async () => {
    const before = repoState(repo)
    const report = await xvJson<{keep: Array<{name: string}>; remove: Array<{name: string}>}>(repo.root, ['model', 'prune', '--keep', '5', '--metric', 'f1', '--dry-run'])
    expect(report.keep.map((c) => c.name)).toEqual(ranked().slice(0, 5))
    expect(report.remove).toHaveLength(15)
    expect(repoState(repo)).toBe(before)
    expect(readdirSync(join(repo.root, 'models/candidates'))).toHaveLength(20)
  })

  it('keeps the five best, commits, and every removed candidate stays retrievable from its tag', async () => {
    const report = await xvJson<{remove: Array<{name: string}>; retrievableFrom: string; commit: string}>(repo.root, ['model', 'prune', '--keep', '5', '--metric', 'f1'])
    expect(report.retrievableFrom).toBe('e0.2.0')
    expect(readdirSync(join(repo.root, 'models/candidates')).sort()).toEqual(ranked().slice(0, 5).sort())
    expect(repo.git('status', '--porcelain')).toBe('')
    expect(repo.git('log', '-1', '--format=%s')).toContain('model: prune candidates to the top 5 by f1')
    // Re-tracked: the committed pointer lists exactly the five kept files.
    expect(repo.dvc('status', 'models/candidates.dvc')).toContain('up to date')
    expect(registry(repo).pruned.map((p) => p.name).sort()).toEqual(ranked().slice(5).sort())

    // One removed candidate by name, then the whole folder as tagged: each removed one verifies.
    const out = tempDir('xv-pruned-')
    const [first] = ranked().slice(5)
    await xvOk(repo.root, ['get', 'e0.2.0', `models/candidates/${first}`, '-o', join(out, 'one.bin')])
    expect(md5(join(out, 'one.bin'))).toBe(runs.get(first!.replace(/_model\.bin$/, ''))!.md5)
    await xvOk(repo.root, ['get', 'e0.2.0', 'models/candidates', '-o', join(out, 'all')])
    for (const name of ranked().slice(5)) expect(md5(join(out, 'all', name))).toBe(runs.get(name.replace(/_model\.bin$/, ''))!.md5)
    // The removed files were set aside under .dvc/tmp and deleted there: nothing is left behind.
    expect(readdirSync(join(repo.root, '.dvc', 'tmp')).filter((f) => f.startsWith('xv-'))).toEqual([])
  })

  it('a teammate\'s fresh clone gets a pruned candidate back from the tag (DVC remote)', async () => {
    const clone = join(repo.base, 'clone')
    execFileSync('git', ['clone', '-q', '-b', 'main', repo.gitRemote, clone])
    const [name] = ranked().slice(-1) // the worst run: pruned
    const dest = join(repo.base, 'worst.bin')
    await xvOk(clone, ['get', 'e0.2.0', `models/candidates/${name}`, '-o', dest])
    expect(md5(dest)).toBe(runs.get(name!.replace(/_model\.bin$/, ''))!.md5)
  })

  it('prune --keep K with K ≥ candidates changes nothing', async () => {
    const before = repoState(repo)
    const report = await xvJson<{remove: unknown[]}>(repo.root, ['model', 'prune', '--keep', '5', '--metric', 'f1'])
    expect(report.remove).toHaveLength(0)
    expect(repoState(repo)).toBe(before)
  })

  it('refuses to rank a candidate without the metric unless told (--force ranks it last)', async () => {
    repo.write('models/candidates/handmade.bin', 'weights')
    repo.dvc('add', '-q', 'models/candidates')
    repo.git('add', 'models')
    repo.git('commit', '-q', '-m', 'a candidate without runs')
    const before = repoState(repo)
    expectOneLineError(await xv(repo.root, ['model', 'prune', '--keep', '2', '--metric', 'f1']), 'cannot rank 1 candidate(s)', 2)
    expect(repoState(repo)).toBe(before)
    const report = await xvJson<{remove: Array<{name: string}>}>(repo.root, ['model', 'prune', '--keep', '5', '--metric', 'f1', '--force', '--dry-run'])
    expect(report.remove.map((c) => c.name)).toEqual(['handmade.bin'])
  })
})

describe('xv gc', () => {
  it('frees unreferenced objects only, reporting the bytes; never what a tag needs', async () => {
    // An object nothing references (old enough), and one written just now.
    const orphan = 'ab'.padEnd(32, '0')
    const fresh = 'cd'.padEnd(32, '1')
    for (const id of [orphan, fresh]) {
      mkdirSync(join(cacheFile(id), '..'), {recursive: true})
      writeFileSync(cacheFile(id), 'x'.repeat(1000))
    }

    utimesSync(cacheFile(orphan), new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000))
    const dry = await xvJson<{stores: Array<{bytesFreed: number; removed: number; tooRecent: number}>}>(repo.root, ['gc', '--dry-run'])
    expect(dry.stores[0]).toMatchObject({bytesFreed: 1000, removed: 1})
    expect(dry.stores[0]!.tooRecent).toBeGreaterThanOrEqual(1)
    expect(existsSync(cacheFile(orphan))).toBe(true)

    const done = await xvJson<{stores: Array<{bytesFreed: number; removed: number}>}>(repo.root, ['gc'])
    expect(done.stores[0]).toMatchObject({bytesFreed: 1000, removed: 1})
    expect(existsSync(cacheFile(orphan))).toBe(false)
    expect(existsSync(cacheFile(fresh))).toBe(true)
    // Every pruned candidate is still in the cache (tag e0.2.0 needs it): gc keeps it.
    for (const {md5: sum} of runs.values()) expect(existsSync(cacheFile(sum)), sum).toBe(true)
    await xvOk(repo.root, ['get', 'e0.1.0', 'models/production/model.bin', '-o', join(tempDir('xv-gc-'), 'm.bin')])
  })

  it('--remote cleans a local remote the same way', async () => {
    const orphan = join(repo.dvcRemote, 'files', 'md5', 'ef', '0'.repeat(30))
    mkdirSync(join(orphan, '..'), {recursive: true})
    writeFileSync(orphan, 'y'.repeat(500))
    utimesSync(orphan, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000))
    const report = await xvJson<{stores: Array<{store: string; bytesFreed: number}>}>(repo.root, ['gc', '--remote'])
    expect(report.stores.find((s) => s.store === 'remote')?.bytesFreed).toBe(500)
    expect(existsSync(orphan)).toBe(false)
    for (const {md5: sum} of runs.values()) expect(existsSync(join(repo.dvcRemote, 'files', 'md5', sum.slice(0, 2), sum.slice(2)))).toBe(true)
  })
})

describe('promote over a linked, read-only production model', () => {
  it('replaces it by rename: the cache object of the old model is untouched', async () => {
    repo.dvc('config', '--local', 'cache.type', 'hardlink')
    repo.dvc('checkout', '--relink', '-q', 'models/production/model.bin.dvc')
    const prod = join(repo.root, 'models/production/model.bin')
    const old = pointerMd5(readFileSync(`${prod}.dvc`, 'utf8'))
    expect(statSync(prod).ino).toBe(statSync(cacheFile(old)).ino) // a link into the cache
    const best = [...runs.entries()].sort((a, b) => b[1].f1 - a[1].f1)[0]!
    await xvOk(repo.root, ['model', 'promote', '--best', 'f1'])
    expect(md5(prod)).toBe(best[1].md5)
    expect(md5(cacheFile(old))).toBe(old)
    expect(registry(repo).production?.origin).toMatchObject({run: best[0], version: 'e0.2.0'})
    expect(repo.git('status', '--porcelain')).toBe('')
  })
})
