/**
 * Flag kinds shared by every command, so each convention is written once:
 * - `integer`: a whole number with bounds; a bad value says which flag, what it expected and what it got
 *   (`--limit: expected an integer ≥ 1, got 'abc'`).
 * - `list`: a flag that takes several values as `--table a --table b` or `--table a,b` and never
 *   swallows the positional arguments that follow it (`xv merge --table runs exp-cnn`).
 */
import {Flags} from '@oclif/core'
import type {OptionFlag} from '@oclif/core/interfaces'

import {integerHelpValue, parseInteger} from './flag-values.js'

export {FlagValueError, listValues, parseInteger} from './flag-values.js'

interface IntegerOptions {
  description: string
  min?: number
  max?: number
  required?: boolean
}

/** An integer flag (oclif's) whose bad values are reported as `--NAME: expected an integer ≥ MIN, got 'X'`. */
export function integer(options: IntegerOptions & {default: number}): OptionFlag<number>
export function integer(options: IntegerOptions): OptionFlag<number | undefined>
export function integer(options: IntegerOptions & {default?: number}): OptionFlag<number | undefined> {
  const {min, max} = options
  return Flags.integer({
    helpValue: integerHelpValue(min, max),
    ...options,
    parse: (input: string, _ctx: unknown, opts: {name: string}) => Promise.resolve(parseInteger(opts.name, input, min, max)),
  })
}

/** A multi-value flag: repeat it or separate values with commas; never swallows positionals. */
export function list(options: Omit<NonNullable<Parameters<typeof Flags.string>[0]>, 'multiple'>) {
  return Flags.string({...options, multiple: true, multipleNonGreedy: true, delimiter: ','})
}
