/**
 * xv get against awkward remotes, on real git + DVC: a relative remote URL (resolved as DVC
 * resolves it, also from a temporary worktree) and a remote that hangs (an S3 endpoint on a
 * loopback port that accepts and never answers): the inactivity timeout, SIGTERM mid-way.
 */
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {oneLineError} from '../helpers/one-line-error.js'
import {makeRepo, xv, XV_BIN, type TestRepo} from '../helpers/repo.js'

const extra: TestRepo[] = []
afterAll(() => {
  for (const r of extra) r.cleanup()
})

describe('C6: a relative remote URL resolves as DVC resolves it, wherever xv runs', () => {
  it('empty cache + `dvc remote add -d store ../store`: get works from a subfolder and through a temporary worktree', async () => {
    const r = makeRepo({dvcRemote: false, gitRemote: false})
    extra.push(r)
    mkdirSync(join(r.base, 'store'))
    r.dvc('remote', 'add', '-d', 'store', '../store')
    const model = randomBytes(32 * 1024)
    r.write('models/m.bin', model)
    r.write('sub/README', 'x\n')
    r.dvc('add', '-q', 'models/m.bin')
    r.git('add', '-A')
    r.git('commit', '-qm', 'm')
    r.git('tag', '-a', 'e0.1.0', '-m', 'm')
    r.dvc('push', '-q')
    for (const strategy of ['auto', 'worktree']) {
      rmSync(join(r.root, '.dvc', 'cache'), {recursive: true, force: true})
      const res = await xv(join(r.root, 'sub'), ['get', 'e0.1.0', 'models/m.bin', '-o', join(r.base, `m-${strategy}.bin`), '--strategy', strategy])
      expect(res.exitCode, res.stderr).toBe(0)
      expect(readFileSync(join(r.base, `m-${strategy}.bin`)).equals(model)).toBe(true)
    }

    expect(r.git('worktree', 'list').trim().split('\n')).toHaveLength(1)
  })
})

describe('B5: a hanging remote', () => {
  let server: Server
  let port = 0
  let hang: TestRepo
  beforeAll(async () => {
    server = createServer(() => {}) // accepts, never answers
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    port = (server.address() as {port: number}).port
    hang = makeRepo({dvcRemote: false, gitRemote: false, xvYaml: 'remoteTimeout: 3\n'})
    extra.push(hang)
    hang.write('models/m.bin', randomBytes(16 * 1024))
    hang.dvc('add', '-q', 'models/m.bin')
    hang.git('add', '-A')
    hang.git('commit', '-qm', 'm')
    hang.git('tag', '-a', 'e0.1.0', '-m', 'm')
    hang.dvc('remote', 'add', '-d', 'hang', 's3://bucket/store')
    hang.dvc('remote', 'modify', 'hang', 'endpointurl', `http://127.0.0.1:${port}`)
    hang.dvc('remote', 'modify', '--local', 'hang', 'access_key_id', 'x')
    hang.dvc('remote', 'modify', '--local', 'hang', 'secret_access_key', 'y')
    rmSync(join(hang.root, '.dvc', 'cache'), {recursive: true, force: true})
  })
  afterAll(() => {
    server.close()
  })

  it('gives up after remoteTimeout seconds without progress, in one line naming the remote', async () => {
    const started = Date.now()
    const line = oneLineError(await xv(hang.root, ['get', 'e0.1.0', 'models/m.bin', '-o', join(hang.base, 'm.bin')]))
    expect(line).toContain("DVC remote 'hang' (s3://bucket/store) made no progress for 3 s")
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(existsSync(join(hang.base, 'm.bin'))).toBe(false)
  }, 60_000)

  it("--strategy worktree: the temporary worktree uses the remote as configured now (the tag's .dvc/config has none), the same timeout line", async () => {
    const line = oneLineError(await xv(hang.root, ['get', 'e0.1.0', 'models/m.bin', '-o', join(hang.base, 'w.bin'), '--strategy', 'worktree']))
    expect(line).toContain("DVC remote 'hang' (s3://bucket/store) made no progress for 3 s")
    expect(hang.git('worktree', 'list').trim().split('\n')).toHaveLength(1)
  }, 60_000)

  it('SIGTERM while `dvc pull` in a temporary worktree waits on it: exit 130, no worktree record left', async () => {
    // Long enough that the signal, not the timeout, ends the wait; sent once `dvc pull` runs there.
    writeFileSync(join(hang.root, 'xv.yaml'), 'remoteTimeout: 120\n')
    try {
      const child = spawn('node', [XV_BIN, 'get', 'e0.1.0', 'models/m.bin', '-o', join(hang.base, 'w.bin'), '--strategy', 'worktree'], {cwd: hang.root, stdio: 'ignore'})
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
      const deadline = Date.now() + 30_000
      let temp = ''
      while (!(temp && dvcPullIn(temp)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100))
        temp = hang.git('worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice(9))[1] ?? ''
      }

      expect(temp).toContain('xv-wt-')
      expect(dvcPullIn(temp)).toBe(true)
      child.kill('SIGTERM')
      expect(await exited).toBe(130)
      expect(hang.git('worktree', 'list').trim().split('\n')).toHaveLength(1)
      expect(existsSync(temp)).toBe(false)
    } finally {
      writeFileSync(join(hang.root, 'xv.yaml'), 'remoteTimeout: 3\n')
    }
  }, 60_000)
})

/** True when a `dvc pull` process runs in DIR (Linux /proc). */
function dvcPullIn(dir: string): boolean {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (realpathSync(`/proc/${pid}/cwd`) !== realpathSync(dir)) continue
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('pull')) return true
    } catch {
      // gone, or not ours to read
    }
  }

  return false
}
