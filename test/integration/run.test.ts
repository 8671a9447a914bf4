import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {gunzipSync} from 'node:zlib'
import Database from 'better-sqlite3'
import {execa} from 'execa'
import {afterEach, describe, expect, it} from 'vitest'

import {XV_BIN, repoState, xv, type TestRepo} from '../helpers/repo.js'
import {makeRunsRepo} from '../helpers/runs-repo.js'

const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()!.cleanup()
})

function runsIn(root: string): Array<Record<string, unknown>> {
  const db = new Database(join(root, 'results/experiments.db'), {readonly: true})
  try {
    return db.prepare('SELECT * FROM xv_runs ORDER BY created_at').all() as Array<Record<string, unknown>>
  } finally {
    db.close()
  }
}

describe('xv next', () => {
  it('prints, claims and releases the next free version; release refused while rows carry it', async () => {
    const repo = makeRunsRepo()
    repos.push(repo)
    expect((await xv(repo.root, ['next'])).stdout.trim()).toBe('e0.1.0')
    const claimed = JSON.parse((await xv(repo.root, ['next', '--claim', '--json'])).stdout)
    expect(claimed).toMatchObject({version: 'e0.1.0', claimed: true})
    expect(repo.git('for-each-ref', 'refs/xv/claims/')).toContain('refs/xv/claims/e0.1.0')
    expect(repo.git('ls-remote', 'origin', 'refs/xv/claims/*')).toContain('refs/xv/claims/e0.1.0') // shared with other clones
    expect((await xv(repo.root, ['next'])).stdout.trim()).toBe('e0.2.0')
    expect((await xv(repo.root, ['next', '--bump', 'major'])).stdout.trim()).toBe('e1.0.0')

    // xv run uses this worktree's open claim.
    const run = await xv(repo.root, ['run', '--json', '--', 'python', 'train.py'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({version: 'e0.1.0', status: 'completed'})

    const before = repoState(repo)
    const refused = await xv(repo.root, ['next', '--release', 'e0.1.0'])
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr.trim().split('\n')).toHaveLength(1)
    expect(refused.stderr).toMatch(/^xv: error: 1 row\(s\) of results\/experiments.db are labelled e0.1.0/)
    expect(repoState(repo)).toBe(before)

    await xv(repo.root, ['next', '--claim'])
    const released = await xv(repo.root, ['next', '--release', 'e0.2.0'])
    expect(released.exitCode, released.stderr).toBe(0)
    expect(repo.git('for-each-ref', 'refs/xv/claims/')).not.toContain('e0.2.0')
    expect(repo.git('ls-remote', 'origin', 'refs/xv/claims/*')).not.toContain('e0.2.0')
    const unknown = await xv(repo.root, ['next', '--release', 'e0.9.0'])
    expect(unknown.exitCode).toBe(1)
    expect(unknown.stderr.trim()).toBe("xv: error: e0.9.0 is not claimed; nothing to release (claims: 'xv next')")
  })
})

describe('xv run', () => {
  it('records a run with provenance, inputs, log; a failing command is failed with its exit code and never tagged', async () => {
    const repo = makeRunsRepo()
    repos.push(repo)
    const ok = await xv(repo.root, ['run', '--seed', '7', '--name', 'first', '--json', '--', 'python', 'train.py', '0.001', '0.8'])
    expect(ok.exitCode, ok.stderr).toBe(0)
    const report = JSON.parse(ok.stdout)
    expect(report).toMatchObject({version: 'e0.1.0', status: 'completed', exitCode: 0})
    const [rec] = runsIn(repo.root)
    expect(rec).toMatchObject({run_id: report.runId, version: 'e0.1.0', status: 'completed', exit_code: 0, seed: '7', name: 'first', dirty: 0})
    expect(rec!.commit_sha).toBe(repo.git('rev-parse', 'HEAD').trim())
    expect(rec!.dvc_version).toMatch(/^3\.\d+/)
    expect(rec!.python_version).toMatch(/^3\.\d+/)
    expect(String(rec!.pip_freeze)).toMatch(/xetrack==/)
    expect(rec!.node_version).toBe(process.version)
    const log = gunzipSync(readFileSync(join(repo.root, String(rec!.log_path)))).toString()
    expect(log).toContain('trained e0.1.0')
    const shown = JSON.parse((await xv(repo.root, ['runs', 'show', report.runId, '--json'])).stdout)
    expect(shown.inputs).toEqual([{run_id: report.runId, role: 'input', path: 'data', md5: expect.stringMatching(/\.dir$/)}])
    expect(shown.rows).toHaveLength(1)
    expect(shown.rows[0]).toMatchObject({track_id: report.runId, version: 'e0.1.0', f1: 0.8})

    const tagsBefore = repo.git('tag')
    const bad = await xv(repo.root, ['run', '--tag', '-m', 'nope', '--json', '--', 'python', 'train.py'], {FAIL: '3'})
    expect(bad.exitCode).toBe(3)
    expect(JSON.parse(bad.stdout)).toMatchObject({status: 'failed', exitCode: 3, version: 'e0.1.0'})
    expect(bad.stderr).toContain('diverged: loss is nan') // passed through live
    const failed = runsIn(repo.root)[1]!
    expect(failed).toMatchObject({status: 'failed', exit_code: 3})
    expect(String(failed.error_tail)).toContain('diverged: loss is nan')
    expect(repo.git('tag')).toBe(tagsBefore)
    expect(repo.git('for-each-ref', 'refs/xv/claims/')).toContain('e0.1.0') // kept until re-run or released

    const listed = JSON.parse((await xv(repo.root, ['runs', '--status', 'failed', '--json'])).stdout)
    expect(listed.runs.map((r: {run_id: string}) => r.run_id)).toEqual([failed.run_id])

    const rerun = await xv(repo.root, ['run', '--rerun', String(failed.run_id), '--json'])
    expect(rerun.exitCode, rerun.stderr).toBe(0)
    expect(JSON.parse(rerun.stdout)).toMatchObject({status: 'completed', version: 'e0.1.0', rerunOf: failed.run_id})
  })

  it('passes Ctrl-C to the command and records the run cancelled', async () => {
    const repo = makeRunsRepo()
    repos.push(repo)
    const child = execa('node', [XV_BIN, 'run', '--', 'python', 'train.py'], {cwd: repo.root, reject: false, env: {NO_COLOR: '1', SLEEP: '30'}})
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve()
      })
    })
    child.kill('SIGINT')
    const res = await child
    expect(res.exitCode).toBe(130)
    const [rec] = runsIn(repo.root)
    expect(rec).toMatchObject({status: 'cancelled', signal: 'SIGINT'})
    expect(String(res.stderr)).toMatch(/cancelled/)
    expect(Number(rec!.duration_s)).toBeLessThan(20)
    expect(repo.git('for-each-ref', 'refs/xv/claims/')).toContain(`refs/xv/claims/${String(rec!.version)}`) // kept until re-run or released
  })

  it('two worktrees running at once get different versions; their rows and tags agree', async () => {
    const repo = makeRunsRepo()
    repos.push(repo)
    const other = join(repo.base, 'wt2')
    repo.git('worktree', 'add', '-q', '-b', 'exp2', other)
    const [a, b] = await Promise.all([
      xv(repo.root, ['run', '--tag', '--no-push', '-m', 'from main', '--json', '--', 'python', 'train.py', '0.001', '0.81']),
      xv(other, ['run', '--tag', '--no-push', '-m', 'from wt2', '--json', '--', 'python', 'train.py', '0.01', '0.62']),
    ])
    expect(a.exitCode, a.stderr).toBe(0)
    expect(b.exitCode, b.stderr).toBe(0)
    const ra = JSON.parse(a.stdout)
    const rb = JSON.parse(b.stdout)
    expect(new Set([ra.version, rb.version])).toEqual(new Set(['e0.1.0', 'e0.2.0']))
    for (const [root, r, f1] of [[repo.root, ra, '0.8100'], [other, rb, '0.6200']] as const) {
      const rows = runsIn(root)
      expect(rows.map((x) => x.version)).toEqual([r.version])
      const message = execFileSync('git', ['tag', '-l', '--format=%(contents:subject)', r.version], {cwd: root, encoding: 'utf8'})
      expect(message).toContain(`f1=${f1}`)
      expect(message).toContain('runs=1')
      const summary = JSON.parse(execFileSync('git', ['show', `${r.version}:results/metrics.json`], {cwd: root, encoding: 'utf8'}))
      expect(summary).toMatchObject({version: r.version, runs: 1, best: {run: r.runId}})
    }

    // The runs that used the data this version used.
    const used = JSON.parse((await xv(repo.root, ['runs', '--input', `data@${ra.version}`, '--json'])).stdout)
    expect(used.runs.map((x: {run_id: string}) => x.run_id)).toEqual([ra.runId])
  })

  it('bad input gets one line and changes nothing', async () => {
    const repo = makeRunsRepo()
    repos.push(repo)
    const other = join(repo.base, 'wt2')
    repo.git('worktree', 'add', '-q', '-b', 'exp2', other)
    expect((await xv(other, ['next', '--claim'])).exitCode).toBe(0) // e0.1.0 claimed by wt2
    const before = repoState(repo)
    const cases: Array<[string[], RegExp]> = [
      [['run'], /^xv: error: no command to run; give it after '--'/],
      [['run', '--'], /^xv: error: no command to run/],
      [['run', '--version', 'e0.1.0', '--', 'python', 'train.py'], /^xv: error: e0\.1\.0 is claimed by .*use another version/],
      [['run', '--rerun', 'r-nope'], /^xv: error: no run 'r-nope' in results\/experiments.db/],
      [['runs', 'show', 'r-nope'], /^xv: error: no run 'r-nope'/],
      [['best', 'f1'], /^xv: error: result database results\/experiments.db does not exist/],
    ]
    for (const [args, re] of cases) {
      const res = await xv(repo.root, args)
      expect(res.exitCode, args.join(' ')).not.toBe(0)
      const lines = res.stderr.trim().split('\n')
      expect(lines, args.join(' ')).toHaveLength(1)
      expect(lines[0], args.join(' ')).toMatch(re)
    }

    expect(repoState(repo)).toBe(before)
    expect(existsSync(join(repo.root, 'results/experiments.db'))).toBe(false)
    // With rows: an unknown metric is one line too.
    expect((await xv(repo.root, ['run', '--', 'python', 'train.py'])).exitCode).toBe(0)
    const unknown = await xv(repo.root, ['best', 'bleu'])
    expect(unknown.stderr.trim()).toBe("xv: error: unknown metric 'bleu' in table 'metrics' of results/experiments.db; metrics: f1, loss")
  })
})
