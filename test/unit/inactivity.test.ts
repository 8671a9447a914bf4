// The inactivity timeout of remote operations, on real child processes: one that does nothing is
// stopped; one that prints, or one that only moves bytes (file I/O, as a quiet `dvc push` does),
// runs to its end however long it takes. And DVC's error text reduced to its cause.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {execa} from 'execa'
import {describe, expect, it} from 'vitest'

import {dvcErrorCause, isRemoteOperation} from '../../src/adapters/dvc.js'
import {watchInactivity} from '../../src/adapters/inactivity.js'

async function run(script: string, seconds: number): Promise<{timedOut: boolean; exitCode?: number; elapsed: number}> {
  const start = Date.now()
  const child = execa('node', ['-e', script], {reject: false, stdin: 'ignore'})
  const watch = watchInactivity(child, seconds)
  const res = await child
  watch.stop()
  return {timedOut: watch.timedOut, exitCode: res.exitCode, elapsed: (Date.now() - start) / 1000}
}

describe('watchInactivity', () => {
  it('stops a child that neither prints nor reads or writes', async () => {
    const res = await run('setTimeout(() => {}, 60_000)', 1)
    expect(res.timedOut).toBe(true)
    expect(res.elapsed).toBeLessThan(15)
  })

  it('lets a child that keeps printing run past the timeout', async () => {
    const res = await run('let n = 0; const t = setInterval(() => { console.log(n++); if (n > 12) clearInterval(t) }, 200)', 1)
    expect(res.timedOut).toBe(false)
    expect(res.exitCode).toBe(0)
    expect(res.elapsed).toBeGreaterThan(2)
  })

  it('lets a silent child that keeps moving bytes (file I/O) run past the timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xv-inactivity-'))
    try {
      const file = JSON.stringify(join(dir, 'out.bin'))
      const script = `const fs = require('fs'); let n = 0; const t = setInterval(() => { fs.appendFileSync(${file}, Buffer.alloc(4096)); if (++n > 12) clearInterval(t) }, 200)`
      const res = await run(script, 1)
      expect(res.timedOut).toBe(false)
      expect(res.exitCode).toBe(0)
      expect(res.elapsed).toBeGreaterThan(2)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

describe('DVC errors in one line', () => {
  it("keeps DVC's cause and drops its support banner", () => {
    const text = 'ERROR: unexpected error - Could not connect to the endpoint URL: "http://127.0.0.1:9/b"\n\nHaving any troubles? Hit us up at https://dvc.org/support, we are always happy to help!\n'
    expect(dvcErrorCause(text)).toBe('Could not connect to the endpoint URL: "http://127.0.0.1:9/b"')
    expect(dvcErrorCause('\nHaving any troubles? Hit us up at https://dvc.org/support, we are always happy to help!\n')).toBe('')
  })

  it('remote operations are the ones that talk to a remote', () => {
    expect(isRemoteOperation(['push', '--quiet'])).toBe(true)
    expect(isRemoteOperation(['fetch', '--', 'a'])).toBe(true)
    expect(isRemoteOperation(['status', '--cloud', '--json'])).toBe(true)
    expect(isRemoteOperation(['status', '--json'])).toBe(false)
    expect(isRemoteOperation(['add', 'x'])).toBe(false)
  })
})
