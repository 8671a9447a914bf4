import {spawn} from 'node:child_process'
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {dvcCause} from '../../src/adapters/dvc-fetch.js'
import {cleanStaleTempFiles, staleTempFiles} from '../../src/domain/temp-files.js'

const dir = mkdtempSync(join(tmpdir(), 'xv-unit-temp-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('temporary files carry their writer\'s pid', () => {
  it('lists and removes only those whose process is gone', async () => {
    const child = spawn('true')
    await new Promise((done) => child.once('exit', done))
    const dead = `.model.bin.xv-tmp-${child.pid ?? 999_999}-deadbeef`
    const deadOld = `.imgs.xv-tmp-${child.pid ?? 999_999}-deadbeef.old`
    const live = `.model.bin.xv-tmp-${process.pid}-cafebabe`
    for (const f of [dead, deadOld, live, 'model.bin', '.model.bin.xv-tmp-notapid']) writeFileSync(join(dir, f), 'x')
    expect(staleTempFiles(dir).map((t) => t.path).sort()).toEqual([join(dir, deadOld), join(dir, dead)].sort())
    expect(cleanStaleTempFiles(dir)).toHaveLength(2)
    expect(readdirSync(dir).sort()).toEqual([live, '.model.bin.xv-tmp-notapid', 'model.bin'].sort())
    expect(staleTempFiles(join(dir, 'absent'))).toEqual([])
  })
})

describe("DVC's cause in one line", () => {
  it('joins the ERROR with its continuation lines and the WARNING that explains it, without help links', () => {
    const stderr = [
      'WARNING: Some of the cache files do not exist neither locally nor on remote. Missing cache files:',
      'md5: 5d5e7971bdfb4239c48900a0ba635a71',
      'ERROR: failed to pull data from the cloud - Checkout failed for following targets:',
      'm.bin',
      'Is your cache up to date?',
      '<https://error.dvc.org/missing-files>',
    ].join('\n')
    expect(dvcCause(stderr, 'Everything is up to date.')).toBe(
      'failed to pull data from the cloud - Checkout failed for following targets: m.bin (Some of the cache files do not exist neither locally nor on remote. Missing cache files: md5: 5d5e7971bdfb4239c48900a0ba635a71)',
    )
    expect(dvcCause('', 'something odd\n')).toBe('something odd')
  })
})
