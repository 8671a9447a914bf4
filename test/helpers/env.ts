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
