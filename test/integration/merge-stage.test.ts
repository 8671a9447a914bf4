import {chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {delimiter, join} from 'node:path'
import {execa} from 'execa'
import {afterEach, describe, expect, it} from 'vitest'

import {XV_BIN, makeRepo, xv, type TestRepo} from '../helpers/repo.js'
import {writeRuns} from '../helpers/results-db.js'
import {query} from '../helpers/sqlite-fixtures.js'

const repos: TestRepo[] = []
afterEach(() => {
  while (repos.length > 0) repos.pop()!.cleanup()
})

describe('the merge stage of templates/dvc.yaml', () => {
  it('runs xv merge under real dvc repro, then again after params.yaml switches to rebase', async () => {
    const repo = makeRepo()
    repos.push(repo)
    expect((await xv(repo.root, ['init'])).exitCode).toBe(0)
    // `xv` on PATH for the stage's command, as `npm link` would give.
    const bin = join(repo.base, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'xv'), `#!/bin/sh\nexec node ${JSON.stringify(XV_BIN)} "$@"\n`)
    chmodSync(join(bin, 'xv'), 0o755)
    const env = {...process.env, PATH: `${bin}${delimiter}${process.env.PATH}`}
    const repro = () => execa('dvc', ['repro', 'merge'], {cwd: repo.root, env, reject: false})

    const target = join(repo.root, 'results/experiments.db')
    const incoming = join(repo.root, 'results/incoming.db')
    writeRuns(target, [{version: 'e0.1.0', trackId: 'main-1', f1: 0.5}])
    writeRuns(incoming, [{version: 'e0.1.0', trackId: 'sweep-1', f1: 0.9}, {version: 'e0.2.0', trackId: 'sweep-2', f1: 0.8}])

    const first = await repro()
    expect(first.exitCode, first.stderr).toBe(0)
    expect(query(target, 'SELECT track_id FROM metrics ORDER BY track_id')).toEqual([
      {track_id: 'main-1'}, {track_id: 'sweep-1'}, {track_id: 'sweep-2'},
    ])
    expect(readFileSync(join(repo.root, 'dvc.lock'), 'utf8')).toMatch(/strategy: merge/)

    writeFileSync(join(repo.root, 'params.yaml'), readFileSync(join(repo.root, 'params.yaml'), 'utf8').replace('strategy: merge', 'strategy: rebase'))
    const second = await repro()
    expect(second.exitCode, second.stderr).toBe(0)
    // Rebase by version: every e0.1.0/e0.2.0 row of the target is replaced by the incoming rows.
    expect(query(target, 'SELECT track_id, version FROM metrics ORDER BY track_id')).toEqual([
      {track_id: 'sweep-1', version: 'e0.1.0'}, {track_id: 'sweep-2', version: 'e0.2.0'},
    ])
    expect(readFileSync(join(repo.root, 'dvc.lock'), 'utf8')).toMatch(/strategy: rebase/)
  })
})
