import {describe, expect, it} from 'vitest'

import {declaredOuts, isPointerFile} from '../../src/adapters/dvc-files.js'

describe('declaredOuts: the DVC outs of pointer and lock files, one path rule', () => {
  it('resolves out paths against the declaring file, normalised and /-separated', () => {
    const outs = declaredOuts([
      {path: 'data.dvc', text: 'outs:\n- md5: 0123456789abcdef0123456789abcdef.dir\n  path: data\n  nfiles: 3\n'},
      {path: 'models/production/model.bin.dvc', text: 'outs:\n- md5: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n  size: 4\n  path: model.bin\n'},
      {path: 'pipe/dvc.lock', text: 'schema: "2.0"\nstages:\n  train:\n    cmd: x\n    outs:\n    - path: ../results/out/\n      md5: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n'},
      {path: 'dvc.lock', text: 'stages:\n  merge:\n    outs:\n    - path: ./results/experiments.db\n'},
      {path: 'broken.dvc', text: 'outs: [: not yaml'},
    ])
    expect(outs.map((o) => [o.pointer, o.outPath, o.out.md5 ?? null, o.out.isDir])).toEqual([
      ['data.dvc', 'data', '0123456789abcdef0123456789abcdef.dir', true],
      ['models/production/model.bin.dvc', 'models/production/model.bin', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', false],
      ['pipe/dvc.lock', 'results/out', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', false],
      ['dvc.lock', 'results/experiments.db', null, false],
    ])
  })

  it('knows which files declare outs', () => {
    expect(['a.dvc', 'x/dvc.lock', 'dvc.lock', 'dvc.yaml', 'a.dvc.txt', 'notdvc.lock'].map(isPointerFile)).toEqual([true, true, true, false, false, false])
  })
})
