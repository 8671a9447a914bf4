// Preloaded into the node processes of a coverage run (NODE_OPTIONS=--import, set by scripts/coverage.mjs):
// every xv process the tests start and every test worker. It collects V8 block coverage through the
// inspector and writes only the entries of xv's own dist/ scripts into the coverage folder, so
// thousands of CLI runs do not leave gigabytes of node_modules coverage behind. c8 maps dist/ back
// to src/ through the source maps (scripts/coverage.mjs).
//
// It never touches signals: an xv process writes its figures on a normal exit (process.exit too). A
// test worker is stopped with SIGTERM by vitest, so test/helpers/env.ts writes them after each file.
import {writeFileSync} from 'node:fs'
import {Session} from 'node:inspector'
import {join} from 'node:path'

const dir = process.env.XV_COVERAGE_DIR
const keep = process.env.XV_COVERAGE_KEEP
// The vitest main process runs no xv code: not instrumented (it would only slow the run down).
const main = /[\\/]vitest(\.mjs)?$/.test(process.argv[1] ?? '')
if (dir && keep && !main) {
  const session = new Session()
  session.connect()
  session.post('Profiler.enable')
  session.post('Profiler.startPreciseCoverage', {callCount: true, detailed: true})
  let seq = 0
  // Takes the counts so far (V8 resets them) and writes xv's part; later writes add to it.
  const write = () => {
    session.post('Profiler.takePreciseCoverage', (err, res) => {
      if (err || !res) return
      const result = res.result.filter((s) => s.url.includes(keep))
      if (result.length === 0) return
      try {
        writeFileSync(join(dir, `coverage-${process.pid}-${Date.now()}-${seq++}.json`), JSON.stringify({result}))
      } catch {
        // best effort: never change how a process exits
      }
    })
  }

  globalThis[Symbol.for('xv.coverage.write')] = write
  process.on('exit', write)
}
