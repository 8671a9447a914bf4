/**
 * Flag values checked the same way by oclif (src/flags.ts) and by the oclif-free fast entry
 * (src/fast-entry.ts): this module must not import oclif.
 * - An integer flag's help value (`<integer ≥ 1>`) is written here and read back here, so the
 *   manifest alone tells the fast entry a flag's bounds.
 */
import {UsageError} from './errors.js'

/** A bad flag value. oclif prefixes the message of a failed flag parse ("Parsing --x"); `reason` keeps ours. */
export class FlagValueError extends UsageError {
  readonly reason: string

  constructor(reason: string) {
    super(reason)
    this.name = 'FlagValueError'
    this.reason = reason
  }
}

function bounds(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`
  if (min !== undefined) return ` ≥ ${min}`
  if (max !== undefined) return ` ≤ ${max}`
  return ''
}

/** The help value of an integer flag, e.g. `<integer ≥ 1>` (also how the manifest marks it). */
export function integerHelpValue(min?: number, max?: number): string {
  return `<integer${bounds(min, max)}>`
}

/** The bounds an integer flag's help value states, or undefined when HELP is not one. */
export function integerBounds(help: string | undefined): {min?: number; max?: number} | undefined {
  const m = /^<integer(?: from (-?\d+) to (-?\d+)| ≥ (-?\d+)| ≤ (-?\d+))?>$/.exec(help ?? '')
  if (!m) return undefined
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s))
  return {min: num(m[1] ?? m[3]), max: num(m[2] ?? m[4])}
}

/** Parses a whole number for flag NAME within [min, max]. */
export function parseInteger(name: string, input: string, min?: number, max?: number): number {
  const text = input.trim()
  const value = /^[-+]?\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value) || (min !== undefined && value < min) || (max !== undefined && value > max))
    throw new FlagValueError(`--${name}: expected an integer${bounds(min, max)}, got '${input}'`)
  return value
}

/** The values of a `list` flag (also tolerant of spaces around commas), undefined when not given. */
export function listValues(values: readonly string[] | undefined): string[] | undefined {
  const out = values?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)
  return out && out.length > 0 ? out : undefined
}
