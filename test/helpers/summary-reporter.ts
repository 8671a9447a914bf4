// Prints the plain closing line `N passed, N failed, N skipped` after the run, for CI logs, and keeps it
// in coverage/closing-line.txt so `scripts/coverage.mjs` can repeat it last, after the coverage figures.
import {mkdirSync, writeFileSync} from 'node:fs'
import type {Reporter} from 'vitest/reporters'

interface TaskLike {
  type: string
  mode?: string
  result?: {state?: string}
  tasks?: TaskLike[]
}

export default class SummaryReporter implements Reporter {
  onFinished(files: TaskLike[] = []): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    const walk = (t: TaskLike) => {
      if (t.type === 'test') {
        if (t.mode === 'skip' || t.mode === 'todo') skipped++
        else if (t.result?.state === 'pass') passed++
        else if (t.result?.state === 'fail') failed++
      }

      for (const c of t.tasks ?? []) walk(c)
    }

    for (const f of files) walk(f)
    const line = `${passed} passed, ${failed} failed, ${skipped} skipped`
    process.stdout.write(`\n${line}\n`)
    mkdirSync('coverage', {recursive: true})
    writeFileSync('coverage/closing-line.txt', `${line}\n`)
  }
}
