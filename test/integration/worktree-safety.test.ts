/**
 * The shared cache and the work of a worktree are safe (issue 8: A1, A6, A7, A8, C5), on real git +
 * DVC, as the machine's user (root here: read-only files do not stop root).
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {createHash, randomBytes} from 'node:crypto'
import {readFileSync, rmSync, statSync} from 'node:fs'
import {createServer} from 'node:net'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {python, xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'
import {afterTest, project} from '../helpers/worktree-project.js'


const md5Of = (file: string) => createHash('md5').update(readFileSync(file)).digest('hex')
const objectPath = (repo: TestRepo, md5: string) => join(repo.root, '.dvc', 'cache', 'files', 'md5', md5.slice(0, 2), md5.slice(2))
const pointerMd5 = (text: string) => /md5: ([0-9a-f]+)/.exec(text)![1]!

async function newWorktree(repo: TestRepo, name: string): Promise<string> {
  const res = await xv(repo.root, ['worktree', 'new', name])
  expect(res.exitCode, res.stderr).toBe(0)
  return join(repo.base, `exp-${name}`)
}

describe('A1: the shared cache cannot be corrupted by the normal workflow', () => {
  it('a training script rewriting the model in place (as root) leaves e0.1.0 in the cache intact; list and remove see the change', async () => {
    const repo = await project()
    const modelMd5 = pointerMd5(repo.git('show', 'e0.1.0:models/production/model.bin.dvc'))
    const wt = await newWorktree(repo, 'b')
    const model = join(wt, 'models', 'production', 'model.bin')
    // What DEFECTS A1 does: the training script rewrites the model in place, as the machine's user.
    python(wt, "open('models/production/model.bin', 'wb').write(b'retrained')")
    expect(readFileSync(model, 'utf8')).toBe('retrained')
    expect(md5Of(objectPath(repo, modelMd5))).toBe(modelMd5) // the object of e0.1.0 is unchanged
    expect(statSync(model).nlink).toBe(1)
    // `xv get` of e0.1.0 still gives the right bytes (from the cache).
    const got = await xv(repo.root, ['get', 'e0.1.0', 'models/production/model.bin', '-o', 'old.bin'])
    expect(got.exitCode, got.stderr).toBe(0)
    expect(md5Of(join(repo.root, 'old.bin'))).toBe(modelMd5)

    const list = (JSON.parse((await xv(repo.root, ['worktree', 'list', '--json'])).stdout) as {worktrees: Array<{name: string; dvc: {modified: string[]}}>}).worktrees
    expect(list.find((w) => w.name === 'b')!.dvc.modified).toEqual(['models/production/model.bin'])
    const refused = await xv(repo.root, ['worktree', 'remove', 'b'])
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toContain('✗ no uncommitted DVC outputs: modified and not committed: models/production/model.bin')
    expect(readFileSync(model, 'utf8')).toBe('retrained') // the retrained model is not lost
  })

  it('a linked input written anyway (root ignores read-only) is found by content, as dvc status does; remove refuses', async () => {
    const repo = await project()
    const wt = await newWorktree(repo, 'c')
    const csv = join(wt, 'data', 'a.csv')
    const local = readFileSync(join(wt, '.dvc', 'config.local'), 'utf8')
    const linked = local.includes('hardlink') || local.includes('symlink')
    if (linked) expect(statSync(csv).nlink > 1 || statSync(csv).isSymbolicLink()).toBe(true) // inputs stay linked: no copies
    // Same size, other bytes, written through the link.
    python(wt, "open('data/a.csv', 'w').write('x,y\\n9,9\\n')")
    const status = execFileSync('dvc', ['status', '--json'], {cwd: wt, encoding: 'utf8'})
    expect(status).toContain('data')
    const list = (JSON.parse((await xv(repo.root, ['worktree', 'list', '--json'])).stdout) as {worktrees: Array<{name: string; dvc: {modified: string[]}}>}).worktrees
    expect(list.find((w) => w.name === 'c')!.dvc.modified).toEqual(['data'])
    const refused = await xv(repo.root, ['worktree', 'remove', 'c'])
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toContain('modified and not committed: data')
  })

  it('after xv tag in the worktree (dvc add links files back) the files it writes are private again', async () => {
    const repo = await project()
    const wt = await newWorktree(repo, 'd')
    python(wt, "open('models/production/model.bin', 'wb').write(b'v2 model')")
    writeRuns(join(wt, 'results', 'experiments.db'), [{version: 'e0.2.0', trackId: 'd-1', f1: 0.8}])
    const tagged = await xv(wt, ['tag', 'e0.2.0', '-m', 'd'])
    expect(tagged.exitCode, tagged.stderr).toBe(0)
    const md5 = pointerMd5(readFileSync(join(wt, 'models/production/model.bin.dvc'), 'utf8'))
    python(wt, "open('models/production/model.bin', 'wb').write(b'v3 model, still training')")
    expect(md5Of(objectPath(repo, md5))).toBe(md5)
    expect(md5Of(objectPath(repo, pointerMd5(repo.git('show', 'e0.1.0:models/production/model.bin.dvc'))))).toBe(
      pointerMd5(repo.git('show', 'e0.1.0:models/production/model.bin.dvc')),
    )
  })
})

describe('worktree remove checks what it says (A6, A7, A8, C5)', () => {
  it('A6 + C5: a tag pushed with --no-push earlier on the branch blocks the removal; the suggested command fixes it', async () => {
    const repo = await project()
    const wt = await newWorktree(repo, 'e')
    python(wt, `open('models/production/model.bin', 'wb').write(bytes.fromhex('${randomBytes(64).toString('hex')}'))`)
    expect((await xv(wt, ['tag', 'e0.6.0', '-m', 'six', '--no-push'])).exitCode).toBe(0)
    const sixMd5 = pointerMd5(readFileSync(join(wt, 'models/production/model.bin.dvc'), 'utf8'))
    python(wt, `open('models/production/model.bin', 'wb').write(bytes.fromhex('${randomBytes(64).toString('hex')}'))`)
    const seven = await xv(wt, ['tag', 'e0.7.0', '-m', 'seven'])
    expect(seven.exitCode, seven.stderr).toBe(0)

    const refused = await xv(repo.root, ['worktree', 'remove', 'e'])
    expect(refused.exitCode, refused.stderr).toBe(2)
    expect(refused.stderr).toMatch(/✗ DVC objects in remote 'storage': not pushed: e0\.6\.0: .*models\/production\/model\.bin/)
    const fix = /run '(xv push [^']+)'/.exec(refused.stderr)?.[1]
    expect(fix).toBe('xv push e0.6.0')

    // The same remote seen as a cloud remote (HTTP): the tags are checked through DVC, same verdict.
    const port = await freePort()
    const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', repo.dvcRemote], {stdio: 'ignore'})
    afterTest(() => server.kill())
    await waitForPort(server, port)
    execFileSync('dvc', ['remote', 'modify', '--local', 'storage', 'url', `http://127.0.0.1:${port}`], {cwd: wt})
    const cloud = await xv(repo.root, ['worktree', 'remove', 'e'])
    expect(cloud.exitCode, cloud.stderr).toBe(2)
    expect(cloud.stderr).toMatch(/✗ DVC objects in remote 'storage': not pushed: e0\.6\.0: models\/production\/model\.bin .*run 'xv push e0\.6\.0'/)
    execFileSync('dvc', ['remote', 'modify', '--local', 'storage', 'url', repo.dvcRemote], {cwd: wt})

    const pushed = await xv(repo.root, fix!.split(' ').slice(1))
    expect(pushed.exitCode, pushed.stderr).toBe(0)
    expect(md5Of(join(repo.dvcRemote, 'files', 'md5', sixMd5.slice(0, 2), sixMd5.slice(2)))).toBe(sixMd5)
    const removed = await xv(repo.root, ['worktree', 'remove', 'e'])
    expect(removed.exitCode, removed.stderr).toBe(0)
  }, 240_000) // the longest story here (two tags, three checklists, a push): room for a loaded machine

  it('A7: objects in the remote but gone from the local cache are safe (local and http remote)', async () => {
    const repo = await project()
    await newWorktree(repo, 'f')
    rmSync(join(repo.root, '.dvc', 'cache', 'files'), {recursive: true, force: true})
    const local = await xv(repo.root, ['worktree', 'remove', 'f', '--dry-run', '--json'])
    const remoteItem = (JSON.parse(local.stdout) as {checks: Array<{check: string; ok: boolean}>}).checks.find((c) => c.check.startsWith('DVC objects in remote'))
    expect(remoteItem?.ok).toBe(true)

    // The same remote served over HTTP (DVC treats it as a cloud remote: `dvc status --cloud` says 'deleted').
    const port = await freePort()
    const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', repo.dvcRemote], {stdio: 'ignore'})
    afterTest(() => server.kill())
    await waitForPort(server, port)
    const wt = join(repo.base, 'exp-f')
    execFileSync('dvc', ['remote', 'modify', '--local', 'storage', 'url', `http://127.0.0.1:${port}`], {cwd: wt})
    const res = await xv(repo.root, ['worktree', 'remove', 'f'])
    expect(res.stdout).toContain("✓ DVC objects in remote 'storage'")
    expect(res.exitCode, res.stderr).toBe(0)
  })

  it('A8: an unreachable remote is one failing item among the others; --force removes anyway', async () => {
    const repo = await project()
    const wt = await newWorktree(repo, 'g')
    execFileSync('dvc', ['remote', 'add', '--local', '-f', '-d', 'down', 'ssh://127.0.0.1:1/store'], {cwd: wt})
    const refused = await xv(repo.root, ['worktree', 'remove', 'g'])
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toContain('✓ no uncommitted git changes')
    expect(refused.stderr).toContain('last commit is tagged')
    expect(refused.stderr).toMatch(/✗ DVC objects in remote 'down': cannot compare with the remote \(.+\); .*--force/)
    const forced = await xv(repo.root, ['worktree', 'remove', 'g', '--force'])
    expect(forced.exitCode, forced.stderr).toBe(0)
    expect(repo.git('branch', '--list', 'exp/g').trim()).toBe('')
  })

  it('--id-column: the merged check counts runs by the same column as xv merge', async () => {
    const repo = await project()
    const wt = await newWorktree(repo, 'h')
    python(wt, "import sqlite3; c = sqlite3.connect('results/experiments.db'); c.execute('create table runs (run_id text, f1 real)'); c.execute(\"insert into runs values ('r1', 0.5)\"); c.commit()")
    const byTrack = JSON.parse((await xv(repo.root, ['worktree', 'remove', 'h', '--dry-run', '--json'])).stdout) as {checks: Array<{check: string; ok: boolean; detail: string}>}
    expect(byTrack.checks.find((c) => c.check.startsWith('results merged'))?.ok).toBe(true)
    const byRun = JSON.parse((await xv(repo.root, ['worktree', 'remove', 'h', '--dry-run', '--json', '--id-column', 'run_id'])).stdout) as typeof byTrack
    expect(byRun.checks.find((c) => c.check.startsWith('results merged'))?.detail).toContain('1 run(s) of results/experiments.db (runs)')
  })
})

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const {port} = srv.address() as {port: number}
      srv.close(() => resolve(port))
    })
  })
}

async function waitForPort(child: ChildProcess, port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer()
      s.once('error', () => resolve(true))
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)))
    })
    if (ok) return
    if (child.exitCode !== null) throw new Error('http.server exited')
    await new Promise((r) => setTimeout(r, 100))
  }

  throw new Error('http.server did not start')
}
