/**
 * A project as xv users have it after their first run: DVC-tracked data directory, model and
 * result database, tagged e0.1.0 and pushed (local DVC remote + bare git origin).
 */
import {randomBytes} from 'node:crypto'
import {readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {makeRepo, xv, type RepoOptions, type TestRepo} from './repo.js'
import {writeRuns} from './results-db.js'

export async function makeExperimentRepo(options: RepoOptions = {}): Promise<TestRepo> {
  const repo = makeRepo(options)
  repo.write('train.py', 'model = "baseline"\n')
  repo.write('data/a.csv', 'x,y\n1,2\n')
  repo.write('data/b.csv', 'x,y\n3,4\n')
  repo.write('data/c.csv', 'x,y\n5,6\n')
  repo.write('models/production/model.bin', randomBytes(4096))
  writeRuns(join(repo.root, 'results', 'experiments.db'), [{version: 'e0.1.0', trackId: 'base-1', model: 'baseline', f1: 0.7}])
  repo.dvc('add', '-q', 'data')
  repo.git('add', '--', 'train.py', 'data.dvc', '.gitignore')
  repo.git('commit', '-q', '-m', 'data')
  const res = await xv(repo.root, ['tag', 'e0.1.0', '-m', 'baseline'])
  if (res.exitCode !== 0) throw new Error(`fixture: xv tag failed: ${res.stderr}`)
  // xv tag pushes the configured artifacts; the data directory is pushed here.
  if (options.dvcRemote !== false && options.dvc !== false) repo.dvc('push', '-q')
  return repo
}

/** Every file under DIR with its size (a cheap "nothing changed" snapshot of a folder). */
export function tree(dir: string): string {
  const out: string[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, {withFileTypes: true}).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else out.push(`${p.slice(dir.length)} ${statSync(p, {throwIfNoEntry: false})?.size ?? 'dangling'}`)
    }
  }

  walk(dir)
  return out.join('\n')
}
