/**
 * xv get / show / diff under faults, on real git + DVC: a corrupt cache object, a remote that is
 * down or lacks objects, stale temporary files of a killed run, SIGINT mid-copy.
 * (A hanging remote and a relative remote URL: get-remotes.test.ts.)
 */
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeRepo, repoState, xv, XV_BIN, type TestRepo} from '../helpers/repo.js'
import {oneLineError} from '../helpers/one-line-error.js'
import {timeTravelRepo, type TimeTravelRepo} from '../helpers/time-travel.js'

let repo: TimeTravelRepo
let out: string
const o = (name: string) => join(out, name)
const extra: TestRepo[] = []

beforeAll(() => {
  repo = timeTravelRepo()
  out = join(repo.base, 'out')
  mkdirSync(out)
})
afterAll(() => {
  repo.cleanup()
  for (const r of extra) r.cleanup()
})

function cacheObject(r: TestRepo, md5: string): string {
  return join(r.root, '.dvc', 'cache', 'files', 'md5', md5.slice(0, 2), md5.slice(2))
}

function corrupt(path: string): void {
  chmodSync(path, 0o644)
  const bytes = readFileSync(path)
  bytes[10] = (bytes[10] ?? 0) ^ 0xff
  writeFileSync(path, bytes)
}

/** A process id that is certainly not running (a child that has exited). */
async function deadPid(): Promise<number> {
  const child = spawn('true')
  await new Promise((done) => child.once('exit', done))
  return child.pid ?? 999_999
}

describe('A1: a corrupt cache object is flagged and never used', () => {
  it('show says "corrupt"; get --strategy remote reads the remote over the corrupt cached copy', async () => {
    const md5 = repo.md5(join(repo.root, 'models/model.bin')) // e0.2.0's model, in the cache
    const obj = cacheObject(repo, md5)
    corrupt(obj)
    const show = await xv(repo.root, ['show', 'e0.2.0', '--json'])
    expect(show.exitCode, show.stderr).toBe(0)
    const model = (JSON.parse(show.stdout) as {artifacts: Array<{path: string; inCache: unknown}>}).artifacts.find((a) => a.path === 'models/model.bin')
    expect(model?.inCache).toBe('corrupt')
    expect((await xv(repo.root, ['show', 'e0.2.0'])).stdout).toMatch(/models\/model\.bin .*corrupt/)

    const res = await xv(repo.root, ['get', 'e0.2.0', 'models/model.bin', '-o', o('remote.bin'), '--strategy', 'remote', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(readFileSync(o('remote.bin')).equals(repo.model2)).toBe(true)
    expect(repo.md5(obj)).toBe(md5) // the remote's good copy replaced it
    const again = await xv(repo.root, ['show', 'e0.2.0', '--json'])
    expect((JSON.parse(again.stdout) as {artifacts: Array<{path: string; inCache: unknown}>}).artifacts.find((a) => a.path === 'models/model.bin')?.inCache).toBe(true)
  })

  it('show never reads a corrupt database object: set aside, fetched again, one warning', async () => {
    const md5 = repo.md5(join(repo.root, 'results/experiments.db'))
    const obj = cacheObject(repo, md5)
    // A first read verifies the object and remembers it as it is (.dvc/tmp/xv-object-hashes.json);
    // writing it changes its mtime, so the memo does not vouch for the corrupt bytes.
    expect((await xv(repo.root, ['show', 'e0.2.0', '--json'])).exitCode).toBe(0)
    expect(readFileSync(join(repo.root, '.dvc', 'tmp', 'xv-object-hashes.json'), 'utf8')).toContain(md5)
    corrupt(obj)
    const show = await xv(repo.root, ['show', 'e0.2.0', '--json'])
    expect(show.exitCode, show.stderr).toBe(0)
    expect(show.stderr).toContain(`corrupt cache object ${obj} (results/experiments.db at e0.2.0) set aside to`)
    const report = JSON.parse(show.stdout) as {results: {rows: Array<{model: string}>}; artifacts: Array<{path: string; inCache: unknown}>}
    expect(report.results.rows.map((r) => r.model)).toEqual(['roberta'])
    expect(report.artifacts.find((a) => a.path === 'results/experiments.db')?.inCache).toBe(true)
    expect(repo.md5(obj)).toBe(md5)
  })
})

describe('B3: temporary files carry the pid; stale ones are cleaned, SIGINT leaves none', () => {
  it('removes temp files of a dead process, keeps a live one', async () => {
    const dir = join(out, 'stale')
    mkdirSync(dir)
    const dead = join(dir, `.model.bin.xv-tmp-${await deadPid()}-0a1b2c3d`)
    const live = join(dir, `.other.bin.xv-tmp-${process.pid}-0a1b2c3d`)
    writeFileSync(dead, 'half')
    writeFileSync(live, 'being written')
    const res = await xv(repo.root, ['get', 'e0.1.0', 'code.py', '-o', join(dir, 'code.py')])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(res.stdout).toContain('removed 1 stale temporary file')
    expect(existsSync(dead)).toBe(false)
    expect(existsSync(live)).toBe(true)
  })

  it('SIGINT mid-copy: exit 130, no temp file, no OUT', async () => {
    const big = makeRepo({gitRemote: false})
    extra.push(big)
    big.write('models/big.bin', randomBytes(96 * 1024 * 1024))
    big.dvc('add', '-q', 'models/big.bin')
    big.git('add', '-A')
    big.git('commit', '-qm', 'big')
    big.git('tag', '-a', 'e0.1.0', '-m', 'big')
    const dest = join(big.base, 'out')
    mkdirSync(dest)
    const child = spawn('node', [XV_BIN, 'get', 'e0.1.0', 'models/big.bin', '-o', join(dest, 'big.bin')], {cwd: big.root, stdio: 'ignore'})
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
    let sent = false
    const deadline = Date.now() + 60_000
    while (!sent && Date.now() < deadline) {
      if (readdirSync(dest).some((f) => f.includes('.xv-tmp-'))) {
        child.kill('SIGINT')
        sent = true
      } else await new Promise((r) => setTimeout(r, 2))
    }

    expect(sent).toBe(true)
    expect(await exited).toBe(130)
    expect(readdirSync(dest)).toEqual([])
  }, 120_000)
})

describe('C3/C4: the remote down or lacking objects', () => {
  it('show and diff say what git alone can, with one warning, when the database object is unavailable', async () => {
    rmSync(join(repo.root, '.dvc', 'cache'), {recursive: true, force: true})
    const away = `${repo.dvcRemote}-away`
    renameSync(repo.dvcRemote, away)
    try {
      const before = repoState(repo)
      const show = await xv(repo.root, ['show', 'e0.2.0'])
      expect(show.exitCode, show.stderr).toBe(0)
      expect(show.stderr.trim().split('\n')).toHaveLength(1)
      expect(show.stderr).toMatch(/^xv: warning: cannot read results\/experiments\.db at e0\.2\.0 .*unreachable/)
      expect(show.stdout).toContain('roberta') // the tag's fields
      expect(show.stdout).toContain('models/model.bin')
      const diff = await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', '--json'])
      expect(diff.exitCode, diff.stderr).toBe(0)
      expect(diff.stderr.trim().split('\n')).toHaveLength(1)
      const report = JSON.parse(diff.stdout) as {fields: Array<{key: string}>; artifacts: Array<{path: string; change: string}>; code?: {files: number}}
      expect(report.fields.map((f) => f.key)).toContain('model')
      expect(report.artifacts.find((a) => a.path === 'models/model.bin')?.change).toBe('modified')
      expect(report.code?.files).toBeGreaterThan(0)
      expect(repoState(repo)).toBe(before)
    } finally {
      renameSync(away, repo.dvcRemote)
    }
  })

  it('get says "cannot connect" or "lacks" in one line; a cached object is not called missing', async () => {
    const md5 = repo.md5(join(repo.root, 'models/model.bin'))
    const away = `${repo.dvcRemote}-away`
    renameSync(repo.dvcRemote, away)
    try {
      const down = oneLineError(await xv(repo.root, ['get', 'e0.2.0', 'models/model.bin', '-o', o('down.bin')]))
      expect(down).toContain("cannot connect to DVC remote 'storage'")
      expect(down).toContain(md5)
    } finally {
      renameSync(away, repo.dvcRemote)
    }

    expect((await xv(repo.root, ['get', 'e0.2.0', 'models/model.bin', '-o', o('cached.bin')])).exitCode).toBe(0)
    renameSync(repo.dvcRemote, away)
    try {
      const held = oneLineError(await xv(repo.root, ['get', 'e0.2.0', 'models/model.bin', '-o', o('held.bin'), '--strategy', 'remote']))
      expect(held).toContain('cannot connect')
      expect(held).toContain('the local cache holds them')
      expect(held).not.toMatch(/missing|needed from it/)
    } finally {
      renameSync(away, repo.dvcRemote)
    }

    const remoteObj = join(repo.dvcRemote, 'files', 'md5', md5.slice(0, 2), md5.slice(2))
    renameSync(remoteObj, `${remoteObj}.away`)
    try {
      rmSync(join(repo.root, '.dvc', 'cache'), {recursive: true, force: true})
      const lacks = oneLineError(await xv(repo.root, ['get', 'e0.2.0', 'models/model.bin', '-o', o('lacks.bin')]))
      expect(lacks).toContain("DVC remote 'storage'")
      expect(lacks).toContain(`lacks 1 object(s) of models/model.bin at e0.2.0: ${md5}`)
      expect(lacks).not.toContain('cannot connect')
      // E15: the worktree strategy carries DVC's whole cause, on one line
      const wt = oneLineError(await xv(repo.root, ['get', 'e0.2.0', 'models/model.bin', '-o', o('wt.bin'), '--strategy', 'worktree']))
      expect(wt).toContain('Checkout failed for following targets: models/model.bin')
      expect(wt).toContain(md5)
      expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1)
    } finally {
      renameSync(`${remoteObj}.away`, remoteObj)
    }
  })
})
