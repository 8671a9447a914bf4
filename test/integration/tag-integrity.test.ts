/**
 * What is tagged is what is stored (A2, A10, A11), a full disk (B4) and a teammate's clone (A3):
 * each case reproduces the defect on real git + DVC + SQLite and checks the repository after.
 */
import {execFileSync, spawn} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {makeRepo, repoState, VENV_PYTHON, xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'

const repos: TestRepo[] = []
const mounts: string[] = []
const stops: Array<() => void> = []
afterEach(() => {
  while (stops.length > 0) stops.pop()!()
  while (mounts.length > 0) execFileSync('umount', ['-l', mounts.pop()!])
  while (repos.length > 0) repos.pop()!.cleanup()
})

function sampleRepo(xvYaml?: string, model = Buffer.alloc(4096, 7)): TestRepo {
  const repo = makeRepo({xvYaml})
  repos.push(repo)
  repo.write('models/production/model.bin', model)
  repo.write('train.py', 'print("train")\n')
  writeRuns(join(repo.root, 'results/experiments.db'), [{version: 'e0.1.0', model: 'bert', f1: 0.89, trackId: 'first'}])
  return repo
}

/** A tmpfs of SIZE mounted at DIR (we are root), unmounted after the test. */
function smallDisk(dir: string, size: string): string {
  mkdirSync(dir, {recursive: true})
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir])
  mounts.push(dir)
  return dir
}

const treeAt = (repo: TestRepo, rev: string) => repo.git('ls-tree', '-r', '--name-only', rev).split('\n').filter(Boolean)
const dvcObject = (repo: TestRepo, md5: string) => join(repo.root, '.dvc', 'cache', 'files', 'md5', md5.slice(0, 2), md5.slice(2))
const pointerMd5 = (text: string) => /md5: ([0-9a-f]{32})/.exec(text)![1]!

describe('A2: a SQLite result database in WAL mode', () => {
  it('a writer that exited without a checkpoint: its rows are in the tagged database; -wal/-shm never staged', async () => {
    const repo = sampleRepo()
    execFileSync(VENV_PYTHON, ['-c', `
import os, sqlite3
c = sqlite3.connect('results/experiments.db')
c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0')
c.execute("INSERT INTO metrics (track_id, version, model, f1) VALUES ('late', 'e0.1.0', 'bert', 0.99)")
c.commit()
os._exit(0)`], {cwd: repo.root})
    expect(existsSync(join(repo.root, 'results/experiments.db-wal'))).toBe(true)
    const res = await xv(repo.root, ['tag', 'e0.1.0', '-m', 'wal'])
    expect(res.exitCode, res.stderr).toBe(0)
    // Both runs are in what was tagged: the first one and the one still in the -wal file.
    expect(repo.git('tag', '-l', '--format=%(contents:subject)', 'e0.1.0')).toContain('runs=2')
    const files = treeAt(repo, 'e0.1.0')
    expect(files.filter((f) => /-(wal|shm|journal)$/.test(f))).toEqual([])
    expect(readFileSync(join(repo.root, '.gitignore'), 'utf8')).toContain('*.db-wal\n*.db-shm\n*.db-journal\n')
    // The database DVC stored at the tag holds the late row (the WAL was checkpointed before hashing).
    const md5 = pointerMd5(repo.git('show', 'e0.1.0:results/experiments.db.dvc'))
    const rows = execFileSync(VENV_PYTHON, ['-c', `
import sqlite3, sys
c = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro&immutable=1', uri=True)
print(c.execute("SELECT count(*) FROM metrics WHERE track_id = 'late'").fetchone()[0])`, dvcObject(repo, md5)], {encoding: 'utf8'})
    expect(rows.trim()).toBe('1')
    expect(repo.git('status', '--porcelain').trim()).toBe('')
  })

  it('a writer still open: refused in one line naming the process, nothing changed', async () => {
    const repo = sampleRepo()
    const writer = spawn(VENV_PYTHON, ['-c', `
import sqlite3, sys, time
c = sqlite3.connect('results/experiments.db')
c.execute('PRAGMA journal_mode=WAL')
c.execute("INSERT INTO metrics (track_id, version, f1) VALUES ('live', 'e0.1.0', 0.5)"); c.commit()
print('ready', flush=True); time.sleep(60)`], {cwd: repo.root, stdio: ['ignore', 'pipe', 'inherit']})
    stops.push(() => writer.kill('SIGKILL'))
    await new Promise<void>((resolve) => writer.stdout!.once('data', () => resolve()))
    const before = repoState(repo)
    const res = await xv(repo.root, ['tag', 'e0.1.0', '-m', 'open'])
    expect(res.exitCode).toBe(1)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(res.stderr.trim()).toMatch(new RegExp(`^xv: error: results/experiments\\.db is still open for writing by process ${writer.pid} \\(.*python.*\\); let it finish`))
    expect(repoState(repo)).toBe(before)
  })
})

describe('A10: xv tag never silently commits a large or binary file into git', () => {
  it('the model `xv get` wrote into the root is refused, naming the fix; ignored, it stays out of git', async () => {
    const repo = sampleRepo()
    expect((await xv(repo.root, ['tag', 'e0.1.0', '-m', 'base'])).exitCode).toBe(0)
    const got = await xv(repo.root, ['get', 'e0.1.0', 'models/production/model.bin'])
    expect(got.exitCode, got.stderr).toBe(0)
    expect(existsSync(join(repo.root, 'model.bin'))).toBe(true)
    const before = repoState(repo)
    for (const args of [['tag', '-m', 'next'], ['tag', '-m', 'next', '--dry-run']]) {
      const res = await xv(repo.root, args)
      expect(res.exitCode).toBe(2)
      expect(res.stderr.trim()).toBe(
        "xv: error: xv tag would commit model.bin into git (a binary data file); track it with DVC (add it to 'artifacts' in xv.yaml), list it in .gitignore, or delete it",
      )
      expect(repoState(repo)).toBe(before)
    }

    writeFileSync(join(repo.root, '.gitignore'), `${readFileSync(join(repo.root, '.gitignore'), 'utf8')}/model.bin\n`)
    const ok = await xv(repo.root, ['tag', '-m', 'next', '--json'])
    expect(ok.exitCode, ok.stderr).toBe(0)
    // Besides the tag's frozen summary files, only .gitignore: model.bin stays out of git.
    expect((JSON.parse(ok.stdout) as {staged: string[]}).staged.filter((f) => !f.startsWith('results/'))).toEqual(['.gitignore'])
    expect(treeAt(repo, 'e0.2.0')).not.toContain('model.bin')
  })

  it('models/candidates is DVC-tracked by default; a text file above maxGitFileSize is refused', async () => {
    const repo = sampleRepo()
    repo.write('models/candidates/c1.pt', Buffer.from([0, 1, 2, 3, 0, 9]))
    const res = await xv(repo.root, ['tag', 'e0.1.0', '--no-push'])
    expect(res.exitCode, res.stderr).toBe(0)
    const files = treeAt(repo, 'e0.1.0')
    expect(files).toContain('models/candidates.dvc')
    expect(files).not.toContain('models/candidates/c1.pt')

    writeFileSync(join(repo.root, 'xv.yaml'), 'maxGitFileSize: 1000\n')
    repo.write('notes/big.csv', 'a,b\n'.repeat(400))
    const before = repoState(repo)
    const big = await xv(repo.root, ['tag', '--no-push'])
    expect(big.exitCode).toBe(2)
    expect(big.stderr.trim()).toMatch(/^xv: error: xv tag would commit notes\/big\.csv into git \(0\.0 MB, above maxGitFileSize\); track it with DVC/)
    expect(repoState(repo)).toBe(before)
  })
})

describe('A11: artifacts and db that resolve outside the repository are refused', () => {
  it('an artifact symlinked outside, a folder symlinked outside, a db path climbing out', async () => {
    const repo = sampleRepo()
    const elsewhere = join(repo.base, 'elsewhere')
    mkdirSync(elsewhere)
    writeFileSync(join(elsewhere, 's.bin'), 'secret weights')
    repo.write('models/production/.keep', '')
    execFileSync('rm', [join(repo.root, 'models/production/model.bin')])
    symlinkSync(join(elsewhere, 's.bin'), join(repo.root, 'models/production/model.bin'))
    const before = repoState(repo)
    const res = await xv(repo.root, ['tag', 'e0.1.0'])
    expect(res.exitCode).toBe(2)
    expect(res.stderr.trim()).toBe(
      `xv: error: artifact 'models/production/model.bin' resolves outside the repository (${join(elsewhere, 's.bin')}); copy the file into the repository instead of linking to it`,
    )
    expect(repoState(repo)).toBe(before)
    expect(readdirSync(repo.dvcRemote)).toEqual([])

    writeFileSync(join(repo.root, 'xv.yaml'), 'artifacts: [data/train]\n')
    symlinkSync(elsewhere, join(repo.root, 'data'))
    const dir = await xv(repo.root, ['tag', 'e0.1.0'])
    expect(dir.exitCode).toBe(2)
    expect(dir.stderr).toContain(`artifact 'data/train' resolves outside the repository (${join(elsewhere, 'train')})`)

    writeFileSync(join(repo.root, 'xv.yaml'), 'db: ../../../etc/passwd\n')
    const db = await xv(repo.root, ['tag', 'e0.1.0'])
    expect(db.exitCode).toBe(1)
    expect(db.stderr.trim().split('\n')).toHaveLength(1)
    expect(db.stderr).toContain("xv.yaml: 'db' names ../../../etc/passwd, outside the repository; use a path inside it")
  })
})

describe('B4: a full disk', () => {
  it('checks free space for the cache and a local remote before changing anything: one line, nothing staged', async () => {
    const repo = sampleRepo(undefined, Buffer.alloc(6 * 1024 * 1024, 3))
    const cache = smallDisk(join(repo.base, 'small-cache'), '4m')
    repo.dvc('cache', 'dir', cache)
    repo.git('commit', '-qam', 'small cache')
    const before = repoState(repo)
    const res = await xv(repo.root, ['tag', 'e0.1.0'])
    expect(res.exitCode).toBe(1)
    expect(res.stderr.trim()).toMatch(/^xv: error: not enough free disk space for xv tag on .*small-cache: 6\.\d MB needed \(DVC cache\), 4\.0 MB free; free some space/)
    expect(repoState(repo)).toBe(before)

    repo.dvc('cache', 'dir', '--unset')
    const remote = smallDisk(join(repo.base, 'small-remote'), '4m')
    repo.dvc('remote', 'modify', 'storage', 'url', remote)
    repo.git('commit', '-qam', 'small remote')
    const before2 = repoState(repo)
    const push = await xv(repo.root, ['tag', 'e0.1.0'])
    expect(push.stderr.trim()).toMatch(/^xv: error: not enough free disk space for xv tag on .*small-remote: .*\(DVC remote 'storage'\)/)
    expect(repoState(repo)).toBe(before2)
    expect(readdirSync(remote)).toEqual([])
  })

  it('a commit that fails while the push runs beside it: push stopped, no partial object, nothing left staged', async () => {
    const repo = sampleRepo(undefined, Buffer.alloc(32 * 1024 * 1024, 5))
    const hook = join(repo.root, '.git', 'hooks', 'pre-commit')
    writeFileSync(hook, '#!/bin/sh\necho "no space left on device" >&2\nexit 1\n', {mode: 0o755})
    const before = repoState(repo)
    const res = await xv(repo.root, ['tag', 'e0.1.0'])
    expect(res.exitCode).toBe(1)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(res.stderr).toMatch(/^xv: error: git commit failed: no space left on device \(rolled back: staged files, dvc add/)
    expect(repoState(repo)).toBe(before)
    expect(readdirSync(repo.dvcRemote, {recursive: true}).filter((f) => String(f).endsWith('.tmp'))).toEqual([])
  })
})

describe('A3: xv tag publishes the branch with the tag', () => {
  it('a fresh clone of origin has the branch and the tag; the upstream is set; --no-push pushes nothing', async () => {
    const quiet = sampleRepo()
    expect((await xv(quiet.root, ['tag', 'e0.1.0', '--no-push'])).exitCode).toBe(0)
    expect(quiet.git('ls-remote', 'origin')).toBe('')

    const repo = sampleRepo()
    const res = await xv(repo.root, ['tag', 'e0.1.0', '-m', 'base', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(JSON.parse(res.stdout)).toMatchObject({gitPushed: 'origin', branchPushed: 'main', dvcPushed: true})
    expect(repo.git('rev-parse', '--abbrev-ref', 'main@{upstream}').trim()).toBe('origin/main')
    const clone = join(repo.base, 'clone')
    // `-b main`: a bare remote made by `git init --bare` keeps HEAD at master (see the report).
    execFileSync('git', ['clone', '-q', '-b', 'main', repo.gitRemote, clone])
    expect(execFileSync('git', ['log', '-1', '--format=%s'], {cwd: clone, encoding: 'utf8'}).trim()).toBe('experiment: e0.1.0 - base')
    const list = await xv(clone, ['list', '--json'])
    expect(list.exitCode, list.stderr).toBe(0)
    expect(list.stdout).toContain('e0.1.0')
  })
})
