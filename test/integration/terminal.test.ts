/**
 * Conventions that only show in a real terminal (tmux) — Tab completion: completion-shells.test.ts —
 * the pager for long output, tables that fit the width, TERM=dumb without colour, and the progress
 * bar of a long copy (rate, ETA; cleared when done and on Ctrl-C, which exits 130), and DVC's own
 * progress bars relayed onto one line during `xv tag` (cleared when done and on Ctrl-C).
 */
import {execFileSync} from 'node:child_process'
import {existsSync, openSync, closeSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {randomBytes} from 'node:crypto'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeRepo, repoState, xv, type TestRepo} from '../helpers/repo.js'
import {openTerminal, type Terminal} from '../helpers/tmux.js'

const PROMPT = /\$\s*$/

/** MB megabytes of random data as ROOT/big.bin. */
function writeBig(root: string, mb: number): void {
  const fd = openSync(join(root, 'big.bin'), 'w')
  const block = randomBytes(1024 * 1024)
  for (let i = 0; i < mb; i++) writeSync(fd, block)
  closeSync(fd)
}

/** A terminal in ROOT, 120 × 20, once its prompt shows. */
async function openAtPrompt(root: string): Promise<Terminal> {
  const term = openTerminal(root, {width: 120, height: 20})
  await term.waitFor((s) => PROMPT.test(lastLine(s)))
  return term
}

/** The cursor's line (tmux drops trailing blanks). */
function lastLine(screen: string): string {
  return (screen.split('\n').at(-1) ?? '').trimEnd()
}

describe('pager, width and colour in a terminal', () => {
  let repo: TestRepo
  let term: Terminal

  beforeAll(() => {
    repo = makeRepo({dvc: false, gitRemote: false})
    // 60 annotated tags, one with a long description (the table must still fit the width).
    const lines: string[] = []
    const head = repo.git('rev-parse', 'HEAD').trim()
    for (let i = 0; i < 60; i++) {
      const v = `e${Math.floor(i / 10)}.${i % 10}.0`
      const msg = i === 59 ? `model=cnn | f1=0.9 | ${'a very long description of what this run tried '.repeat(4)}\n` : `model=m${i % 3} | f1=0.${i}\n`
      lines.push(`tag ${v}\nfrom ${head}\ntagger t <t@x> ${1700000000 + i} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}`)
    }
    execFileSync('git', ['fast-import', '--quiet'], {cwd: repo.root, input: lines.join('\n')})
    term = openTerminal(repo.root, {width: 100, height: 20})
  })

  afterAll(() => {
    term?.close()
    repo?.cleanup()
  })

  it('long output goes through less -FRX on a terminal, never through a pipe; tables fit the width', async () => {
    await term.waitFor((s) => PROMPT.test(lastLine(s)))
    term.keys('clear', 'Enter')
    await term.waitFor((s) => s.trim() === '$')
    term.keys('xv list', 'Enter')
    const paged = await term.waitFor((s) => lastLine(s).startsWith(':'))
    const rows = paged.split('\n')
    expect(rows.length).toBeLessThanOrEqual(20)
    expect(paged).toMatch(/version\W+date\W+commit/)
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(100)
    expect(paged).toContain('…')
    term.keys('q')
    await term.waitFor((s) => PROMPT.test(lastLine(s)))
    term.keys('clear; xv list | wc -l', 'Enter')
    const counted = await term.waitFor((s) => /^\s*\d+$/m.test(s))
    expect(Number(/^\s*(\d+)$/m.exec(counted)?.[1])).toBeGreaterThan(60) // every line, no pager in a pipe
  })

  it('TERM=dumb means no colour; a terminal otherwise gets it', async () => {
    term.keys('clear; echo AA""BB; xv config get prefix; TERM=dumb xv list --limit 1; echo CC""DD', 'Enter')
    await term.waitFor((_s, rec) => rec.includes('CCDD'))
    const rec = term.recorded()
    const dumb = rec.slice(rec.lastIndexOf('AABB'), rec.lastIndexOf('CCDD'))
    expect(dumb).toContain('version')
    expect(dumb).not.toMatch(/\u001B\[[0-9;]*m/)
    term.keys('clear; echo EE""FF; xv list --limit 1; echo GG""HH', 'Enter')
    await term.waitFor((_s, r) => r.includes('GGHH'))
    const rec2 = term.recorded()
    expect(rec2.slice(rec2.lastIndexOf('EEFF'), rec2.lastIndexOf('GGHH'))).toMatch(/\u001B\[1m/)
  })
})

describe('progress of a long copy', () => {
  let repo: TestRepo
  let term: Terminal

  beforeAll(async () => {
    repo = makeRepo({gitRemote: false})
    writeBig(repo.root, 192) // tracked by DVC and tagged: `xv get` copies it from the cache, md5-checked
    repo.dvc('add', '-q', 'big.bin')
    repo.git('add', 'big.bin.dvc', '.gitignore')
    repo.git('commit', '-q', '-m', 'big')
    repo.git('tag', '-a', 'e0.1.0', '-m', 'big data')
    term = await openAtPrompt(repo.root)
  })

  afterAll(() => {
    term?.close()
    repo?.cleanup()
  })

  it('shows bytes, rate and ETA on a terminal and clears the line when done', async () => {
    term.keys('clear; xv get e0.1.0 big.bin -o copy1.bin; echo "exit=$?"', 'Enter')
    const done = await term.waitFor((s) => /exit=\d/.test(s), 60_000)
    expect(done).toContain('exit=0')
    const rec = term.recorded()
    expect(rec).toMatch(/verifying copy1\.bin \[[█░]+\] \d+% [\d.]+ (MB|KB|B)\/192\.0 MB [\d.]+ (MB|KB|GB|B)\/s ETA/)
    expect(done).not.toContain('ETA') // cleared
  })

  it('prints nothing of the kind when stderr is not a terminal', async () => {
    const res = await xv(repo.root, ['get', 'e0.1.0', 'big.bin', '-o', 'copy2.bin'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(res.stderr).not.toContain('ETA')
  })

  it('Ctrl-C clears the bar, leaves no partial file and exits 130', async () => {
    term.keys('clear; xv get e0.1.0 big.bin -o copy3.bin; echo "exit=$?"', 'Enter')
    await term.waitFor((s) => s.includes('ETA'), 60_000)
    term.keys('C-c')
    const after = await term.waitFor((s) => /exit=\d/.test(s), 30_000)
    expect(after).toContain('exit=130')
    expect(after).not.toContain('ETA')
    expect(existsSync(join(repo.root, 'copy3.bin'))).toBe(false)
  })
})

describe("DVC's own progress (xv tag: dvc add + push)", () => {
  let repo: TestRepo
  let term: Terminal
  const BAR = /\d+% ?\S*\|[█▏▎▍▌▋▊▉ ]*\|.*\d+\/\d+ \[\d+:\d\d/

  beforeAll(async () => {
    repo = makeRepo({xvYaml: 'artifacts: [big.bin]\n'})
    writeBig(repo.root, 384) // DVC hashes it for a few seconds: long enough to see its bar and to press Ctrl-C
    term = await openAtPrompt(repo.root)
  })

  afterAll(() => {
    term?.close()
    repo?.cleanup()
  })

  it('Ctrl-C while DVC hashes: the line is cleared, one line says what was rolled back, exit 130', async () => {
    const before = repoState(repo)
    term.keys('clear; xv tag e0.1.0 -m big; echo "exit=$?"', 'Enter')
    await term.waitFor((_s, rec) => /Adding/.test(rec.slice(rec.lastIndexOf('clear; xv tag'))), 60_000)
    term.keys('C-c')
    const after = await term.waitFor((s) => /exit=\d/.test(s), 30_000)
    expect(after).toContain('exit=130')
    expect(after).toMatch(/^xv: interrupted; rolled back: .*dvc add \(big\.bin\)/m)
    expect(after).not.toMatch(/Adding|Traceback|KeyboardInterrupt|%\|/)
    expect(repoState(repo)).toBe(before)
  })

  it("relays DVC's bars onto one line of the terminal and clears it when done", async () => {
    term.keys('clear; xv tag e0.1.0 -m big; echo "exit=$?"', 'Enter')
    const done = await term.waitFor((s) => /exit=\d/.test(s), 120_000)
    expect(done).toContain('exit=0')
    const rec = term.recorded()
    const run = rec.slice(rec.lastIndexOf('clear; xv tag'))
    expect(run).toMatch(BAR) // DVC's own bar (tqdm), relayed
    expect(run).toMatch(/\r\u001B\[2K[^\r\n]*Pushing to local/) // on one line, redrawn in place
    expect(done).not.toMatch(/%\||Adding\.\.\./) // nothing of it left on the screen
    expect(done).toMatch(/✓ e0\.1\.0/)
  })

  it('shows none of it when stderr is not a terminal', async () => {
    writeBig(repo.root, 2)
    const res = await xv(repo.root, ['tag', 'e0.2.0', '-m', 'piped'])
    expect(res.exitCode, res.stderr).toBe(0)
    expect(res.stderr).not.toMatch(/%\||Adding|Pushing|\u001B\[/)
  })
})
