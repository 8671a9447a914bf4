/**
 * Flags no other test file exercises (test/unit/flag-coverage.test.ts lists them): plot --force,
 * report --versions/--by/--title/--force, gc --min-age, init --cache. Real git + DVC.
 */
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeRepo, xv, type TestRepo} from '../helpers/repo.js'
import {tagVersions} from '../helpers/results-fixtures.js'

let repo: TestRepo
beforeAll(() => {
  repo = makeRepo({xvYaml: 'metrics: [f1]\n'})
  tagVersions(repo, [
    {version: 'e0.1.0', metrics: {f1: 0.6}, params: {lr: 0.1}, date: '2026-01-01T00:00:00Z'},
    {version: 'e0.2.0', metrics: {f1: 0.7}, params: {lr: 0.01}, date: '2026-02-01T00:00:00Z'},
    {version: 'e0.3.0', metrics: {f1: 0.8}, params: {lr: 0.001}, date: '2026-03-01T00:00:00Z'},
  ])
})
afterAll(() => repo?.cleanup())

describe('plot and report outputs', () => {
  it('plot -o: a file xv did not write is refused (exit 2) unless --force', async () => {
    const out = join(repo.base, 'chart.svg')
    writeFileSync(out, 'my own drawing\n')
    const refused = await xv(repo.root, ['plot', 'f1', '-o', out])
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toContain('was not written by xv')
    expect(readFileSync(out, 'utf8')).toBe('my own drawing\n')
    const forced = await xv(repo.root, ['plot', 'f1', '-o', out, '--force'])
    expect(forced.exitCode, forced.stderr).toBe(0)
    expect(readFileSync(out, 'utf8')).toContain('<svg')
  })

  it('report --versions --by --title, and --force over a file xv did not write', async () => {
    const out = join(repo.base, 'report.md')
    writeFileSync(out, 'notes\n')
    const args = ['report', '--md', '-o', out, '--versions', 'e0.2.0..', '--by', 'date', '--title', 'Spring sweep']
    const refused = await xv(repo.root, args)
    expect(refused.exitCode).toBe(2)
    expect(readFileSync(out, 'utf8')).toBe('notes\n')
    const res = await xv(repo.root, ['report', '--md', '-o', out, '--versions', 'e0.2.0..', '--by', 'date', '--title', 'Spring sweep', '--force'])
    expect(res.exitCode, res.stderr).toBe(0)
    const text = readFileSync(out, 'utf8')
    expect(text).toContain('Spring sweep')
    expect(text).toContain('e0.2.0')
    expect(text).toContain('e0.3.0')
    expect(text).not.toContain('e0.1.0')
    expect(text).toContain('2026-02-01') // --by date: the chart's x axis is the tag dates
  })
})

describe('gc --min-age', () => {
  it('an unreferenced object younger than --min-age seconds is kept', async () => {
    const object = join(repo.root, '.dvc', 'cache', 'files', 'md5', 'ab', '0'.repeat(30))
    mkdirSync(join(object, '..'), {recursive: true})
    writeFileSync(object, 'x'.repeat(100))
    utimesSync(object, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000)) // two minutes old
    type Gc = {stores: Array<{removed: number; tooRecent: number; bytesFreed: number}>}
    const young = JSON.parse((await xv(repo.root, ['gc', '--dry-run', '--min-age', '3600', '--json'])).stdout) as Gc
    expect(young.stores[0]).toMatchObject({removed: 0, tooRecent: 1})
    const old = JSON.parse((await xv(repo.root, ['gc', '--min-age', '60', '--json'])).stdout) as Gc
    expect(old.stores[0]).toMatchObject({removed: 1, tooRecent: 0, bytesFreed: 100})
    expect(existsSync(object)).toBe(false)
  })
})

describe('init --cache', () => {
  it('sets the DVC cache directory in .dvc/config.local (created when missing); a second run changes nothing', async () => {
    const base = mkdtempSync(join(tmpdir(), 'xv-init-cache-'))
    const project = join(base, 'project')
    mkdirSync(project)
    const res = await xv(project, ['init', '--cache', '../shared-cache', '--json'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(existsSync(join(base, 'shared-cache'))).toBe(true)
    expect(readFileSync(join(project, '.dvc', 'config.local'), 'utf8')).toContain(join(base, 'shared-cache'))
    expect((JSON.parse(res.stdout) as {changed: string[]}).changed).toContain(`DVC cache → ${join(base, 'shared-cache')} (.dvc/config.local)`)
    const again = JSON.parse((await xv(project, ['init', '--cache', '../shared-cache', '--json'])).stdout) as {unchanged: string[]}
    expect(again.unchanged).toContain('DVC cache dir')
    rmSync(base, {recursive: true, force: true})
  })
})
