/**
 * The whole parallel workflow on real git, DVC, xetrack and SQLite: two worktree experiments with
 * different code, each trains, tags and pushes; main merges the results, promotes the winner,
 * tags; both worktrees are removed — refused before their push, allowed after.
 */
import {copyFileSync, existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterEach, describe, expect, it} from 'vitest'

import {makeExperimentRepo} from '../helpers/experiment-repo.js'
import {python, xv, type TestRepo} from '../helpers/repo.js'
import {writeWithXetrack} from '../helpers/results-db.js'

const cleanups: Array<() => void> = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!()
})

const EXPERIMENTS = [
  {name: 'transformer', version: 'e0.2.0', f1: 0.91},
  {name: 'cnn', version: 'e0.3.0', f1: 0.84},
]

/** A tiny "training": the code decides the model; writes the result row (xetrack) and a model file. */
function train(worktree: string, version: string): void {
  const model = /model = "(\w+)"/.exec(readFileSync(join(worktree, 'train.py'), 'utf8'))![1]
  const f1 = EXPERIMENTS.find((e) => e.name === model)!.f1
  writeWithXetrack(worktree, join(worktree, 'results', 'experiments.db'), version, {model, f1, accuracy: f1 - 0.02})
  // Linked outputs are read-only: write a new file and rename it over the old one (see `xv worktree new`).
  python(worktree, `import os\nopen('models/production/model.tmp','wb').write(b'weights of ${model}' * 100)\nos.replace('models/production/model.tmp','models/production/model.bin')`)
}

/**
 * STAND-IN for `xv merge exp-transformer exp-cnn` (built in parallel): appends the runs
 * (by track_id) of each worktree's result database to main's, adding columns main lacks.
 */
describe('parallel experiments end to end', () => {
  it('two worktrees train, tag and push; main merges, promotes the winner and tags; worktrees removed safely', async () => {
    const repo = await makeExperimentRepo()
    cleanups.push(repo.cleanup)
    const paths: Record<string, string> = {}

    for (const e of EXPERIMENTS) {
      const made = await xv(repo.root, ['worktree', 'new', e.name])
      expect(made.exitCode, made.stderr).toBe(0)
      paths[e.name] = join(repo.base, `exp-${e.name}`)
    }

    for (const e of EXPERIMENTS) {
      const wt = paths[e.name]
      repo.write(join('..', `exp-${e.name}`, 'train.py'), `model = "${e.name}"\n`)
      train(wt, e.version)
      const tagged = await xv(wt, ['tag', e.version, '-m', e.name, '--no-push'])
      expect(tagged.exitCode, tagged.stderr).toBe(0)
      expect(repo.git('cat-file', '-p', e.version)).toContain(`model=${e.name}`)
    }

    // Before the push: refused, with the unpushed objects named; nothing removed.
    const refused = await xv(repo.root, ['worktree', 'remove', 'transformer'])
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toMatch(/✗ DVC objects in remote 'storage': not pushed: .*models\/production\/model.bin/)
    expect(refused.stderr).toContain('✓ last commit is tagged')
    expect(refused.stderr).toContain('✓ no uncommitted git changes')
    expect(refused.stderr).toContain("! results merged into main's database: 1 run(s)")
    expect(existsSync(paths.transformer)).toBe(true)

    for (const e of EXPERIMENTS) {
      const pushed = await xv(paths[e.name], ['push', e.version])
      expect(pushed.exitCode, pushed.stderr).toBe(0)
    }

    const listed = (JSON.parse((await xv(repo.root, ['worktree', 'list', '--json'])).stdout) as {worktrees: Array<{name: string; tags: string[]; dvc: {notInRemote: number}}>}).worktrees
    expect(listed.find((w) => w.name === 'transformer')).toMatchObject({tags: ['e0.2.0'], dvc: {notInRemote: 0}})
    expect(listed.find((w) => w.name === 'cnn')).toMatchObject({tags: ['e0.3.0'], dvc: {notInRemote: 0}})

    // Back on main: merge, promote the winner, tag.
    // Back on main: both worktrees' results in one atomic xv merge, by worktree name.
    const merged = await xv(repo.root, ['merge', ...EXPERIMENTS.map((e) => `exp-${e.name}`), '--json'])
    expect(merged.exitCode, merged.stderr).toBe(0)
    expect(JSON.parse(merged.stdout).sources.map((s: {kind: string}) => s.kind)).toEqual(['worktree', 'worktree'])
    const db = new Database(join(repo.root, 'results', 'experiments.db'), {readonly: true})
    const best = db.prepare("SELECT model, version FROM metrics WHERE version IN ('e0.2.0', 'e0.3.0') ORDER BY f1 DESC LIMIT 1").get() as {model: string; version: string}
    const runs = (db.prepare('SELECT COUNT(*) AS n FROM metrics').get() as {n: number}).n
    db.close()
    expect(best).toEqual({model: 'transformer', version: 'e0.2.0'})
    expect(runs).toBe(3)
    repo.dvc('unprotect', 'models/production/model.bin')
    copyFileSync(join(paths[best.model], 'models', 'production', 'model.bin'), join(repo.root, 'models', 'production', 'model.bin'))
    const promoted = await xv(repo.root, ['tag', 'e1.0.0', '-m', `promote ${best.model}`])
    expect(promoted.exitCode, promoted.stderr).toBe(0)
    expect(readFileSync(join(repo.root, 'models', 'production', 'model.bin'), 'utf8')).toContain('weights of transformer')

    // After the push and the merge: both removals pass every check, no merge warning.
    for (const e of EXPERIMENTS) {
      const removed = await xv(repo.root, ['worktree', 'remove', e.name])
      expect(removed.exitCode, removed.stderr).toBe(0)
      expect(removed.stderr).not.toContain("not in main's")
      expect(existsSync(paths[e.name])).toBe(false)
      expect(repo.git('branch', '--list', `exp/${e.name}`).trim()).toBe('')
    }

    // The history survives in the tags, on the remotes too.
    expect(repo.git('ls-remote', '--tags', 'origin')).toMatch(/e0\.2\.0[\s\S]*e0\.3\.0[\s\S]*e1\.0\.0/)
    expect(repo.git('show', 'e0.3.0:train.py')).toBe('model = "cnn"\n')
  })
})
