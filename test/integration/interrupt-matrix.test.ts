/**
 * Exit code 130 for every command that changes something over several steps: each is started for
 * real, held inside one of its git steps by a real git hook (post-commit, post-checkout, pre-push)
 * or inside the user's command (`xv run`), and sent SIGINT — to its whole process group (xv, git, the
 * hook), as Ctrl-C in a terminal does. Each exits 130 with at most one line on stderr (`xv: interrupted…`; `xv run`
 * says the run was cancelled after the command's own output), and the
 * commands that roll back leave the repository as it was. Read-only commands keep Node's default
 * Ctrl-C (the shell sees 130 as well); long copies (`xv get`) are covered in terminal.test.ts and
 * get-faults.test.ts.
 */
import {spawn} from 'node:child_process'
import {chmodSync, existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeExperimentRepo} from '../helpers/experiment-repo.js'
import {XV_BIN, copyRepo, repoState, type TestRepo} from '../helpers/repo.js'
import {TRAIN_PY} from '../helpers/runs-repo.js'

let fixture: TestRepo
const copies: TestRepo[] = []

beforeAll(async () => {
  fixture = await makeExperimentRepo()
  fixture.write('train.py', TRAIN_PY)
  fixture.git('add', 'train.py')
  fixture.git('commit', '-q', '-m', 'training script')
}, 120_000)

afterAll(() => {
  fixture?.cleanup()
  for (const c of copies) c.cleanup()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Where a command is held: a git hook that marks that it started and then waits, or the user's command printing 'ready'. */
type Hold = 'pre-commit' | 'post-commit' | 'post-checkout' | 'pre-push' | 'ready'

interface Row {
  args: string[]
  hold: Hold
  /** The repository is as it was afterwards (claims mirrored from the remote aside). */
  rollsBack: boolean
  env?: Record<string, string>
}

/** Starts xv ARGS in a copy of the fixture (its own process group), waits for HOLD, sends SIGINT to the group; returns the exit code (128+n when killed by signal n). */
async function interrupt(repo: TestRepo, row: Row): Promise<{code: number; stderr: string}> {
  const mark = join(repo.base, 'held')
  if (row.hold !== 'ready') {
    const hook = join(repo.root, '.git', 'hooks', row.hold)
    writeFileSync(hook, `#!/bin/sh\ntouch '${mark}'\nsleep 8\n`)
    chmodSync(hook, 0o755)
  }

  const child = spawn('node', [XV_BIN, ...row.args], {cwd: repo.root, env: {...process.env, NO_COLOR: '1', ...row.env}, stdio: ['ignore', 'pipe', 'pipe'], detached: true})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => child.on('exit', (code, signal) => resolve({code, signal})))
  const started = Date.now()
  while (!(row.hold === 'ready' ? stdout.includes('ready') : existsSync(mark))) {
    if (child.exitCode !== null) throw new Error(`xv ${row.args.join(' ')} ended before ${row.hold}: ${stderr}`)
    if (Date.now() - started > 60_000) throw new Error(`xv ${row.args.join(' ')}: ${row.hold} never reached`)
    await sleep(10)
  }

  process.kill(-(child.pid ?? 0), 'SIGINT') // the whole process group, as Ctrl-C in a terminal
  const {code, signal} = await exited
  return {code: code ?? (signal === 'SIGINT' ? 130 : 1), stderr}
}

const ROWS: Row[] = [
  {args: ['tag', 'e0.2.0', '-m', 'x', '--no-push'], hold: 'post-commit', rollsBack: true},
  // (models: once the commit is made the change is complete and a late Ctrl-C undoes nothing — by design)
  {args: ['model', 'add-candidate', 'e0.1.0'], hold: 'pre-commit', rollsBack: true},
  {args: ['model', 'assign', 'e0.1.0', 'prod'], hold: 'pre-push', rollsBack: false},
  {args: ['worktree', 'new', 'cnn'], hold: 'post-checkout', rollsBack: true},
  {args: ['explore', 'e0.1.0'], hold: 'post-checkout', rollsBack: true},
  {args: ['push'], hold: 'pre-push', rollsBack: false},
  {args: ['run', '--', 'python', 'train.py'], hold: 'ready', rollsBack: false, env: {SLEEP: '30'}},
]

const ownState = (repo: TestRepo) => repoState(repo).split('\n').filter((l) => !l.startsWith('refs/xv/remote-claims/')).join('\n')

describe('SIGINT mid-way: exit 130, one line, rolled back', () => {
  it.each(ROWS.map((r) => [r.args.join(' '), r] as const))('xv %s', async (_name, row) => {
    const repo = copyRepo(fixture)
    copies.push(repo)
    if (row.args[0] === 'push') repo.git('tag', '-a', 'e0.1.1', '-m', 'local only') // something to push
    const before = ownState(repo)
    const {code, stderr} = await interrupt(repo, row)
    expect(code, stderr).toBe(130)
    // xv run passes the user's command's output through; xv's own lines are the last.
    const lines = stderr.trim().split('\n').filter(Boolean)
    if (row.hold === 'ready') expect(stderr).toMatch(/^■ run \S+ \S+ cancelled after/m)
    else {
      expect(lines.length, stderr).toBeLessThanOrEqual(1)
      if (lines.length === 1) expect(lines[0]).toMatch(/^xv: interrupted/)
    }

    if (row.rollsBack) expect(ownState(repo)).toBe(before)
  })
})
