/**
 * Projects for the model registry tests: models trained "for real" (random weights written as a
 * new file, never in place) with result rows written by the real xetrack Tracker.
 */
import {createHash, randomBytes} from 'node:crypto'
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {expect} from 'vitest'

import {python, xv, type TestRepo} from './repo.js'

export function md5(file: string): string {
  return createHash('md5').update(readFileSync(file)).digest('hex')
}

/** The md5 a pointer file declares. */
export function pointerMd5(text: string): string {
  return /md5: ([0-9a-f]+)/.exec(text)![1]!
}

/** One training run in CWD: a new model file and one xetrack row (version, f1, loss). */
export function train(cwd: string, version: string, f1: number, model = 'models/production/model.bin'): string {
  const file = join(cwd, model)
  mkdirSync(dirname(file), {recursive: true})
  rmSync(file, {force: true}) // a new file: a link into the cache is never written through
  writeFileSync(file, randomBytes(8192))
  python(cwd, `
from xetrack import Tracker
t = Tracker(db='results/experiments.db', table='metrics', params={'version': ${JSON.stringify(version)}})
t.log({'f1': ${f1}, 'loss': ${(1 - f1).toFixed(3)}})
`)
  return md5(file)
}

/**
 * A sweep of N runs at VERSION, each saving its model as models/candidates/<track_id>_model.bin
 * (the workflow's per-run candidates); returns track_id → {f1, md5}.
 */
export function sweep(cwd: string, version: string, f1s: number[]): Map<string, {f1: number; md5: string}> {
  const out = python(cwd, `
import hashlib, json, os
from xetrack import Tracker
os.makedirs('models/candidates', exist_ok=True)
runs = {}
for f1 in json.loads(${JSON.stringify(JSON.stringify(f1s))}):
    t = Tracker(db='results/experiments.db', table='metrics', params={'version': ${JSON.stringify(version)}, 'lr': 0.001})
    t.log({'f1': f1})
    data = os.urandom(4096)
    with open(f'models/candidates/{t.track_id}_model.bin', 'wb') as f:
        f.write(data)
    runs[t.track_id] = {'f1': f1, 'md5': hashlib.md5(data).hexdigest()}
print(json.dumps(runs))
`)
  return new Map(Object.entries(JSON.parse(out) as Record<string, {f1: number; md5: string}>))
}

export async function xvOk(cwd: string, args: string[]): Promise<string> {
  const res = await xv(cwd, args)
  expect(res.exitCode, `xv ${args.join(' ')}: ${res.stderr}`).toBe(0)
  return res.stdout
}

export async function xvJson<T>(cwd: string, args: string[]): Promise<T> {
  return JSON.parse(await xvOk(cwd, [...args, '--json'])) as T
}

/** A one-line `xv: error:` and a non-zero exit. */
export function expectOneLineError(res: {exitCode: number; stderr: string}, text: string | RegExp, exitCode?: number): void {
  if (exitCode === undefined) expect(res.exitCode, res.stderr).not.toBe(0)
  else expect(res.exitCode, res.stderr).toBe(exitCode)
  const lines = res.stderr.trim().split('\n')
  expect(lines, res.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^xv: error: /)
  if (typeof text === 'string') expect(lines[0]).toContain(text)
  else expect(lines[0]).toMatch(text)
}

export function registry(repo: TestRepo): {production?: {origin: Record<string, unknown>; tag?: string}; candidates: Record<string, Record<string, unknown>>; pruned: Array<Record<string, unknown>>} {
  return JSON.parse(readFileSync(join(repo.root, 'models', 'registry.json'), 'utf8'))
}
