/**
 * Shared set-up of the worktree tests: an experiment project removed after each test, other
 * clean-ups run after each test, and a snapshot of everything a worktree command could change.
 */
import {readdirSync} from 'node:fs'
import {afterEach} from 'vitest'

import {makeExperimentRepo} from './experiment-repo.js'
import {repoState, type TestRepo} from './repo.js'

const cleanups: Array<() => void> = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.()
})

/** Runs FN after the current test. */
export function afterTest(fn: () => void): void {
  cleanups.push(fn)
}

/** An experiment project (e0.1.0 tagged and pushed), removed after the test. */
export async function project(): Promise<TestRepo> {
  const repo = await makeExperimentRepo()
  afterTest(repo.cleanup)
  return repo
}

/** Worktree records, refs, HEAD, status and the folders next to the repository. */
export function fullState(repo: TestRepo): string {
  return [repo.git('worktree', 'list', '--porcelain'), repoState(repo), readdirSync(repo.base).sort().join(' ')].join('\n===\n')
}
