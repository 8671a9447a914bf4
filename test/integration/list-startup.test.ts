/**
 * What `xv list` does to start fast, checked for correctness on real repositories:
 * - bin/run.js starts git's reads (rev-parse, for-each-ref) before the list code loads; each answer
 *   is used once, and only in the directory it ran in or by the repository located from there;
 * - --json is one line when piped (programs read it) and indented on a terminal (people read it).
 */
import {execFileSync} from 'node:child_process'
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {afterEach, describe, expect, it} from 'vitest'

import {Git} from '../../src/adapters/git.js'
import {makeRepo, xv, XV_BIN, type TestRepo} from '../helpers/repo.js'

const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()?.cleanup()
})

function repoWithTags(...tags: string[]): TestRepo {
  const repo = makeRepo()
  repos.push(repo)
  for (const t of tags) repo.git('tag', '-a', t, '-m', `model=cnn | f1=0.5 | ${t}`)
  return repo
}

const names = async (git: Git) => (await git.listTags()).map((t) => t.name).sort()

describe('the early tag read of xv list', () => {
  it('is the answer of the repository located from the same directory, used once', async () => {
    const a = repoWithTags('e0.1.0', 'e0.2.0')
    const sub = join(a.root, 'src', 'deep')
    mkdirSync(sub, {recursive: true})
    Git.prefetchTags(sub)
    await sleep(300) // git has answered; a tag made now is not in that answer
    a.git('tag', '-a', 'e0.3.0', '-m', 'late')
    const location = await Git.locate(sub)
    const git = new Git(location.root)
    expect(await names(git)).toEqual(['e0.1.0', 'e0.2.0']) // the early answer, as of the command's start
    expect(await names(git)).toEqual(['e0.1.0', 'e0.2.0', 'e0.3.0']) // read again: used once
  })

  it('is never given to another repository', async () => {
    const a = repoWithTags('e0.1.0')
    const b = repoWithTags('e5.0.0')
    Git.prefetchTags(a.root)
    await sleep(300)
    const other = await Git.locate(b.root)
    expect(await names(new Git(other.root))).toEqual(['e5.0.0'])
    // A Git in A's own directory takes A's answer (as of the start), once.
    a.git('tag', '-a', 'e0.2.0', '-m', 'late')
    expect(await names(new Git(a.root))).toEqual(['e0.1.0'])
    expect(await names(new Git(a.root))).toEqual(['e0.1.0', 'e0.2.0'])
  })

  it('reports a git failure as any other read does (outside a repository: one line, exit 1)', async () => {
    const dir = makeRepo()
    repos.push(dir)
    const outside = join(dir.base, 'not-a-repo')
    mkdirSync(outside)
    const res = await xv(outside, ['list', '--json'])
    expect(res.exitCode).toBe(1)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(res.stderr).toContain('not inside a git repository')
  })
})

describe('--json layout', () => {
  it('is one line when piped and indented on a terminal; both are the same value', () => {
    const repo = repoWithTags('e0.1.0', 'e0.2.0')
    const piped = execFileSync('node', [XV_BIN, 'list', '--json'], {cwd: repo.root, encoding: 'utf8'})
    expect(piped.endsWith('\n')).toBe(true)
    expect(piped.trimEnd().split('\n')).toHaveLength(1)
    // `script` gives the command a terminal for stdout.
    const shown = execFileSync('script', ['-qec', `node ${XV_BIN} list --json`, '/dev/null'], {
      cwd: repo.root,
      encoding: 'utf8',
      env: {...process.env, NO_COLOR: '1'},
    }).replaceAll('\r\n', '\n')
    expect(shown.split('\n').length).toBeGreaterThan(10)
    expect(shown).toContain('\n  "kind": "list"')
    expect(JSON.parse(shown)).toEqual(JSON.parse(piped))
  })
})
