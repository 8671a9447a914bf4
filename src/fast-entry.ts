/**
 * The oclif-free fast entry. Loading oclif (its core, config and plugins) costs ~0.2 s of CPU per
 * command, which is most of the time of the read commands people run in loops and scripts and of
 * the start-up `xv run` adds to a training command. For those commands (FAST below) bin/run.js
 * first asks this module: it parses the command line from oclif.manifest.json (the declaration
 * oclif itself generated from the command classes) and runs the same command body (src/actions/)
 * with the same error rendering. Whenever the command line is anything but plain — help, an unknown
 * or repeated flag, a bad value, a missing or extra argument, exclusive flags together — it declines
 * and oclif runs the command as usual, so every message about the command line stays oclif's.
 * This module must not import oclif.
 */
import {readFileSync} from 'node:fs'

import type {MergeFlags} from './actions/merge.js'
import type {CommandIo} from './command-io.js'
import {integerBounds, parseInteger} from './flag-values.js'
import {jsonText} from './json/json-text.js'

interface ManifestFlag {
  name: string
  type: 'boolean' | 'option'
  char?: string
  multiple?: boolean
  delimiter?: string
  options?: string[]
  helpValue?: string
  default?: unknown
  exclusive?: string[]
  dependsOn?: string[]
  relationships?: unknown[]
}

interface ManifestCommand {
  strict?: boolean
  args: Record<string, {name: string; required?: boolean; options?: string[]}>
  flags: Record<string, ManifestFlag>
}

type Values = Record<string, unknown>
interface Parsed {
  args: string[]
  flags: Values
  /** The words after `--` (commands that are not strict). */
  rest: string[]
}

/** The commands the fast entry runs, and how each calls its body. */
const FAST: Record<string, (p: Parsed, io: CommandIo) => Promise<unknown>> = {
  list: async (p, io) => (await import('./actions/list.js')).list(p.flags, io),
  best: async (p, io) => (await import('./actions/best.js')).best(p.args[0] ?? '', p.flags, io),
  runs: async (p, io) => (await import('./actions/runs.js')).runs(p.flags, io),
  'runs:show': async (p, io) => (await import('./actions/runs.js')).runsShow(p.args[0] ?? '', io),
  run: async (p, io) => (await import('./actions/run.js')).run(p.rest, p.flags, io),
  merge: async (p, io) => (await import('./actions/merge.js')).merge(p.args, p.flags as unknown as MergeFlags, io),
}

/** Not strict, yet every word is an argument (a list of sources), not a command line passed on. */
const VARIADIC = new Set(['merge'])

/** The fast command ARGV names (`runs show …` → `runs:show`), with the words after it. */
function commandOf(argv: readonly string[]): {id: string; words: string[]} | undefined {
  const [first = '', second = ''] = argv
  if (`${first}:${second}` in FAST) return {id: `${first}:${second}`, words: argv.slice(2)}
  if (first in FAST) return {id: first, words: argv.slice(1)}
  return undefined
}

/** One flag's value, or undefined when oclif should judge it. */
function flagValue(flag: ManifestFlag, text: string): unknown {
  if (flag.options && !flag.options.includes(text)) return undefined
  const bounds = integerBounds(flag.helpValue)
  if (!bounds) return text
  try {
    return parseInteger(flag.name, text, bounds.min, bounds.max)
  } catch {
    return undefined
  }
}

/** Parses WORDS as oclif would for a plain command line; undefined means "let oclif do it". */
export function parsePlain(command: ManifestCommand, words: readonly string[], variadic = false): Parsed | undefined {
  const byChar = new Map(Object.values(command.flags).filter((f) => f.char).map((f) => [`-${f.char ?? ''}`, f]))
  const flags: Values = {}
  const args: string[] = []
  let rest: string[] = []
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? ''
    if (word === '--') {
      if (command.strict !== false || variadic) return undefined
      rest = words.slice(i + 1)
      break
    }

    if (!word.startsWith('-') || word === '-') {
      if (command.strict === false && !variadic) return undefined // `xv run python …` without `--`: oclif's rules
      args.push(word)
      continue
    }

    const eq = word.startsWith('--') ? word.indexOf('=') : -1
    const name = eq === -1 ? word : word.slice(0, eq)
    const flag = name.startsWith('--') ? command.flags[name.slice(2)] : byChar.get(name)
    if (!flag || flag.relationships || flag.dependsOn) return undefined
    if (flag.type === 'boolean') {
      if (eq !== -1 || flag.name in flags) return undefined
      flags[flag.name] = true
      continue
    }

    const text = eq === -1 ? words[++i] : word.slice(eq + 1)
    if (text === undefined || (eq === -1 && text.startsWith('-'))) return undefined
    const values = flag.delimiter ? text.split(flag.delimiter) : [text]
    const parsed = values.map((v) => flagValue(flag, v))
    if (parsed.includes(undefined)) return undefined
    if (flag.multiple) flags[flag.name] = [...((flags[flag.name] as unknown[] | undefined) ?? []), ...parsed]
    else if (flag.name in flags || parsed.length !== 1) return undefined
    else flags[flag.name] = parsed[0]
  }

  const declared = Object.values(command.args)
  if ((!variadic && args.length > declared.length) || declared.some((a, i) => (a.required && args[i] === undefined) || (a.options && args[i] !== undefined && !a.options.includes(args[i] ?? ''))))
    return undefined
  for (const flag of Object.values(command.flags)) {
    if (flag.name in flags) {
      if (flag.exclusive?.some((other) => other in flags)) return undefined
    } else if (flag.default !== undefined) flags[flag.name] = flag.default
    else if (flag.type === 'boolean') flags[flag.name] = false
  }

  return {args, flags, rest}
}

/**
 * Runs ARGV without oclif when it is a plain command line of a fast command; false when oclif must
 * run it (the caller then does). Errors are reported exactly as src/base-command.ts does.
 */
export async function runFast(argv: readonly string[], manifestUrl: URL): Promise<boolean> {
  const found = commandOf(argv)
  if (!found) return false
  const manifest = JSON.parse(readFileSync(manifestUrl, 'utf8')) as {commands: Record<string, ManifestCommand>}
  const command = manifest.commands[found.id]
  const body = FAST[found.id]
  if (!command || !body) return false
  const parsed = parsePlain(command, found.words, VARIADIC.has(found.id))
  if (!parsed) return false
  const json = parsed.flags.json === true
  const {processIo} = await import('./command-io.js')
  try {
    const result = await body(parsed, processIo(json))
    if (json) process.stdout.write(jsonText(result))
  } catch (error) {
    if (process.env.DEBUG) console.error(error)
    const {explainError, reportError} = await import('./render/error-line.js')
    const report = await explainError(error as Error, {commandId: found.id, flagNames: Object.keys(command.flags)})
    reportError(report, json)
    process.exitCode = report.exitCode
  }

  return true
}
