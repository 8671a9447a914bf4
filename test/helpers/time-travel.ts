/**
 * A repository with history for the time-travel tests (xv get/show/diff), all real git + DVC:
 * e0.1.0 — code.py v1, models/model.bin (DVC file), data/imgs/{a,b}.txt (DVC directory),
 *          results/experiments.db tracked by git;
 * e0.2.0 — code.py v2, a new model, data/imgs/c.txt added, the database now tracked by DVC.
 * Both tags pushed to the local DVC remote.
 */
import {createHash, randomBytes} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {makeRepo, type TestRepo} from './repo.js'
import {writeRuns} from './results-db.js'

export interface TimeTravelRepo extends TestRepo {
  model1: Buffer
  model2: Buffer
  md5: (path: string) => string
}

export function timeTravelRepo(): TimeTravelRepo {
  const repo = makeRepo()
  const model1 = randomBytes(64 * 1024)
  const model2 = randomBytes(80 * 1024)
  repo.write('code.py', 'print("v1")\n')
  repo.write('models/model.bin', model1)
  repo.write('data/imgs/a.txt', 'a\n')
  repo.write('data/imgs/b.txt', 'b v1\n')
  writeRuns(join(repo.root, 'results/experiments.db'), [
    {version: 'e0.1.0', model: 'bert', f1: 0.7, accuracy: 0.8, loss: 0.5, trackId: 'r1'},
    {version: 'e0.1.0', model: 'bert', f1: 0.8, accuracy: 0.82, loss: 0.4, trackId: 'r2'},
  ])
  repo.dvc('add', '-q', 'models/model.bin', 'data/imgs')
  repo.git('add', '-A')
  repo.git('commit', '-q', '-m', 'experiment: e0.1.0')
  repo.git('tag', '-a', 'e0.1.0', '-m', 'model=bert | f1=0.75 | baseline')
  repo.dvc('push', '-q')

  repo.write('code.py', 'print("v2")\nprint("more")\n')
  repo.write('models/model.bin', model2)
  repo.write('data/imgs/c.txt', 'c\n')
  writeRuns(join(repo.root, 'results/experiments.db'), [
    {version: 'e0.2.0', model: 'roberta', f1: 0.85, accuracy: 0.9, loss: 0.3, trackId: 'r3', predictions: 4},
  ])
  repo.git('rm', '-q', '--cached', 'results/experiments.db')
  repo.dvc('add', '-q', 'models/model.bin', 'data/imgs', 'results/experiments.db')
  repo.git('add', '-A')
  repo.git('commit', '-q', '-m', 'experiment: e0.2.0')
  repo.git('tag', '-a', 'e0.2.0', '-m', 'model=roberta | f1=0.85 | bigger model')
  repo.dvc('push', '-q')
  const md5 = (path: string) => createHash('md5').update(readFileSync(path)).digest('hex')
  return {...repo, model1, model2, md5}
}
