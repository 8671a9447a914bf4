/**
 * Command-line conventions: help everywhere (with examples), "did you mean" for commands and
 * flags, usage errors that keep their reason, `xv config` (validated, comments kept), `xv status`,
 * `--sort` on a text field, `explore --clean` refusing when it kept something, doctor --json exit.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeExperimentRepo} from '../helpers/experiment-repo.js'
import {manifestCommands} from '../helpers/json-contract.js'
import {makeRepo, repoState, xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'

/** Every command of oclif.manifest.json but the hidden `__complete` (the shells' protocol, answered before oclif loads). */
const COMMANDS = Object.entries(manifestCommands()).filter(([, c]) => !c.hidden).map(([id]) => id.replaceAll(':', ' ')).sort()

function oneError(res: {stderr: string; exitCode: number}, exitCode: number): string {
  expect(res.exitCode, res.stderr).toBe(exitCode)
  const lines = res.stderr.trim().split('\n')
  expect(lines, res.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^xv: error: /)
  return lines[0] ?? ''
}

describe('help, typos and usage errors', () => {
  let repo: TestRepo
  beforeAll(() => {
    repo = makeRepo({dvc: false, gitRemote: false})
    repo.git('tag', '-a', 'e0.1.0', '-m', 'model=cnn | f1=0.8 | first')
    repo.git('tag', '-a', 'e0.2.0', '-m', 'model=bert | f1=0.9 | second')
    repo.git('tag', '-a', 'e0.3.0', '-m', 'model=avg | f1=0.7 | third')
  })
  afterAll(() => repo.cleanup())

  it('every command of the manifest has --help with examples of itself (and --json)', async () => {
    const top = await xv(repo.root, ['--help'])
    expect(top.exitCode).toBe(0)
    for (const c of ['status', 'config', 'autocomplete', 'worktree', 'model']) expect(top.stdout).toContain(c)
    expect(COMMANDS.length).toBeGreaterThanOrEqual(33)
    const all = [...COMMANDS, 'autocomplete']
    for (let i = 0; i < all.length; i += 3) {
      await Promise.all(all.slice(i, i + 3).map(async (cmd) => {
        const res = await xv(repo.root, [...cmd.split(' '), '--help'])
        expect(res.exitCode, `${cmd}: ${res.stderr}`).toBe(0)
        const examples = res.stdout.split(/^EXAMPLES$/m)[1]?.split(/^[A-Z][A-Z ]+$/m)[0] ?? ''
        const lines = examples.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('$'))
        expect(lines.length, `${cmd} --help has examples`).toBeGreaterThan(0)
        for (const l of lines) expect(l.startsWith(`$ xv ${cmd} `) || l === `$ xv ${cmd}`, `${cmd}: ${l}`).toBe(true)
        if (cmd !== 'autocomplete') expect(res.stdout, cmd).toContain('--json')
      }))
    }
  })

  it('-h, --help and xv help CMD show the same help', async () => {
    for (const cmd of ['list', 'worktree new', 'model promote', 'config', 'autocomplete']) {
      const words = cmd.split(' ')
      const [short, long, viaHelp] = await Promise.all([xv(repo.root, [...words, '-h']), xv(repo.root, [...words, '--help']), xv(repo.root, ['help', ...words])])
      for (const r of [short, long, viaHelp]) expect(r.exitCode, `${cmd}: ${r.stderr}`).toBe(0)
      expect(short.stdout).toBe(long.stdout)
      expect(viaHelp.stdout).toBe(long.stdout)
    }
  })

  it('an unknown command or flag names the closest one; exit 2', async () => {
    expect(oneError(await xv(repo.root, ['lst']), 2)).toBe("xv: error: 'lst' is not an xv command; did you mean 'list'? (see: xv help)")
    expect(oneError(await xv(repo.root, ['worktree', 'remve', 'x']), 2)).toContain("did you mean 'worktree remove'?")
    expect(oneError(await xv(repo.root, ['list', '--lmit', '3']), 2)).toBe('xv: error: unknown flag --lmit (did you mean --limit?) (see: xv list --help)')
  })

  it('usage errors keep their reason and name the help to read; exit 2, repository unchanged', async () => {
    const before = repoState(repo)
    expect(oneError(await xv(repo.root, ['show']), 2)).toBe('xv: error: missing argument VERSION (see: xv show --help)')
    expect(oneError(await xv(repo.root, ['list', '--limit', 'abc']), 2)).toBe("xv: error: --limit: expected an integer ≥ 1, got 'abc' (see: xv list --help)")
    expect(oneError(await xv(repo.root, ['tag', '--bump', 'huge']), 2)).toBe("xv: error: --bump: expected one of major, minor, patch, got 'huge' (see: xv tag --help)")
    expect(oneError(await xv(repo.root, ['show', 'e0.1.0', 'e0.2.0']), 2)).toBe('xv: error: unexpected argument: e0.2.0 (see: xv show --help)')
    // (xv diff takes three or more versions: it compares them like xv compare)
    expect(oneError(await xv(repo.root, ['diff', 'e0.1.0', 'e0.2.0', 'e0.3.0', '--rows']), 2)).toContain('--rows compares two versions')
    expect(oneError(await xv(repo.root, ['worktree', 'list', 'extra']), 2)).toBe('xv: error: unexpected argument: extra (see: xv worktree list --help)')
    expect(repoState(repo)).toBe(before)
  })

  it('--sort on a text field sorts it as text; an unknown name is a usage error that says what it is', async () => {
    const res = await xv(repo.root, ['list', '--sort', 'model', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    const versions = (JSON.parse(res.stdout) as {experiments: Array<{version: string}>}).experiments.map((e) => e.version)
    expect(versions).toEqual(['e0.3.0', 'e0.2.0', 'e0.1.0']) // avg, bert, cnn
    const byF1 = JSON.parse((await xv(repo.root, ['list', '--sort', 'f1', '--json'])).stdout) as {experiments: Array<{version: string}>}
    expect(byF1.experiments.map((e) => e.version)).toEqual(['e0.2.0', 'e0.1.0', 'e0.3.0'])
    expect(oneError(await xv(repo.root, ['list', '--sort', 'colour']), 2)).toContain("cannot sort by 'colour': no such metric or tag field")
  })

  it('__complete lists versions, commands and flags', async () => {
    expect((await xv(repo.root, ['__complete', 'show', '--', 'e0.'])).stdout.split('\n').filter(Boolean).sort()).toEqual(['e0.1.0', 'e0.2.0', 'e0.3.0'])
    expect((await xv(repo.root, ['__complete', 'diff', 'e0.1.0', '--', 'e0.2'])).stdout.trim()).toBe('e0.2.0')
    expect((await xv(repo.root, ['__complete', '--', 'st'])).stdout.trim()).toBe('status')
    expect((await xv(repo.root, ['__complete', 'list', '--', '--l'])).stdout.trim()).toBe('--limit')
    expect((await xv(repo.root, ['__complete', '--setup', 'fish'])).stdout).toContain('complete -c xv')
    expect((await xv(repo.root, ['autocomplete', 'fish'])).stdout).toContain('xv __complete --setup fish | source')
  })
})

describe('xv config', () => {
  let repo: TestRepo
  const yaml = '# experiment settings\nprefix: e # tag prefix\n\n# where results live\ndb: results/experiments.db\n'
  beforeAll(() => {
    repo = makeRepo({dvc: false, gitRemote: false, xvYaml: yaml})
  })
  afterAll(() => repo.cleanup())
  const file = () => readFileSync(join(repo.root, 'xv.yaml'), 'utf8')

  it('get, set, unset and list; comments and layout are kept', async () => {
    expect((await xv(repo.root, ['config', 'get', 'prefix'])).stdout.trim()).toBe('e')
    expect((await xv(repo.root, ['config', 'worktreeDir'])).stdout.trim()).toBe('..') // the default
    expect((await xv(repo.root, ['config', 'set', 'remoteTimeout', '300'])).exitCode).toBe(0)
    expect((await xv(repo.root, ['config', 'model.name', 'churn-model'])).exitCode).toBe(0)
    expect((await xv(repo.root, ['config', 'set', 'metrics', '[f1, {name: latency, direction: lower}]'])).exitCode).toBe(0)
    const text = file()
    expect(text.startsWith(yaml)).toBe(true)
    expect(text).toContain('remoteTimeout: 300')
    expect(text).toMatch(/model:\n\s+name: churn-model/)
    const list = JSON.parse((await xv(repo.root, ['config', 'list', '--json'])).stdout) as {values: Array<{key: string; value: unknown; source: string}>}
    expect(list.values.find((v) => v.key === 'remoteTimeout')).toEqual({key: 'remoteTimeout', value: 300, source: 'file'})
    expect(list.values.find((v) => v.key === 'push')).toEqual({key: 'push', value: true, source: 'default'})
    expect((await xv(repo.root, ['config', 'unset', 'remoteTimeout'])).exitCode).toBe(0)
    expect(file()).not.toContain('remoteTimeout')
    expect(file()).toContain('# where results live')
  })

  it('refuses values the schema rejects and unknown keys; the file is unchanged', async () => {
    const before = file()
    expect(oneError(await xv(repo.root, ['config', 'set', 'push', 'sometimes']), 2)).toContain("'push' must be true or false")
    expect(oneError(await xv(repo.root, ['config', 'set', 'remoteTimeout', '-5']), 2)).toContain("'remoteTimeout' must be a positive number")
    expect(oneError(await xv(repo.root, ['config', 'set', 'colour', 'red']), 2)).toContain("unknown key 'colour'")
    expect(oneError(await xv(repo.root, ['config', 'model.name', 'Bad Name']), 2)).toContain('model.name')
    expect(file()).toBe(before)
  })
})

describe('xv status, explore --clean, doctor --json', () => {
  let repo: TestRepo
  beforeAll(async () => {
    repo = await makeExperimentRepo()
  })
  afterAll(() => repo.cleanup())

  it('status: version at HEAD, then changed artifacts, unmerged worktrees, interrupted claims, each with the next command', async () => {
    const clean = JSON.parse((await xv(repo.root, ['status', '--json'])).stdout) as Record<string, unknown> & {next: {command: string}}
    expect(clean.headTags).toEqual(['e0.1.0'])
    expect(clean.latest).toBe('e0.1.0')
    expect(clean.notPushed).toMatchObject({remote: 'origin', tags: []})
    expect(clean.next.command).toBe('xv worktree new NAME')
    const human = await xv(repo.root, ['status'])
    expect(human.stdout).toMatch(/HEAD [0-9a-f]{7} on main: e0\.1\.0/)
    expect(human.stdout).toContain('Next: xv worktree new NAME')

    const wt = JSON.parse((await xv(repo.root, ['worktree', 'new', 'cnn', '--json'])).stdout) as {path: string}
    writeRuns(join(wt.path, 'results', 'experiments.db'), [{version: 'e0.2.0', trackId: 'cnn-run', model: 'cnn', f1: 0.9}])
    let s = JSON.parse((await xv(repo.root, ['status', '--json'])).stdout) as {worktrees: Array<{name: string; unmergedRuns: number}>; next: {command: string}}
    expect(s.worktrees).toEqual([expect.objectContaining({name: 'cnn', branch: 'exp/cnn'})])
    expect(s.worktrees[0]?.unmergedRuns).toBeGreaterThan(0) // its run's rows (metrics and predictions) are not in main's
    expect(s.next.command).toBe('xv merge cnn')

    writeRuns(join(repo.root, 'results', 'experiments.db'), [{version: 'e0.2.0', trackId: 'main-run', f1: 0.5}])
    s = JSON.parse((await xv(repo.root, ['status', '--json'])).stdout) as typeof s & {artifacts: Array<{path: string; state: string}>}
    expect((s as unknown as {artifacts: unknown[]}).artifacts).toContainEqual({path: 'results/experiments.db', state: 'modified'})
    expect(s.next.command).toBe('xv tag -m "…"')

    const record = JSON.stringify({version: 'e0.9.0', worktree: repo.root, user: 'me', host: 'here', time: '2026-11-23T10:00:00Z', by: 'tag'})
    writeFileSync(join(repo.base, 'claim.json'), record)
    const oid = repo.git('hash-object', '-w', join(repo.base, 'claim.json')).trim()
    repo.git('update-ref', 'refs/xv/claims/e0.9.0', oid)
    const interrupted = JSON.parse((await xv(repo.root, ['status', '--json'])).stdout) as {interrupted: Array<{version: string}>; next: {command: string}}
    expect(interrupted.interrupted.map((c) => c.version)).toEqual(['e0.9.0'])
    expect(interrupted.next.command).toBe('xv tag e0.9.0')
    repo.git('update-ref', '-d', 'refs/xv/claims/e0.9.0')
  })

  it('explore --clean exits 2 when it kept a worktree with changes, 0 once forced', async () => {
    const made = JSON.parse((await xv(repo.root, ['explore', 'e0.1.0', '--json'])).stdout) as {path: string}
    writeFileSync(join(made.path, 'notes.txt'), 'local change\n')
    const kept = await xv(repo.root, ['explore', '--clean', '--json'])
    expect(kept.exitCode).toBe(2)
    expect((JSON.parse(kept.stdout) as {kept: unknown[]}).kept).toHaveLength(1)
    const forced = await xv(repo.root, ['explore', '--clean', '--force', '--json'])
    expect(forced.exitCode, forced.stderr).toBe(0)
  })

  it('doctor --json exits non-zero when a check fails, with the report on stdout', async () => {
    const outside = makeRepo({dvc: false, gitRemote: false, commit: false})
    try {
      const res = await xv(outside.root, ['doctor', '--json'])
      const doc = JSON.parse(res.stdout) as {ok: boolean; schemaVersion: number}
      expect(doc.schemaVersion).toBe(1)
      expect(doc.ok).toBe(false)
      expect(res.exitCode).toBe(1)
    } finally {
      outside.cleanup()
    }
  })
})
