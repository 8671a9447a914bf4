/**
 * Exit codes of every command: 0 ok (json-contract.test.ts), 1 failed, 2 usage error or refused
 * — each failure one `xv: error:` line on stderr and, under --json, the error object (validated
 * against error.schema.json) on stdout with the same code — and 130 when interrupted
 * (interrupt-matrix.test.ts). FAILURES holds one failing call of every command of the manifest.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeExperimentRepo} from '../helpers/experiment-repo.js'
import {KINDS, NO_JSON, commandOf, validate, withJson} from '../helpers/json-contract.js'
import {xv, type TestRepo} from '../helpers/repo.js'

let repo: TestRepo
let scratch: string
const failed = new Set<string>()

/** Error codes by exit code: 2 is a usage error or a refusal, 1 anything that failed. */
const CODES: Record<number, string[]> = {1: ['failed', 'not_found', 'tool_failed', 'conflict'], 2: ['usage', 'refused']}

/** Runs a call that must fail: one `xv: error:` line, the error object on stdout; returns the exit code. */
async function fails(args: string[], cwd: string): Promise<number> {
  const id = commandOf(args)
  if (id in KINDS) failed.add(id)
  const res = await xv(cwd, withJson(args))
  const where = `xv ${args.join(' ')}: ${res.stderr}`
  expect(res.stderr, where).toMatch(/^xv: error: \S/)
  expect(res.stderr.trim().split('\n'), where).toHaveLength(1)
  const doc = validate('error', res.stdout) as {error: {code: string; exitCode: number}}
  expect(CODES[res.exitCode], where).toContain(doc.error.code)
  expect(doc.error.exitCode, where).toBe(res.exitCode)
  return res.exitCode
}

beforeAll(async () => {
  repo = await makeExperimentRepo()
  scratch = mkdtempSync(join(tmpdir(), 'xv-exit-'))
})

afterAll(() => {
  repo?.cleanup()
  if (scratch) rmSync(scratch, {recursive: true, force: true})
})

/** A failing call of every command: ARGS, the exit code, and whether it runs outside a repository. */
const FAILURES: Array<[string[], number, boolean?]> = [
  [['show', 'e9.9.9'], 1],
  [['show'], 2],
  [['diff', 'e0.1.0'], 2],
  [['list', '--limit', '0'], 2],
  [['list', '--sort', 'nosuch'], 2],
  [['get', 'e0.1.0', 'no/such/file.txt'], 1],
  [['explore', 'e9.9.9'], 1],
  [['push', 'e9.9.9'], 1],
  [['merge', 'no-such.db'], 1],
  [['tag', 'e0.1.0', '-m', 'again'], 1],
  [['worktree', 'new', 'bad name'], 2],
  [['worktree', 'remove', 'nothere'], 1],
  [['worktree', 'list', 'extra'], 2],
  [['config', 'set', 'nokey', '1'], 2],
  [['config', 'set', 'push', 'maybe'], 2],
  [['init', '--bogus'], 2],
  [['status'], 1, true],
  [['lst'], 2],
  [['compare', 'e0.1.0'], 2],
  [['next', '--release', 'e0.9.0'], 1],
  [['next', '--bump', 'huge'], 2],
  [['doctor', '--bogus'], 2],
  [['gc', '--min-age', '-5'], 2],
  [['plot', 'nosuch'], 2],
  [['report', '--diff', 'e0.1.0'], 2],
  [['best', 'nosuch'], 1],
  [['lineage', 'nope', '--at', 'e0.1.0'], 1],
  [['run'], 2],
  [['runs', '--status', 'bogus'], 2],
  [['runs', 'show', 'nosuch'], 1],
  [['model', 'add-candidate', 'e9.9.9'], 1],
  [['model', 'assign', 'e0.1.0', 'bad stage!'], 2],
  [['model', 'unassign', 'e0.1.0', 'nostage'], 1],
  [['model', 'info', 'nosuch.bin'], 1],
  [['model', 'list', '--bogus'], 2],
  [['model', 'promote'], 2],
  [['model', 'prune'], 2],
  [['model', 'stages'], 1, true],
]

describe('exit codes: 1 failed, 2 usage or refused, error object on stdout', () => {
  it('each command fails with its documented code (every command of the manifest)', async () => {
    const got: string[] = []
    for (let i = 0; i < FAILURES.length; i += 4) {
      const batch = FAILURES.slice(i, i + 4)
      got.push(...(await Promise.all(batch.map(async ([args, , outside]) => `${args.join(' ')} → ${await fails(args, outside ? scratch : repo.root)}`))))
    }

    expect(got).toEqual(FAILURES.map(([args, code]) => `${args.join(' ')} → ${code}`))
    const complete = await xv(repo.root, ['__complete', '--setup', 'tcsh'])
    expect([complete.exitCode, complete.stderr.trim()]).toEqual([2, "xv: error: --setup: expected one of bash, zsh, fish, got 'tcsh'"])
    failed.add('__complete')
    expect([...failed].sort()).toEqual([...Object.keys(KINDS), ...Object.keys(NO_JSON)].sort())
  })
})

