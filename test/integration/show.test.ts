import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {repoState, xv} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'
import {timeTravelRepo, type TimeTravelRepo} from '../helpers/time-travel.js'

let repo: TimeTravelRepo
beforeAll(() => {
  repo = timeTravelRepo()
  // the working copy's database moves on: rows written after e0.2.0 must not show up at e0.2.0
  writeRuns(join(repo.root, 'results/experiments.db'), [{version: 'e0.2.0', model: 'late', f1: 0.1, trackId: 'late'}])
})
afterAll(() => repo.cleanup())

describe('xv show', () => {
  it('shows the tag, commit, fields, rows from the database at that tag (git-tracked then) and artifacts', async () => {
    const res = await xv(repo.root, ['show', 'e0.1.0', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    const r = JSON.parse(res.stdout)
    expect(r.version).toBe('e0.1.0')
    expect(r.commit).toBe(repo.git('rev-parse', 'e0.1.0^{commit}').trim())
    expect(r.author).toBe('xv test')
    expect(r.fields).toEqual({model: 'bert', f1: '0.75'})
    expect(r.description).toBe('baseline')
    expect(r.results.source).toBe('git')
    expect(r.results.table).toBe('metrics')
    expect(r.results.total).toBe(2)
    expect(r.results.rows.map((x: {track_id: string}) => x.track_id).sort()).toEqual(['r1', 'r2'])
    const paths = r.artifacts.map((a: {path: string}) => a.path)
    expect(paths).toEqual(['data/imgs', 'models/model.bin'])
    const model = r.artifacts.find((a: {path: string}) => a.path === 'models/model.bin')
    expect(model).toMatchObject({size: repo.model1.length, inCache: true, inRemote: true, isDir: false})
  })

  it('reads the DVC-tracked database of e0.2.0 from the cache, not the working copy', async () => {
    const res = await xv(repo.root, ['show', 'e0.2.0', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    const r = JSON.parse(res.stdout)
    expect(r.results.source).toBe('dvc')
    expect(r.results.rows.map((x: {track_id: string}) => x.track_id)).toEqual(['r3'])
    expect(r.artifacts.map((a: {path: string}) => a.path)).toContain('results/experiments.db')
  })

  it('says when objects are neither in the cache nor in the remote', async () => {
    rmSync(join(repo.root, '.dvc', 'cache'), {recursive: true, force: true})
    rmSync(join(repo.dvcRemote, 'files'), {recursive: true, force: true})
    // results DB unreadable now: show still lists the artifacts, and the DB error is one line
    const res = await xv(repo.root, ['show', 'e0.1.0', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    const model = JSON.parse(res.stdout).artifacts.find((a: {path: string}) => a.path === 'models/model.bin')
    expect(model).toMatchObject({inCache: false, inRemote: false})
    const text = await xv(repo.root, ['show', 'e0.1.0'])
    expect(text.stdout).toContain('models/model.bin')
    expect(text.stdout).toMatch(/in cache\s+in remote/)
  })

  it('bad input: unknown version, a database at the tag that is not SQLite', async () => {
    const before = repoState(repo)
    const unknown = await xv(repo.root, ['show', 'e9.9.9'])
    expect(unknown.exitCode).not.toBe(0)
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1)
    expect(unknown.stderr).toContain('nearest tags')
    expect(repoState(repo)).toBe(before)

    writeFileSync(join(repo.root, 'xv.yaml'), 'db: notes.txt\n')
    repo.write('notes.txt', 'this is not a database, just some text long enough to pass the size check. '.repeat(3))
    repo.git('add', 'xv.yaml', 'notes.txt')
    repo.git('commit', '-q', '-m', 'notes')
    repo.git('tag', '-a', 'e0.3.0', '-m', 'notes')
    const after = repoState(repo)
    const res = await xv(repo.root, ['show', 'e0.3.0'])
    expect(res.exitCode).not.toBe(0)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(res.stderr).toContain('not an SQLite database')
    expect(repoState(repo)).toBe(after)
  })
})
