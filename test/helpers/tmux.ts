/**
 * A real terminal for tests: a detached tmux session running bash (or zsh, fish), with `xv` on PATH (the built
 * CLI). Keys are typed with send-keys, the screen is read with capture-pane, and everything the
 * terminal received (escape codes included) is recorded with pipe-pane.
 */
import {execFileSync} from 'node:child_process'
import {chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {XV_BIN, tempDir} from './repo.js'

export interface Terminal {
  /** Types TEXT (tmux key names allowed, e.g. 'Tab', 'Enter', 'C-c'). */
  keys: (...keys: string[]) => void
  /** The visible screen, trailing blank lines removed. */
  screen: () => string
  /** Everything the terminal received so far. */
  recorded: () => string
  /** Waits until PREDICATE holds for the screen (or the recording), up to MS. */
  waitFor: (predicate: (screen: string, recorded: string) => boolean, ms?: number) => Promise<string>
  close: () => void
}

let counter = 0

export type ShellName = 'bash' | 'zsh' | 'fish'

/** Each shell started without the user's configuration, with the prompt `$ ` (fish: no greeting, no autosuggestions). */
const SHELL_COMMAND: Record<ShellName, string[]> = {
  bash: ['bash', '--norc', '--noprofile'],
  zsh: ['zsh', '-f'],
  fish: ['fish', '--no-config', '-C', "function fish_prompt; printf '$ '; end; set -g fish_greeting; set -g fish_autosuggestion_enabled 0"],
}

/** Fails in one line when SHELL is not installed (a missing tool is a failure, never a skip). */
export function requireShell(shell: ShellName): void {
  try {
    execFileSync('sh', ['-c', `command -v ${shell}`], {stdio: 'ignore'})
  } catch {
    throw new Error(`${shell} is not installed: run 'bash scripts/install-test-extras.sh' (apt-get install ${shell}); the completion tests need it`)
  }
}

export function openTerminal(cwd: string, options: {width?: number; height?: number; env?: Record<string, string>; shell?: ShellName} = {}): Terminal {
  const dir = tempDir('xv-tmux-')
  const bin = join(dir, 'bin')
  mkdirSync(bin)
  writeFileSync(join(bin, 'xv'), `#!/bin/sh\nexec node ${XV_BIN} "$@"\n`)
  chmodSync(join(bin, 'xv'), 0o755)
  const log = join(dir, 'pane.log')
  writeFileSync(log, '')
  const name = `xv-test-${process.pid}-${++counter}`
  const env = {
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    HOME: dir,
    TERM: 'xterm-256color',
    PS1: '$ ',
    // the test process's git identity and DVC settings (a tmux server started elsewhere does not have them)
    ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => /^(GIT_|DVC_)/.test(e[0]) && e[1] !== undefined)),
    ...options.env,
  }
  const exports = Object.entries(env).map(([k, v]) => `${k}=${v}`)
  execFileSync('tmux', [
    'new-session', '-d', '-s', name, '-x', String(options.width ?? 120), '-y', String(options.height ?? 30), '-c', cwd,
    'env', '-u', 'NO_COLOR', '-u', 'FORCE_COLOR', '-u', 'CI', '-u', 'PAGER', ...exports, ...SHELL_COMMAND[options.shell ?? 'bash'],
  ])
  execFileSync('tmux', ['pipe-pane', '-t', name, '-o', `cat >> ${log}`])
  const t: Terminal = {
    keys: (...keys) => execFileSync('tmux', ['send-keys', '-t', name, ...keys]),
    screen: () => execFileSync('tmux', ['capture-pane', '-p', '-t', name], {encoding: 'utf8'}).replace(/\n+$/, ''),
    recorded: () => readFileSync(log, 'utf8'),
    waitFor: async (predicate, ms = 20_000) => {
      const end = Date.now() + ms
      for (;;) {
        const s = t.screen()
        if (predicate(s, t.recorded())) return s
        if (Date.now() > end) throw new Error(`terminal: condition not met in ${ms} ms; screen:\n${s}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    },
    close: () => {
      try {
        execFileSync('tmux', ['kill-session', '-t', name])
      } catch {
        // already gone
      }
    },
  }
  return t
}
