/**
 * A project for `xv run` tests: DVC-tracked data, xv.yaml with the result database as the only
 * artifact, and a training script that writes its row with the real xetrack Tracker, labelled with
 * XV_VERSION and XV_RUN_ID as the README shows.
 */
import {makeRepo, type TestRepo} from './repo.js'

export const TRAIN_PY = `
import os, sys, time
from xetrack import Tracker
lr = float(sys.argv[1]) if len(sys.argv) > 1 else 0.001
f1 = float(sys.argv[2]) if len(sys.argv) > 2 else 0.8
if os.environ.get('SLEEP'):
    print('ready', flush=True)
    time.sleep(float(os.environ['SLEEP']))
if os.environ.get('FAIL'):
    print('diverged: loss is nan', file=sys.stderr)
    sys.exit(int(os.environ['FAIL']))
t = Tracker(db='results/experiments.db', table='metrics', params={'version': os.environ['XV_VERSION']}, track_id=os.environ['XV_RUN_ID'])
t.log({'lr': lr, 'bs': 32, 'model': 'bert', 'f1': f1, 'loss': round(1 - f1, 4)})
print('trained', os.environ['XV_VERSION'], flush=True)
`

export function makeRunsRepo(): TestRepo {
  const repo = makeRepo({xvYaml: 'artifacts: [results/experiments.db]\nmetrics: [f1]\n'})
  repo.write('train.py', TRAIN_PY)
  repo.write('data/train.csv', 'x,y\n1,2\n')
  repo.dvc('add', '-q', 'data')
  repo.git('add', '-A')
  repo.git('commit', '-q', '-m', 'data and training script')
  return repo
}
