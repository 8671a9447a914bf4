import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {makeRepo, repoState, tempDir, xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns, writeWithXetrack} from '../helpers/results-db.js'

const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()!.cleanup()
})

function sampleRepo(xvYaml?: string): TestRepo {
  const repo = makeRepo({xvYaml})
  repos.push(repo)
  repo.write('models/production/model.bin', Buffer.alloc(4096, 7))
  repo.write('train.py', 'print("train")\n')
  writeRuns(join(repo.root, 'results/experiments.db'), [{version: 'e0.1.0', model: 'bert-base', lr: 0.0001, f1: 0.89, accuracy: 0.91, loss: 0.3}])
  return repo
}

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0
  let n = 0
  for (const entry of readdirSync(dir, {withFileTypes: true, recursive: true})) if (entry.isFile()) n++
  return n
}

describe('xv tag', () => {
  it('does the whole after-a-run step: dvc add, commit, annotated tag with fields, dvc push, git push', async () => {
    const repo = sampleRepo()
    const res = await xv(repo.root, ['tag', 'e0.1.0', '-m', 'baseline'])
    expect(res.exitCode, res.stderr).toBe(0)

    expect(repo.git('log', '-1', '--format=%s').trim()).toBe('experiment: e0.1.0 - baseline')
    expect(repo.git('cat-file', '-t', 'e0.1.0').trim()).toBe('tag')
    const subject = repo.git('tag', '-l', '--format=%(contents:subject)', 'e0.1.0').trim()
    // The best run's metrics and params, runs=N; no data= (no data inputs: the model and database are artifacts).
    expect(subject).toMatch(/^model=bert-base \| accuracy=0\.9100 \| f1=0\.8900 \| loss=0\.3000 \| lr=0\.0001 \| runs=1 \| baseline$/)
    expect(subject).not.toMatch(/track_id|timestamp/)

    // The artifacts are DVC-tracked at the tag, committed, and the objects are in the remote.
    const files = repo.git('ls-tree', '-r', '--name-only', 'e0.1.0')
    expect(files).toContain('models/production/model.bin.dvc')
    expect(files).toContain('results/experiments.db.dvc')
    expect(files).toContain('train.py')
    expect(files).not.toContain('models/production/model.bin\n')
    expect(countFiles(repo.dvcRemote)).toBe(2)
    expect(repo.git('ls-remote', '--tags', 'origin')).toContain('refs/tags/e0.1.0')
    expect(repo.git('status', '--porcelain').trim()).toBe('')
  })

  it('picks the next version by --bump and names the next free one when a version is taken', async () => {
    const repo = sampleRepo()
    expect((await xv(repo.root, ['tag', 'e0.1.0', '--no-push'])).exitCode).toBe(0)
    writeRuns(join(repo.root, 'results/experiments.db'), [{version: 'e0.2.0', f1: 0.91}])
    const next = await xv(repo.root, ['tag', '-m', 'more data', '--no-push', '--json'])
    expect(next.exitCode, next.stderr).toBe(0)
    expect(JSON.parse(next.stdout).version).toBe('e0.2.0')
    expect(repo.git('tag', '-l', '--format=%(contents:subject)', 'e0.2.0')).toContain('f1=0.9100')
    const patch = await xv(repo.root, ['tag', '--bump', 'patch', '--no-push', '--json'])
    expect(JSON.parse(patch.stdout).version).toBe('e0.2.1')
    const major = await xv(repo.root, ['tag', '--bump', 'major', '--no-push', '--json'])
    expect(JSON.parse(major.stdout).version).toBe('e1.0.0')

    const before = repoState(repo)
    const taken = await xv(repo.root, ['tag', 'e0.1.0'])
    expect(taken.exitCode).not.toBe(0)
    expect(taken.stderr.trim().split('\n')).toHaveLength(1)
    expect(taken.stderr).toContain('tag e0.1.0 already exists; the next free version is e1.1.0 or e0.1.1')
    expect(repoState(repo)).toBe(before)
  })

  it('--dry-run prints the plan and the message and changes nothing', async () => {
    const repo = sampleRepo()
    const before = repoState(repo)
    const res = await xv(repo.root, ['tag', 'e0.1.0', '-m', 'baseline', '--dry-run'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(res.stdout).toContain('claim e0.1.0 (refs/xv/claims/e0.1.0, pushed create-only to origin)')
    expect(res.stdout).toContain('dvc add results/experiments.db models/production/model.bin')
    // The exact files git records, never "git add -A".
    expect(res.stdout).toContain(
      'git add -- train.py results/metrics.json results/params.yaml results/experiments.db.dvc results/.gitignore models/production/model.bin.dvc models/production/.gitignore .gitignore',
    )
    expect(res.stdout).not.toContain('git add -A')
    expect(res.stdout).toContain('git push --set-upstream origin main e0.1.0')
    expect(res.stdout).toContain('message: model=bert-base | accuracy=0.9100 | f1=0.8900')
    expect(repoState(repo)).toBe(before)
    expect(countFiles(repo.dvcRemote)).toBe(0)
  })

  it('reads databases written by the real xetrack tracker, configured metrics first', async () => {
    const repo = makeRepo({xvYaml: 'metrics: [bleu]\nartifacts: [results/experiments.db]\n'})
    repos.push(repo)
    writeWithXetrack(repo.root, 'results/experiments.db', 'e0.1.0', {model: 't5-small', accuracy: 0.8, bleu: 31.5})
    writeWithXetrack(repo.root, 'results/experiments.db', 'e0.1.0', {model: 't5-small', accuracy: 0.9, bleu: 32.5})
    const res = await xv(repo.root, ['tag', 'e0.1.0', '--no-push'])
    expect(res.exitCode, res.stderr).toBe(0)
    const subject = repo.git('tag', '-l', '--format=%(contents:subject)', 'e0.1.0').trim()
    // Two xetrack runs: the best one by the configured metric, never the mean.
    expect(subject).toMatch(/^bleu=32\.5000 \| model=t5-small \| accuracy=0\.9000 \| runs=2$/)
  })

  it('--no-commit tags HEAD as it is, --no-push keeps everything local', async () => {
    const repo = sampleRepo()
    const head = repo.git('rev-parse', 'HEAD').trim()
    const res = await xv(repo.root, ['tag', 'e0.1.0', '--no-commit', '--no-push'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(res.stderr).toContain('uncommitted changes are not part of the tag')
    expect(repo.git('rev-parse', 'e0.1.0^{commit}').trim()).toBe(head)
    expect(repo.git('ls-remote', '--tags', 'origin').trim()).toBe('')
  })

  it('keeps the tag when the DVC remote is unreachable and xv push finishes the job', async () => {
    const repo = sampleRepo()
    const blocker = join(repo.base, 'not-a-dir')
    writeFileSync(blocker, 'x')
    repo.dvc('remote', 'modify', 'storage', 'url', join(blocker, 'store'))
    const res = await xv(repo.root, ['tag', 'e0.1.0', '-m', 'baseline'])
    expect(res.exitCode).not.toBe(0)
    expect(res.stderr.trim().split('\n').filter((l) => l.startsWith('xv: error'))).toHaveLength(1)
    expect(res.stderr).toContain('tag e0.1.0 was created locally but publishing failed')
    expect(res.stderr).toContain('finish with: xv push e0.1.0')
    expect(repo.git('tag', '-l', 'e0.1.0').trim()).toBe('e0.1.0')
    expect(repo.git('ls-remote', '--tags', 'origin').trim()).toBe('')

    repo.dvc('remote', 'modify', 'storage', 'url', repo.dvcRemote)
    const push = await xv(repo.root, ['push', 'e0.1.0'])
    expect(push.exitCode, push.stderr).toBe(0)
    expect(countFiles(repo.dvcRemote)).toBe(2)
    expect(repo.git('ls-remote', '--tags', 'origin')).toContain('refs/tags/e0.1.0')
    const again = await xv(repo.root, ['push', '--json'])
    expect(again.exitCode, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout).versions).toEqual([])
  })
})

describe('xv tag refuses bad input with one line and an unchanged repo', () => {
  it.each([
    [['tag', '0.1'], 'not a version: "0.1"'],
    [['tag', 'e0.1'], 'not a version: "e0.1"'],
    [['tag', 'e1.2.3.4'], 'not a version: "e1.2.3.4"'],
    [['tag', '--', '-e0.1.0'], "starts with '-'"],
    [['tag', 'e0.1.0 final'], 'contains spaces'],
  ])('%j', async (args, message) => {
    const repo = sampleRepo()
    const before = repoState(repo)
    const res = await xv(repo.root, args)
    expect(res.exitCode).not.toBe(0)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(res.stderr).toContain(message)
    expect(res.stderr).not.toMatch(/\n\s+at /)
    expect(repoState(repo)).toBe(before)
  })

  it('outside a git repository, and in a repository with no commit', async () => {
    const outside = tempDir()
    const res = await xv(outside, ['tag', 'e0.1.0'])
    expect(res.exitCode).not.toBe(0)
    expect(res.stderr).toMatch(/^xv: error: not inside a git repository/)
    const list = await xv(outside, ['list'])
    expect(list.stderr).toMatch(/^xv: error: not inside a git repository/)

    const empty = makeRepo({commit: false})
    repos.push(empty)
    const none = await xv(empty.root, ['tag', 'e0.1.0'])
    expect(none.exitCode).not.toBe(0)
    expect(none.stderr.trim().split('\n')).toHaveLength(1)
    expect(none.stderr).toContain('has no commit yet')
  })

  it('a result database that is not SQLite', async () => {
    const repo = sampleRepo()
    writeFileSync(join(repo.root, 'results/experiments.db'), 'this is not a database, just text that is long enough '.repeat(5))
    const before = repoState(repo)
    const res = await xv(repo.root, ['tag', 'e0.1.0'])
    expect(res.exitCode).not.toBe(0)
    expect(res.stderr.trim()).toBe('xv: error: results/experiments.db is not an SQLite database (wrong file header)')
    expect(repoState(repo)).toBe(before)
  })

  it('a configured table or metric that does not exist names the ones that do', async () => {
    const repo = sampleRepo('table: runs\n')
    const before = repoState(repo)
    const res = await xv(repo.root, ['tag', 'e0.1.0'])
    expect(res.stderr.trim()).toBe("xv: error: table 'runs' not found in results/experiments.db; tables: metrics, predictions")
    expect(repoState(repo)).toBe(before)
    writeFileSync(join(repo.root, 'xv.yaml'), 'metrics: [bleu]\n')
    const metric = await xv(repo.root, ['tag', 'e0.1.0'])
    expect(metric.exitCode).not.toBe(0)
    expect(metric.stderr).toContain("metric column 'bleu' not found in table 'metrics'")
    expect(metric.stderr).toContain('columns: track_id, timestamp, version, model, learning_rate, accuracy, f1, loss')
    repo.git('checkout', '--', '.')
    expect(repoState(repo)).toBe(before)
  })

  it('dvc missing while artifacts are configured', async () => {
    const repo = sampleRepo()
    const before = repoState(repo)
    const res = await xv(repo.root, ['tag', 'e0.1.0'], {XV_DVC: '/nonexistent/dvc'})
    expect(res.exitCode).not.toBe(0)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(res.stderr).toContain('dvc is needed to track the configured artifacts')
    expect(res.stderr).toContain('scripts/install-dvc.sh')
    expect(repoState(repo)).toBe(before)
  })

  it('xv.yaml with an unknown key or a wrong type', async () => {
    const repo = sampleRepo('push: maybe\n')
    const before = repoState(repo)
    const res = await xv(repo.root, ['tag', 'e0.1.0'])
    expect(res.stderr.trim()).toMatch(/^xv: error: xv\.yaml: 'push' must be true or false/)
    writeFileSync(join(repo.root, 'xv.yaml'), 'colour: blue\n')
    const unknown = await xv(repo.root, ['list'])
    expect(unknown.exitCode).not.toBe(0)
    expect(unknown.stderr).toContain("xv.yaml: unknown key 'colour'")
    writeFileSync(join(repo.root, 'xv.yaml'), 'push: maybe\n')
    expect(repoState(repo)).toBe(before)
    expect(readFileSync(join(repo.root, 'xv.yaml'), 'utf8')).toBe('push: maybe\n')
  })
})
