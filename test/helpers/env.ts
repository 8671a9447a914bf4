// Every test process: a fixed git identity (CI machines may have none), no colours, DVC quiet,
// and the project's .venv on PATH so the real dvc is found.
import {delimiter, join, resolve} from 'node:path'
import {afterAll} from 'vitest'

const root = resolve(import.meta.dirname, '..', '..')
Object.assign(process.env, {
  GIT_AUTHOR_NAME: 'xv test',
  GIT_AUTHOR_EMAIL: 'test@xv.invalid',
  GIT_COMMITTER_NAME: 'xv test',
  GIT_COMMITTER_EMAIL: 'test@xv.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  NO_COLOR: '1',
  DVC_NO_ANALYTICS: '1',
  DVC_NO_UPDATER: '1',
  PATH: `${join(root, '.venv', 'bin')}${delimiter}${process.env.PATH ?? ''}`,
})
// In a coverage run (scripts/coverage.mjs) the in-process tests' figures are written after each test
// file: vitest stops its workers with SIGTERM, so the preload's exit hook would never run in them.
const writeCoverage = (globalThis as Record<symbol, unknown>)[Symbol.for('xv.coverage.write')]
if (typeof writeCoverage === 'function') afterAll(() => void writeCoverage())
