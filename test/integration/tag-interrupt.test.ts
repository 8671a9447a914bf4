/**
 * B2/A5: an error, SIGINT or SIGTERM during `xv tag` leaves the repository as it was — no
 * experiment commit, nothing staged, no DVC pointer, no claim — and says in one line what was
 * rolled back. Real signals to the real xv process, at points held open by real git hooks.
 */
import {chmodSync, existsSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {execa} from 'execa'
import {afterEach, describe, expect, it} from 'vitest'

import {makeRepo, repoState, XV_BIN, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'

const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()!.cleanup()
})

function sampleRepo(): TestRepo {
  const repo = makeRepo()
  repos.push(repo)
  repo.write('models/production/model.bin', Buffer.alloc(64 * 1024, 7))
  repo.write('train.py', 'print("train")\n')
  writeRuns(join(repo.root, 'results/experiments.db'), [{version: 'e0.1.0', model: 'bert', f1: 0.89}])
  return repo
}

/** A git hook that marks that it started, then holds git there for a while. */
function holdingHook(repo: TestRepo, name: string): string {
  const mark = join(repo.base, `${name}.started`)
  const hook = join(repo.root, '.git', 'hooks', name)
  writeFileSync(hook, `#!/bin/sh\ntouch '${mark}'\nsleep 20\n`)
  chmodSync(hook, 0o755)
  return mark
}

async function until(what: string, ready: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (!ready()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Children of PID whose command line contains TEXT (read from /proc). */
function childWith(pid: number, text: string): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) return true
    } catch {
      // gone
    }
  }

  return false
}

/** Processes running xv's DVC driver (its script names XV-ADDED) in DIR. */
function driversIn(dir: string): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('XV-ADDED') && realpathSync(`/proc/${entry}/cwd`) === realpathSync(dir)) found.push(Number(entry))
    } catch {
      // gone
    }
  }

  return found
}

function startTag(repo: TestRepo, args: string[]) {
  return execa('node', [XV_BIN, 'tag', ...args], {cwd: repo.root, reject: false, env: {NO_COLOR: '1'}, stdin: 'ignore'})
}

const ownState = (repo: TestRepo) => repoState(repo).split('\n').filter((l) => !l.startsWith('refs/xv/remote-claims/')).join('\n')

describe('xv tag undoes itself on SIGINT, SIGTERM and errors', () => {
  it('SIGINT while DVC adds and pushes: pointers, .gitignore and claim rolled back', async () => {
    const repo = sampleRepo()
    // A model large enough that DVC is still copying and pushing well after its first object lands.
    repo.write('models/production/model.bin', Buffer.alloc(96 * 1024 * 1024, 7))
    const before = ownState(repo)
    const child = startTag(repo, ['e0.1.0', '-m', 'x'])
    // The DVC process starts early (it loads while xv checks); it is adding once objects reach the cache.
    await until('the DVC process', () => childWith(child.pid!, 'XV-ADDED'))
    await until('dvc add', () => existsSync(join(repo.root, '.dvc', 'cache', 'files')))
    child.kill('SIGINT')
    const res = await child
    expect(res.exitCode).toBe(130)
    expect(String(res.stderr).trim().split('\n').filter((l) => l.startsWith('xv: interrupted'))).toHaveLength(1)
    expect(res.stderr).toMatch(/xv: interrupted; rolled back: .*dvc add \(results\/experiments\.db, models\/production\/model\.bin\).*claim e0\.1\.0/)
    expect(ownState(repo)).toBe(before)
    expect(repo.git('ls-remote', 'origin')).toBe('')
    expect(readdirSync(repo.dvcRemote, {recursive: true}).filter((f) => String(f).endsWith('.tmp'))).toEqual([])
  })

  it('DVC starts loading while xv checks; a tag that has nothing to add or is refused leaves no DVC process behind', async () => {
    // Artifacts configured but none written: the tag is made, DVC is never given a step.
    const repo = makeRepo()
    repos.push(repo)
    repo.write('train.py', 'print("train")\n')
    // The pre-commit hook holds xv at its commit until the test lets it go.
    const mark = join(repo.base, 'pre-commit.started')
    const release = join(repo.base, 'pre-commit.release')
    writeFileSync(join(repo.root, '.git', 'hooks', 'pre-commit'), `#!/bin/sh\ntouch '${mark}'\nwhile [ ! -e '${release}' ]; do sleep 0.05; done\n`)
    chmodSync(join(repo.root, '.git', 'hooks', 'pre-commit'), 0o755)
    const child = startTag(repo, ['e0.1.0', '--no-push', '-m', 'x'])
    await until('the pre-commit hook', () => existsSync(mark))
    // DVC was started before xv knew it had nothing to add, and waits for a step that never comes.
    await until('the early DVC process', () => childWith(child.pid!, 'XV-ADDED'), 30_000)
    writeFileSync(release, '')
    const res = await child
    expect(res.exitCode, res.stderr).toBe(0)
    expect(res.stderr).toContain('configured artifacts not found')
    expect(repo.git('tag', '-l')).toContain('e0.1.0')
    await until('the DVC process to end', () => driversIn(repo.root).length === 0)

    // Refused by the checks: one line, nothing changed, nothing left running.
    const taken = sampleRepo()
    taken.git('tag', '-a', 'e0.1.0', '-m', 'taken')
    const before = ownState(taken)
    const refused = await startTag(taken, ['e0.1.0', '-m', 'x'])
    expect(refused.exitCode).not.toBe(0)
    expect(String(refused.stderr).trim().split('\n')).toHaveLength(1)
    expect(ownState(taken)).toBe(before)
    await until('the DVC process to end', () => driversIn(taken.root).length === 0)
  })

  it('SIGINT before the commit (pre-commit hook running): the index is restored as it was', async () => {
    const repo = sampleRepo()
    repo.write('notes.txt', 'staged by the user\n')
    repo.git('add', 'notes.txt')
    const before = ownState(repo)
    const mark = holdingHook(repo, 'pre-commit')
    const child = startTag(repo, ['e0.1.0', '-m', 'x'])
    await until('the pre-commit hook', () => existsSync(mark))
    child.kill('SIGINT')
    const res = await child
    expect(res.exitCode).toBe(130)
    expect(res.stderr).toMatch(/^xv: interrupted; rolled back: .*staged files/m)
    expect(ownState(repo)).toBe(before)
    expect(repo.git('diff', '--cached', '--name-only').trim()).toBe('notes.txt')
    expect(existsSync(join(repo.root, '.git', 'index.lock'))).toBe(false)
  })

  it.each(['SIGINT', 'SIGTERM'] as const)('%s after the commit (post-commit hook running): the commit is undone', async (signal) => {
    const repo = sampleRepo()
    const before = ownState(repo)
    const head = repo.git('rev-parse', 'HEAD')
    const mark = holdingHook(repo, 'post-commit')
    const child = startTag(repo, ['e0.1.0', '-m', 'x'])
    await until('the post-commit hook', () => existsSync(mark))
    expect(repo.git('log', '-1', '--format=%s').trim()).toBe('experiment: e0.1.0 - x') // the commit was made
    child.kill(signal)
    const res = await child
    expect(res.exitCode).toBe(130)
    expect(String(res.stderr).trim().split('\n')).toHaveLength(1)
    // One line naming every step undone, newest first (the frozen summary files among them).
    const line = String(res.stderr).trim()
    expect(line).toMatch(/^xv: interrupted; rolled back: commit, /)
    for (const step of ['staged files', 'dvc add (', '.gitignore', 'claim e0.1.0 on origin', 'claim e0.1.0']) expect(line).toContain(step)
    expect(repo.git('rev-parse', 'HEAD')).toBe(head)
    expect(ownState(repo)).toBe(before)
    expect(repo.git('ls-remote', 'origin')).toBe('')
  })

  it('an error after the commit (the tag cannot be written): rolled back, one line', async () => {
    const repo = sampleRepo()
    const before = ownState(repo)
    const lock = join(repo.root, '.git', 'refs', 'tags', 'e0.1.0.lock')
    writeFileSync(lock, '')
    const res = await startTag(repo, ['e0.1.0', '-m', 'x'])
    rmSync(lock)
    expect(res.exitCode).toBe(1)
    expect(String(res.stderr).trim().split('\n')).toHaveLength(1)
    expect(res.stderr).toMatch(/^xv: error: git tag failed: .*\(rolled back: tag e0\.1\.0, commit, staged files, dvc add .*claim e0\.1\.0\)$/)
    expect(ownState(repo)).toBe(before)
    expect(repo.git('log', '--format=%s').split('\n')).not.toContain('experiment: e0.1.0 - x')
  })
})

describe('untaggedExperimentCommit (for xv doctor)', () => {
  it('finds the untagged experiment commit only a kill -9 leaves, and nothing otherwise', async () => {
    const {RepoContext} = await import('../../src/context.js')
    const {untaggedExperimentCommit} = await import('../../src/domain/tag-undo.js')
    const repo = sampleRepo()
    expect(await untaggedExperimentCommit(await RepoContext.open(repo.root))).toBeUndefined()
    const mark = holdingHook(repo, 'post-commit')
    const child = startTag(repo, ['e0.1.0', '-m', 'x', '--no-push'])
    await until('the post-commit hook', () => existsSync(mark))
    child.kill('SIGKILL')
    await child
    const found = await untaggedExperimentCommit(await RepoContext.open(repo.root))
    expect(found).toEqual({commit: repo.git('rev-parse', 'HEAD').trim(), subject: 'experiment: e0.1.0 - x', version: 'e0.1.0'})
  })
})
