// Preloaded into every node process of a coverage run (NODE_OPTIONS=--import, set by test/helpers/env.ts
// only when c8 collects coverage). It collects V8 block coverage itself through the inspector and, at
// exit, writes only the entries of xv's own dist/ scripts into c8's folder, so hundreds of CLI runs do
// not leave gigabytes of node_modules coverage behind (Node's own NODE_V8_COVERAGE is unset for them).
import {writeFileSync} from 'node:fs'
import {Session} from 'node:inspector'
import {join} from 'node:path'

const dir = process.env.XV_COVERAGE_DIR
const keep = process.env.XV_COVERAGE_KEEP
if (dir && keep) {
  const session = new Session()
  session.connect()
  session.post('Profiler.enable')
  session.post('Profiler.startPreciseCoverage', {callCount: true, detailed: true})
  let seq = 0
  process.on('exit', () => {
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
  })
}
