import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {makeExperimentRepo} from '../helpers/experiment-repo.js'
import {makeRepo, repoState, tempDir, xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'

const cleanups: Array<() => void> = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!()
})

async function project(options = {}): Promise<TestRepo> {
  const repo = await makeExperimentRepo(options)
  cleanups.push(repo.cleanup)
  return repo
}

/** Refs, HEAD, status, worktree records and the folders next to the repo. */
function fullState(repo: TestRepo): string {
  return [repo.git('worktree', 'list', '--porcelain'), repoState(repo), readdirSync(repo.base).sort().join(' ')].join('\n===\n')
}

function cacheObject(repo: TestRepo, md5: string): string {
  return join(repo.root, '.dvc', 'cache', 'files', 'md5', md5.slice(0, 2), md5.slice(2))
}

function pointerMd5(root: string, pointer: string): string {
  return /md5: ([0-9a-f]+)/.exec(readFileSync(join(root, pointer), 'utf8'))![1]
}

function expectOneLineError(res: {exitCode: number; stderr: string; stdout: string}, text: string | RegExp): void {
  expect(res.exitCode).not.toBe(0)
  const lines = res.stderr.trim().split('\n')
  expect(lines, res.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^xv: error: /)
  if (typeof text === 'string') expect(lines[0]).toContain(text)
  else expect(lines[0]).toMatch(text)
}

describe('xv worktree new', () => {
  it('creates ../exp-NAME on exp/NAME sharing the cache by links, committed config untouched', async () => {
    const repo = await project()
    const committedConfig = readFileSync(join(repo.root, '.dvc', 'config'), 'utf8')
    const res = await xv(repo.root, ['worktree', 'new', 'transformer'])
    expect(res.exitCode, res.stderr).toBe(0)
    const wt = join(repo.base, 'exp-transformer')
    expect(res.stdout).toContain(wt)
    expect(res.stdout).toContain('Next steps')
    expect(repo.git('branch', '--list', 'exp/transformer').trim()).toContain('exp/transformer')
    expect(repo.git('-C', wt, 'symbolic-ref', '--short', 'HEAD').trim()).toBe('exp/transformer')

    const local = readFileSync(join(wt, '.dvc', 'config.local'), 'utf8')
    expect(local).toContain(`dir = ${join(repo.root, '.dvc', 'cache')}`)
    expect(local).toMatch(/type = (reflink|hardlink|symlink)/)
    expect(readFileSync(join(wt, '.dvc', 'config'), 'utf8')).toBe(committedConfig)
    expect(repo.git('-C', wt, 'status', '--porcelain')).toBe('')

    // Artifacts present. The model is a file an experiment writes: a private file, never a link into
    // the cache (issue 8, A1); data inputs are the cache objects themselves (hard links) — no copies.
    const md5 = pointerMd5(wt, 'models/production/model.bin.dvc')
    const model = join(wt, 'models', 'production', 'model.bin')
    expect(readFileSync(model)).toEqual(readFileSync(join(repo.root, 'models', 'production', 'model.bin')))
    expect(statSync(model).ino).not.toBe(statSync(cacheObject(repo, md5)).ino)
    if (local.includes('hardlink')) expect(statSync(join(wt, 'data', 'a.csv')).nlink).toBeGreaterThan(1)
    for (const f of ['a.csv', 'b.csv', 'c.csv']) expect(existsSync(join(wt, 'data', f))).toBe(true)
    // The result database is a private writable copy: a run can write it without touching the cache.
    const db = join(wt, 'results', 'experiments.db')
    const dbMd5 = pointerMd5(wt, 'results/experiments.db.dvc')
    expect(statSync(db).ino).not.toBe(statSync(cacheObject(repo, dbMd5)).ino)
    expect(statSync(db).mode & 0o200).toBe(0o200)

    const list = await xv(repo.root, ['worktree', 'list', '--json'])
    const entry = (JSON.parse(list.stdout) as {worktrees: Array<{name: string; dvc: {modified: string[]}}>}).worktrees.find((w) => w.name === 'transformer')!
    expect(entry.dvc.modified).toEqual([])
  })

  it("keeps main's local DVC settings: a relative local remote still points at the same folder", async () => {
    const repo = await project({dvcRemote: false})
    repo.dvc('remote', 'add', '--local', '-d', 'mine', '../mine-remote') // stored relative to .dvc/
    const res = await xv(repo.root, ['worktree', 'new', 'local'])
    expect(res.exitCode, res.stderr).toBe(0)
    const local = readFileSync(join(repo.base, 'exp-local', '.dvc', 'config.local'), 'utf8')
    expect(local).toContain(`url = ${join(repo.base, 'mine-remote')}`)
    const list = (JSON.parse((await xv(repo.root, ['worktree', 'list', '--json'])).stdout) as {worktrees: Array<{name: string; dvc: {remote: string}}>}).worktrees
    expect(list.find((w) => w.name === 'local')?.dvc.remote).toBe('mine')
  })

  it('--from a tag starts there', async () => {
    const repo = await project()
    repo.write('train.py', 'model = "v2"\n')
    repo.git('commit', '-q', '-am', 'v2')
    const res = await xv(repo.root, ['worktree', 'new', 'old', '--from', 'e0.1.0'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(readFileSync(join(repo.base, 'exp-old', 'train.py'), 'utf8')).toBe('model = "baseline"\n')
  })

  it('without DVC in the repository: a plain git worktree, and says so', async () => {
    const repo = makeRepo({dvc: false})
    cleanups.push(repo.cleanup)
    const res = await xv(repo.root, ['worktree', 'new', 'plain'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(res.stdout).toContain('plain git worktree')
    expect(existsSync(join(repo.base, 'exp-plain', 'README.md'))).toBe(true)
  })

  it('refuses every bad input with one line and changes nothing', async () => {
    const repo = await project()
    mkdirSync(join(repo.base, 'exp-taken'))
    repo.git('branch', 'exp/busy')
    const before = fullState(repo)
    const cases: Array<[string[], string | RegExp, Record<string, string>?]> = [
      [['a/b'], "contains '/'"],
      [['..'], "contains '..'"],
      [['a..b'], "contains '..'"],
      [['has space'], 'contains spaces'],
      [['--', '-x'], "starts with '-'"],
      [['x.lock'], 'not a valid git branch name'],
      [['taken'], 'already exists'],
      [['busy'], 'branch exp/busy already exists'],
      [['fine', '--from', 'nope'], '--from nope: no such branch, tag or commit'],
      [['fine', '--cache', join(repo.root, 'README.md', 'cache')], 'is not writable'],
      [['fine'], 'dvc is needed', {XV_DVC: '/nonexistent/dvc'}],
    ]
    for (const [args, message, env] of cases) {
      const res = await xv(repo.root, ['worktree', 'new', ...args], env)
      expectOneLineError(res, message)
      expect(fullState(repo), args.join(' ')).toBe(before)
    }

    const outside = tempDir()
    cleanups.push(() => rmSync(outside, {recursive: true, force: true}))
    expectOneLineError(await xv(outside, ['worktree', 'new', 'x']), 'not inside a git repository')
  })

  it('rolls back when a later step fails: no folder, no branch', async () => {
    const repo = await project()
    // The model object is lost from the shared cache and the remote: dvc checkout (and the
    // dvc pull xv then tries) fail after git worktree add.
    const md5 = pointerMd5(repo.root, 'models/production/model.bin.dvc')
    chmodSync(join(repo.root, '.dvc', 'cache', 'files', 'md5', md5.slice(0, 2)), 0o755)
    unlinkSync(cacheObject(repo, md5))
    unlinkSync(join(repo.dvcRemote, 'files', 'md5', md5.slice(0, 2), md5.slice(2)))
    const before = fullState(repo)
    const res = await xv(repo.root, ['worktree', 'new', 'broken'])
    // The one undo mechanism's wording: what was rolled back, in one line.
    expectOneLineError(res, /\(rolled back: worktree .*exp-broken, branch exp\/broken\)$/)
    expect(fullState(repo)).toBe(before)
    expect(existsSync(join(repo.base, 'exp-broken'))).toBe(false)
  })
})

describe('xv worktree list', () => {
  it('shows branch, changes, tags not on main and DVC state of every worktree', async () => {
    const repo = await project()
    expect((await xv(repo.root, ['worktree', 'new', 'cnn'])).exitCode).toBe(0)
    const wt = join(repo.base, 'exp-cnn')
    writeRuns(join(wt, 'results', 'experiments.db'), [{version: 'e0.2.0', trackId: 'cnn-1', model: 'cnn', f1: 0.8}])
    const tagged = await xv(wt, ['tag', 'e0.2.0', '-m', 'cnn', '--no-push'])
    expect(tagged.exitCode, tagged.stderr).toBe(0)
    // An output changed without dvc add, and an untracked file.
    const model = join(wt, 'models', 'production', 'model.bin')
    unlinkSync(model)
    writeFileSync(model, 'retrained')
    writeFileSync(join(wt, 'notes.txt'), 'todo')

    const res = await xv(repo.root, ['worktree', 'list', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    const list = (JSON.parse(res.stdout) as {worktrees: Array<{
      name: string; kind: string; path: string; branch: string; head: string; changes: number; tags: string[]
      dvc: {modified: string[]; notInRemote: number; unpushedOutputs: string[]}
    }>}).worktrees
    expect(list.map((w) => w.kind)).toEqual(['main', 'experiment'])
    const [main, cnn] = list
    expect(main.tags).toEqual(['e0.1.0'])
    expect(main.changes).toBe(0)
    expect(main.dvc.modified).toEqual([])
    expect(main.dvc.notInRemote).toBe(0)
    expect(cnn).toMatchObject({name: 'cnn', path: wt, branch: 'exp/cnn', changes: 1, tags: ['e0.2.0']})
    expect(cnn.head).toBe(repo.git('-C', wt, 'rev-parse', 'HEAD').trim())
    expect(cnn.dvc.modified).toEqual(['models/production/model.bin'])
    expect(cnn.dvc.notInRemote).toBeGreaterThan(0)
    expect(cnn.dvc.unpushedOutputs).toContain('results/experiments.db')

    const human = await xv(repo.root, ['worktree', 'list'])
    expect(human.stdout).toContain('exp/cnn')
    expect(human.stdout).toContain('1 modified')
  })
})

describe('xv worktree remove', () => {
  it('refuses listing every failing item, changes nothing, then removes once all is tagged and pushed', async () => {
    const repo = await project()
    expect((await xv(repo.root, ['worktree', 'new', 'cnn'])).exitCode).toBe(0)
    const wt = join(repo.base, 'exp-cnn')
    writeRuns(join(wt, 'results', 'experiments.db'), [{version: 'e0.2.0', trackId: 'cnn-1', model: 'cnn'}])
    writeFileSync(join(wt, 'train.py'), 'model = "cnn"\n')
    repo.git('-C', wt, 'commit', '-q', '-am', 'cnn code, not tagged yet')
    writeFileSync(join(wt, 'notes.txt'), 'todo')

    let before = fullState(repo)
    let res = await xv(repo.root, ['worktree', 'remove', 'cnn'])
    expect(res.exitCode).toBe(2)
    expect(res.stderr).toContain('✗ no uncommitted git changes: 1 changed file(s), e.g. notes.txt')
    expect(res.stderr).toContain('✗ no uncommitted DVC outputs: modified and not committed: results/experiments.db')
    expect(res.stderr).toContain('✗ last commit is tagged')
    expect(res.stderr).toContain('✓ DVC objects in remote')
    expect(res.stderr).toMatch(/xv: error: refusing to remove .*3 check\(s\) failed/)
    expect(fullState(repo)).toBe(before)

    expect((await xv(wt, ['tag', 'e0.2.0', '-m', 'cnn', '--no-push'])).exitCode).toBe(0)
    before = fullState(repo)
    res = await xv(repo.root, ['worktree', 'remove', 'cnn'])
    expect(res.exitCode).toBe(2)
    expect(res.stderr).toMatch(/✗ DVC objects in remote 'storage': not pushed: .*results\/experiments.db/)
    expect(res.stderr).not.toContain('✗ last commit is tagged')
    expect(fullState(repo)).toBe(before)

    const dry = await xv(repo.root, ['worktree', 'remove', 'cnn', '--dry-run'])
    expect(dry.exitCode).toBe(0)
    expect(dry.stdout).toContain('would refuse')
    expect(fullState(repo)).toBe(before)

    expect((await xv(wt, ['push'])).exitCode).toBe(0)
    res = await xv(repo.root, ['worktree', 'remove', 'cnn'])
    expect(res.exitCode, res.stderr).toBe(0)
    // Not merged into main's database: a warning, not a refusal.
    expect(res.stderr).toContain("results merged into main's database")
    expect(existsSync(wt)).toBe(false)
    expect(repo.git('branch', '--list', 'exp/cnn').trim()).toBe('')
    expect(repo.git('worktree', 'list', '--porcelain')).not.toContain('exp-cnn')
    expect(repo.git('tag', '--list', 'e0.2.0').trim()).toBe('e0.2.0')
  })

  it('--force removes despite failing checks', async () => {
    const repo = await project()
    expect((await xv(repo.root, ['worktree', 'new', 'scratch'])).exitCode).toBe(0)
    writeFileSync(join(repo.base, 'exp-scratch', 'junk.txt'), 'x')
    const res = await xv(repo.root, ['worktree', 'remove', 'scratch', '--force'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(existsSync(join(repo.base, 'exp-scratch'))).toBe(false)
    expect(repo.git('branch', '--list', 'exp/scratch').trim()).toBe('')
  })

  it('a worktree whose folder was deleted by hand: the branch is kept unless its commit is tagged', async () => {
    const repo = await project()
    expect((await xv(repo.root, ['worktree', 'new', 'gone'])).exitCode).toBe(0)
    const wt = join(repo.base, 'exp-gone')
    writeFileSync(join(wt, 'train.py'), 'model = "gone"\n')
    repo.git('-C', wt, 'commit', '-q', '-am', 'untagged work')
    rmSync(wt, {recursive: true, force: true})
    const refused = await xv(repo.root, ['worktree', 'remove', 'gone'])
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toContain('✗ last commit is tagged')
    expect(repo.git('branch', '--list', 'exp/gone').trim()).toContain('exp/gone')
    const forced = await xv(repo.root, ['worktree', 'remove', 'gone', '--force'])
    expect(forced.exitCode, forced.stderr).toBe(0)
    expect(repo.git('branch', '--list', 'exp/gone').trim()).toBe('')
    expect(repo.git('worktree', 'list', '--porcelain')).not.toContain('exp-gone')
  })

  it('without a DVC remote: objects in the shared cache suffice, with a warning', async () => {
    const repo = await project({dvcRemote: false, gitRemote: false})
    expect((await xv(repo.root, ['worktree', 'new', 'solo'])).exitCode).toBe(0)
    const res = await xv(repo.root, ['worktree', 'remove', 'solo'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(res.stderr).toContain('not backed up')
  })

  it('refuses an unknown name, the main worktree and a removal from inside, with one line', async () => {
    const repo = await project()
    expect((await xv(repo.root, ['worktree', 'new', 'here'])).exitCode).toBe(0)
    const before = fullState(repo)
    expectOneLineError(await xv(repo.root, ['worktree', 'remove', 'nope']), "no worktree named 'nope'; existing: here")
    expectOneLineError(await xv(repo.root, ['worktree', 'remove', 'main']), 'is the main worktree')
    expectOneLineError(await xv(join(repo.base, 'exp-here'), ['worktree', 'remove', 'here']), 'you are inside')
    expect(fullState(repo)).toBe(before)
  })
})
