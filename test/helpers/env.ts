// Every test process: a fixed git identity (CI machines may have none), no colours, DVC quiet,
// and the project's .venv on PATH so the real dvc is found.
import {delimiter, join, resolve} from 'node:path'

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
// Under c8 (NODE_V8_COVERAGE set), every node process the tests start collects its own coverage and keeps
// only xv's scripts (test/helpers/coverage-filter.mjs); Node's own full dumps are switched off for them.
if (process.env.NODE_V8_COVERAGE && !process.env.XV_COVERAGE_DIR) {
  process.env.XV_COVERAGE_DIR = process.env.NODE_V8_COVERAGE
  process.env.XV_COVERAGE_KEEP = `${join(root, 'dist')}/`
  delete process.env.NODE_V8_COVERAGE
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import=${join(root, 'test', 'helpers', 'coverage-filter.mjs')}`.trim()
}
