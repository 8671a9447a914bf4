/**
 * Tab completion in bash, zsh and fish, each in a real terminal (tmux), set up as the README says:
 * commands and subcommands, flags, and the values `xv __complete` looks up — versions, worktree
 * names, model candidates and metric names. A shell that is not installed fails the test in one
 * line (scripts/install-test-extras.sh installs zsh and fish); nothing is skipped.
 */
import {execFileSync} from 'node:child_process'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeRepo, type TestRepo} from '../helpers/repo.js'
import {openTerminal, requireShell, type ShellName, type Terminal} from '../helpers/tmux.js'

/** How each shell is set up (the README's lines), and the keys that list several matches. */
const SETUP: Record<ShellName, {setup: string; list: string[]}> = {
  bash: {setup: 'xv autocomplete bash >/dev/null 2>&1; eval "$(xv autocomplete script bash)"', list: ['Tab', 'Tab']},
  zsh: {setup: 'xv autocomplete zsh >/dev/null 2>&1; eval "$(xv autocomplete script zsh)"', list: ['Tab']},
  fish: {setup: 'xv __complete --setup fish | source', list: ['Tab']},
}

let repo: TestRepo

beforeAll(() => {
  repo = makeRepo({dvc: false, gitRemote: false, xvYaml: 'metrics: [f1, loss]\nartifacts: []\n'})
  for (const v of ['e0.1.0', 'e0.2.0', 'e1.0.0']) repo.git('tag', '-a', v, '-m', `model=m | f1=0.5`)
  execFileSync('git', ['worktree', 'add', '-q', '-b', 'exp/cnn', '../exp-cnn'], {cwd: repo.root})
  repo.write('models/candidates/alpha-model.bin', 'a')
  repo.write('models/candidates/beta-model.bin', 'b')
})

afterAll(() => repo?.cleanup())

/** The command line: the first screen line after `clear` (fish shows its pager below it). */
const commandLine = (screen: string) => (screen.split('\n')[0] ?? '').trimEnd()

describe.each(['bash', 'zsh', 'fish'] as const)('completion in %s', (shell) => {
  let term: Terminal

  beforeAll(async () => {
    requireShell(shell)
    term = openTerminal(repo.root, {width: 100, height: 20, shell})
    await term.waitFor((s) => /\$\s*$/.test(s))
    term.keys(`${SETUP[shell].setup}; clear`, 'Enter')
    await term.waitFor((s) => s.trim() === '$', 30_000)
  })

  afterAll(() => term?.close())

  /** Types TEXT then Tab on a cleared screen; waits until the command line reads EXPECTED. */
  async function completes(text: string, expected: string): Promise<void> {
    term.keys('C-u')
    term.keys('clear', 'Enter')
    await term.waitFor((s) => s.trim() === '$')
    term.keys(text, 'Tab')
    await term.waitFor((s) => commandLine(s) === `$ ${expected}`)
  }

  it('commands, subcommands and flags', async () => {
    await completes('xv sh', 'xv show')
    await completes('xv worktree re', 'xv worktree remove')
    await completes('xv show --li', 'xv show --limit')
  })

  it('versions: lists the matches only, completes the unique one', async () => {
    term.keys('C-u')
    term.keys('clear', 'Enter')
    await term.waitFor((s) => s.trim() === '$')
    term.keys('xv show e0.', ...SETUP[shell].list)
    const listed = await term.waitFor((s) => s.includes('e0.1.0') && s.includes('e0.2.0'))
    expect(listed).not.toContain('e1.0.0')
    await completes('xv show e1', 'xv show e1.0.0')
  })

  it('worktree names, model candidates, metric names', async () => {
    await completes('xv worktree remove c', 'xv worktree remove cnn')
    await completes('xv model info al', 'xv model info alpha-model.bin')
    await completes('xv model promote be', 'xv model promote beta-model.bin')
    await completes('xv list --sort l', 'xv list --sort loss')
    await completes('xv plot f', 'xv plot f1')
  })
})
