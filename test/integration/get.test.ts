import {chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {repoState, xv} from '../helpers/repo.js'
import {oneLineError} from '../helpers/one-line-error.js'
import {timeTravelRepo, type TimeTravelRepo} from '../helpers/time-travel.js'

let repo: TimeTravelRepo
let out: string
const o = (name: string) => join(out, name)

beforeAll(() => {
  repo = timeTravelRepo()
  out = join(repo.base, 'out')
  mkdirSync(out)
})
afterAll(() => repo.cleanup())

function cacheObject(md5: string): string {
  return join(repo.root, '.dvc', 'cache', 'files', 'md5', md5.slice(0, 2), md5.slice(2))
}

describe('xv get: each strategy of the resolver', () => {
  it('serves a git-tracked file from the object store, verified', async () => {
    const res = await xv(repo.root, ['get', 'e0.1.0', 'code.py', '-o', o('code.py')])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(res.stdout).toContain('strategy: git')
    expect(readFileSync(o('code.py'), 'utf8')).toBe('print("v1")\n')
  })

  it('defaults OUT to the base name in the current directory', async () => {
    const before = repoState(repo)
    const sub = join(repo.root, 'data')
    const res2 = await xv(sub, ['get', 'e0.2.0', 'code.py'])
    expect(res2.exitCode, res2.stderr).toBe(0)
    expect(readFileSync(join(sub, 'code.py'), 'utf8')).toBe('print("v2")\nprint("more")\n')
    rmSync(join(sub, 'code.py'))
    expect(repoState(repo)).toBe(before)
  })

  it('serves a DVC file from the cache by the hash in the tag\'s pointer (no checkout)', async () => {
    const before = repoState(repo)
    const res = await xv(repo.root, ['get', 'e0.1.0', 'models/model.bin', '-o', o('model-1.bin'), '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    const json = JSON.parse(res.stdout)
    expect(json.strategy).toBe('cache')
    expect(json.bytes).toBe(repo.model1.length)
    expect(readFileSync(o('model-1.bin')).equals(repo.model1)).toBe(true)
    // the working copy still holds the newer model
    expect(readFileSync(join(repo.root, 'models/model.bin')).equals(repo.model2)).toBe(true)
    expect(repoState(repo)).toBe(before)
  })

  it('serves a file inside a DVC-tracked directory and whole directories from the .dir manifest', async () => {
    const file = await xv(repo.root, ['get', 'e0.1.0', 'data/imgs/b.txt', '-o', o('b.txt')])
    expect(file.exitCode, file.stderr).toBe(0)
    expect(readFileSync(o('b.txt'), 'utf8')).toBe('b v1\n')
    const dir = await xv(repo.root, ['get', 'e0.2.0', 'data/imgs', '-o', o('imgs-2')])
    expect(dir.exitCode, dir.stderr).toBe(0)
    expect(readdirSync(o('imgs-2')).sort()).toEqual(['a.txt', 'b.txt', 'c.txt'])
    const old = await xv(repo.root, ['get', 'e0.1.0', 'data/imgs', '-o', o('imgs-1')])
    expect(readdirSync(o('imgs-1')).sort(), old.stderr).toEqual(['a.txt', 'b.txt'])
  })

  it('a git directory comes with the DVC outputs inside it', async () => {
    const res = await xv(repo.root, ['get', 'e0.1.0', 'data', '-o', o('data-1'), '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(JSON.parse(res.stdout).strategy).toBe('git')
    expect(readFileSync(join(o('data-1'), 'imgs.dvc'), 'utf8')).toContain('.dir')
    expect(readdirSync(join(o('data-1'), 'imgs')).sort()).toEqual(['a.txt', 'b.txt'])
  })

  it('reads a database that was git-tracked at one tag and DVC-tracked at the other', async () => {
    const a = await xv(repo.root, ['get', 'e0.1.0', 'results/experiments.db', '-o', o('db-1.db'), '--json'])
    const b = await xv(repo.root, ['get', 'e0.2.0', 'results/experiments.db', '-o', o('db-2.db'), '--json'])
    expect(JSON.parse(a.stdout).strategy).toBe('git')
    expect(JSON.parse(b.stdout).strategy).toBe('cache')
    const count = (f: string) => {
      const db = new Database(f, {readonly: true})
      const n = (db.prepare('SELECT count(*) AS n FROM metrics').get() as {n: number}).n
      db.close()
      return n
    }

    expect(count(o('db-1.db'))).toBe(2)
    expect(count(o('db-2.db'))).toBe(3)
  })

  it('refuses --strategy cache when the cache lacks the object, then fetches exactly it from the remote', async () => {
    const cache = join(repo.root, '.dvc', 'cache')
    rmSync(cache, {recursive: true, force: true})
    const before = repoState(repo)
    const refused = await xv(repo.root, ['get', 'e0.1.0', 'models/model.bin', '-o', o('m-cache.bin'), '--strategy', 'cache'])
    expect(oneLineError(refused)).toContain('not in the local cache')
    expect(existsSync(o('m-cache.bin'))).toBe(false)

    const res = await xv(repo.root, ['get', 'e0.1.0', 'models/model.bin', '-o', o('m-remote.bin'), '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(JSON.parse(res.stdout).strategy).toBe('remote')
    expect(readFileSync(o('m-remote.bin')).equals(repo.model1)).toBe(true)
    // exactly that object was fetched: the e0.2.0 model is still absent
    expect(existsSync(cacheObject(repo.md5(join(repo.root, 'models/model.bin'))))).toBe(false)
    // a file inside a DVC directory, from the remote
    const inDir = await xv(repo.root, ['get', 'e0.2.0', 'data/imgs/c.txt', '-o', o('c.txt')])
    expect(inDir.exitCode, inDir.stderr).toBe(0)
    expect(readFileSync(o('c.txt'), 'utf8')).toBe('c\n')
    expect(repoState(repo)).toBe(before)
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1)
  })

  it('uses a temporary worktree only when asked, and removes it', async () => {
    const res = await xv(repo.root, ['get', 'e0.1.0', 'data/imgs', '-o', o('imgs-wt'), '--strategy', 'worktree', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(JSON.parse(res.stdout).strategy).toBe('worktree')
    expect(readFileSync(join(o('imgs-wt'), 'b.txt'), 'utf8')).toBe('b v1\n')
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1)
  })
})

describe('xv get: bad input (one line, nothing changed)', () => {
  it('unknown version suggests the nearest tags', async () => {
    const before = repoState(repo)
    expect(oneLineError(await xv(repo.root, ['get', 'e0.3.0', 'code.py', '-o', o('x')]))).toMatch(/unknown version 'e0.3.0'.*e0\.[12]\.0/)
    expect(repoState(repo)).toBe(before)
  })

  it('PATH absent at that version names similar paths that exist there', async () => {
    const line = oneLineError(await xv(repo.root, ['get', 'e0.1.0', 'models/modle.bin', '-o', o('x')]))
    expect(line).toContain('models/modle.bin does not exist at e0.1.0')
    expect(line).toContain('models/model.bin')
    const inDir = oneLineError(await xv(repo.root, ['get', 'e0.1.0', 'data/imgs/c.txt', '-o', o('x')]))
    expect(inDir).toContain('a.txt')
    expect(existsSync(o('x'))).toBe(false)
  })

  it('refuses paths that leave the repository: ../x, absolute, symlinks out', async () => {
    expect(oneLineError(await xv(repo.root, ['get', 'e0.1.0', '../secret', '-o', o('x')]))).toContain('leaves the repository')
    expect(oneLineError(await xv(repo.root, ['get', 'e0.1.0', '/etc/passwd', '-o', o('x')]))).toContain('absolute')
    // a symlink committed at a (non-experiment) tag that points outside
    symlinkSync('../../..', join(repo.root, 'escape'))
    repo.git('add', 'escape')
    repo.git('commit', '-q', '-m', 'symlink')
    repo.git('tag', 'with-link')
    const before = repoState(repo)
    expect(oneLineError(await xv(repo.root, ['get', 'with-link', 'escape/etc/passwd', '-o', o('x')]))).toContain('points outside the repository')
    expect(existsSync(o('x'))).toBe(false)
    expect(repoState(repo)).toBe(before)
  })

  it('refuses an existing OUT without --force, and OUT inside .git', async () => {
    writeFileSync(o('keep.txt'), 'mine')
    const refused = await xv(repo.root, ['get', 'e0.1.0', 'code.py', '-o', o('keep.txt')])
    expect(oneLineError(refused)).toContain('--force')
    expect(refused.exitCode).toBe(2) // a refusal (RefusedError)
    expect(readFileSync(o('keep.txt'), 'utf8')).toBe('mine')
    const forced = await xv(repo.root, ['get', 'e0.1.0', 'code.py', '-o', o('keep.txt'), '--force'])
    expect(forced.exitCode, forced.stderr).toBe(0)
    expect(readFileSync(o('keep.txt'), 'utf8')).toBe('print("v1")\n')
    const before = repoState(repo)
    expect(oneLineError(await xv(repo.root, ['get', 'e0.1.0', 'code.py', '-o', '.git/hooks/code.py']))).toContain('.git')
    expect(existsSync(join(repo.root, '.git/hooks/code.py'))).toBe(false)
    expect(repoState(repo)).toBe(before)
  })

  it('a corrupted cache object is never used: set aside (named), fetched again, OUT verified', async () => {
    await xv(repo.root, ['get', 'e0.1.0', 'models/model.bin', '-o', o('warm.bin')])
    const md5 = repo.md5(o('warm.bin'))
    const obj = cacheObject(md5)
    chmodSync(obj, 0o644)
    const bytes = readFileSync(obj)
    bytes[100] ^= 0xff
    writeFileSync(obj, bytes)
    // --strategy cache cannot fetch: one line naming the object, which is moved out of the cache
    const refused = oneLineError(await xv(repo.root, ['get', 'e0.1.0', 'models/model.bin', '-o', o('bad.bin'), '--strategy', 'cache']))
    expect(refused).toContain(`corrupt cache object ${obj}`)
    expect(refused).toContain('set aside to')
    expect(existsSync(obj)).toBe(false)
    expect(existsSync(o('bad.bin'))).toBe(false)
    writeFileSync(obj, bytes) // corrupt again
    const res = await xv(repo.root, ['get', 'e0.1.0', 'models/model.bin', '-o', o('good.bin')])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(res.stdout).toContain(`corrupt cache object ${obj} set aside to`)
    expect(readFileSync(o('good.bin')).equals(repo.model1)).toBe(true)
    expect(repo.md5(obj)).toBe(md5) // the cache holds the remote's good copy again
    expect(readdirSync(join(repo.root, '.dvc', 'tmp', 'xv-corrupt')).filter((f) => f.startsWith(md5))).toHaveLength(2)
    expect(readdirSync(out).filter((f) => f.includes('xv-tmp'))).toEqual([])
  })

  it('remote unreachable: says which objects are missing', async () => {
    rmSync(join(repo.root, '.dvc', 'cache'), {recursive: true, force: true})
    const moved = `${repo.dvcRemote}-away`
    renameSync(repo.dvcRemote, moved)
    try {
      const before = repoState(repo)
      const line = oneLineError(await xv(repo.root, ['get', 'e0.2.0', 'models/model.bin', '-o', o('unreach.bin')]))
      expect(line).toContain('unreachable')
      expect(line).toContain(repo.md5(join(repo.root, 'models/model.bin')))
      expect(existsSync(o('unreach.bin'))).toBe(false)
      expect(repoState(repo)).toBe(before)
    } finally {
      renameSync(moved, repo.dvcRemote)
    }
  })
})
