/**
 * `xv __complete WORDS… -- CURRENT`: the candidates for the word being completed, one per line.
 * bin/run.js answers it from here without loading oclif (completion must answer in ≤ 0.3 s with
 * 10,000 tags): commands, arguments and flags come from oclif.manifest.json, values from
 * src/domain/completion.ts.
 */
import {readFileSync} from 'node:fs'

import {kindOf, valuesOf} from './domain/completion.js'

export interface CompletableCommand {
  id: string
  hidden?: boolean
  strict?: boolean
  args: Record<string, unknown>
  flags: Partial<Record<string, {type?: string}>>
}

function commandsIn(manifestUrl: URL | string): CompletableCommand[] {
  try {
    const manifest = JSON.parse(readFileSync(manifestUrl, 'utf8')) as {commands: Record<string, CompletableCommand>}
    return Object.values(manifest.commands)
  } catch {
    return []
  }
}

/** The commands as oclif's manifests list them: xv's own and those of its plugins (help, autocomplete). */
export function manifestCommands(manifestUrl: URL): CompletableCommand[] {
  const pjson = JSON.parse(readFileSync(new URL('package.json', manifestUrl), 'utf8')) as {oclif?: {plugins?: string[]}}
  const plugins = (pjson.oclif?.plugins ?? []).flatMap((name) => {
    try {
      return commandsIn(new URL('../oclif.manifest.json', import.meta.resolve(name)))
    } catch {
      return []
    }
  })
  return [...commandsIn(manifestUrl), ...plugins]
}

function commandAt(commands: CompletableCommand[], words: string[]): {cmd?: CompletableCommand; used: number} {
  let cmd: CompletableCommand | undefined
  let used = 0
  for (let n = 1; n <= words.length; n++) {
    const found = commands.find((c) => c.id === words.slice(0, n).join(':'))
    if (found) [cmd, used] = [found, n]
  }

  return {cmd, used}
}

/** Index of the positional argument being typed after the command words REST. */
function positionOf(cmd: CompletableCommand, rest: string[]): number {
  let position = 0
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i] ?? ''
    if (w.startsWith('-')) {
      const [flagName = ''] = w.replace(/^-+/, '').split('=')
      if (cmd.flags[flagName]?.type === 'option' && !w.includes('=')) i++
    } else position++
  }

  return position
}

export async function completionCandidates(all: CompletableCommand[], words: string[], current: string, cwd = process.cwd()): Promise<string[]> {
  const commands = all.filter((c) => !c.hidden)
  const {cmd, used} = commandAt(commands, words)
  if (!cmd) {
    const prefix = words.join(':')
    const ids = commands.map((c) => c.id).filter((id) => (prefix ? id.startsWith(`${prefix}:`) : true))
    return [...new Set(ids.map((id) => id.split(':')[words.length] ?? ''))].filter(Boolean).sort()
  }

  if (current.startsWith('-')) return Object.keys(cmd.flags).map((f) => `--${f}`).sort()
  const rest = words.slice(used)
  const previous = rest.at(-1)
  if (previous?.startsWith('--') && cmd.flags[previous.slice(2)]?.type === 'option') {
    const kind = kindOf(cmd.id, previous.slice(2), true)
    return kind ? valuesOf(kind, cwd, current) : []
  }

  const names = Object.keys(cmd.args)
  const position = positionOf(cmd, rest)
  const variadic = cmd.strict === false ? (names.at(-1) ?? (cmd.id === 'merge' ? 'sources' : undefined)) : undefined
  const name = names.at(position) ?? variadic
  const kind = name === undefined ? undefined : kindOf(cmd.id, name, false)
  return kind ? valuesOf(kind, cwd, current) : []
}

/** Runs `__complete ARGV` and prints the candidates (or the shell glue for `--setup SHELL`). */
export async function complete(argv: string[], commands: () => CompletableCommand[]): Promise<void> {
  if (argv[0] === '--setup') {
    const {SHELLS, completionScript} = await import('./render/completion-scripts.js')
    const shell = SHELLS.find((s) => s === argv[1])
    if (shell === undefined) {
      process.stderr.write(`xv: error: --setup: expected one of ${SHELLS.join(', ')}, got '${argv[1] ?? ''}'\n`)
      process.exitCode = 2
      return
    }

    process.stdout.write(completionScript(shell))
    return
  }

  // The scripts call `__complete WORDS… -- CURRENT`: the separator is the last-but-one word (the
  // last one when a shell dropped an empty CURRENT).
  const [words, current] = argv.at(-2) === '--' ? [argv.slice(0, -2), argv.at(-1) ?? ''] : argv.at(-1) === '--' ? [argv.slice(0, -1), ''] : [argv.slice(0, -1), argv.at(-1) ?? '']
  const values = (await completionCandidates(commands(), words, current)).filter((v) => v.startsWith(current))
  if (values.length > 0) process.stdout.write(`${values.join('\n')}\n`)
}
