/**
 * Experiment versions: a semver with a prefix (`e0.1.0`). The one place that knows the format.
 */
import {createRequire} from 'node:module'

import type {SemVer} from 'semver'

// semver (CommonJS) is loaded on first use, and only the functions in use: plain releases
// (MAJOR.MINOR.PATCH, what xv writes) are read and compared without it, so `xv list` never loads it.
interface SemverFunctions {
  parse: (v: string) => SemVer | null
  rcompare: (a: string, b: string) => number
  valid: (v: string) => string | null
}
let semverFunctions: SemverFunctions | undefined
function semver(): SemverFunctions {
  if (!semverFunctions) {
    const require = createRequire(import.meta.url)
    semverFunctions = {
      parse: require('semver/functions/parse.js') as SemverFunctions['parse'],
      rcompare: require('semver/functions/rcompare.js') as SemverFunctions['rcompare'],
      valid: require('semver/functions/valid.js') as SemverFunctions['valid'],
    }
  }

  return semverFunctions
}

/** Parses a semver that xv validated when it made the ExperimentVersion (so it always parses). */
function parseValid(text: string): SemVer {
  const p = semver().parse(text)
  if (!p) throw new Error(`internal: '${text}' is not a semantic version`)
  return p
}

/** The next version of a valid semver; semver.inc only returns null for invalid input. */
function bumped(text: string, bump: Bump): string {
  return parseValid(text).inc(bump).version
}

import {XvError} from '../errors.js'

export type Bump = 'major' | 'minor' | 'patch'

export interface ExperimentVersion {
  /** The tag name, e.g. `e0.1.0`. */
  tag: string
  /** The semver part, e.g. `0.1.0`. */
  semver: string
}

// Parsed once per version: sorting 10,000 tags must not re-parse on every comparison. A plain
// release (MAJOR.MINOR.PATCH, as xv writes them) is read as three numbers without semver's parser;
// pre-releases and build metadata go through semver.
const PLAIN = /^(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})$/
// The three numbers of a plain release ride on the version object under a symbol (JSON and spreads
// never see it; no WeakMap for the garbage collector to walk).
const PLAIN_NUMBERS = Symbol('plain release numbers')
interface Numbered {
  [PLAIN_NUMBERS]?: readonly [number, number, number]
}
const parsedCache = new WeakMap<ExperimentVersion, SemVer>()
function parsed(v: ExperimentVersion): SemVer {
  let p = parsedCache.get(v)
  if (!p) {
    p = parseValid(v.semver)
    parsedCache.set(v, p)
  }

  return p
}

const EXAMPLE = (prefix: string) => `${prefix}0.1.0`

/** Parses a tag name under a prefix; undefined when it is not an experiment version. */
export function asVersion(tag: string, prefix: string): ExperimentVersion | undefined {
  if (!tag.startsWith(prefix)) return undefined
  const rest = tag.slice(prefix.length)
  const plain = PLAIN.exec(rest)
  if (plain) {
    const version: ExperimentVersion & Numbered = {tag, semver: rest, [PLAIN_NUMBERS]: [Number(plain[1]), Number(plain[2]), Number(plain[3])]}
    return version
  }

  if (!/^\d/.test(rest)) return undefined
  const p = semver().parse(rest)
  if (!p || p.version !== rest) return undefined
  const version = {tag, semver: p.version}
  parsedCache.set(version, p)
  return version
}

/** Checks a version the user typed; the error says what a valid one looks like. */
export function parseVersion(input: string, prefix: string): ExperimentVersion {
  const text = input
  const shown = JSON.stringify(text)
  if (text.trim() !== text || /\s/.test(text))
    throw new XvError(`not a version: ${shown} contains spaces; use ${EXAMPLE(prefix)}`)
  if (text.startsWith('-'))
    throw new XvError(`not a version: ${shown} starts with '-'; use ${EXAMPLE(prefix)}`)
  const version = asVersion(text, prefix)
  if (version) return version
  if (prefix && !text.startsWith(prefix) && semver().valid(text) === text)
    throw new XvError(`not a version: ${shown} lacks the prefix '${prefix}'; did you mean ${prefix}${text}?`)
  throw new XvError(
    `not a version: ${shown}; expected ${prefix}MAJOR.MINOR.PATCH (semver with prefix '${prefix}'), e.g. ${EXAMPLE(prefix)} or ${prefix}0.2.0-rc.1`,
  )
}

export function compareVersions(a: ExperimentVersion, b: ExperimentVersion): number {
  const pa = (a as Numbered)[PLAIN_NUMBERS]
  const pb = (b as Numbered)[PLAIN_NUMBERS]
  if (pa && pb) return Math.sign(pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2])
  return parsed(a).compare(parsed(b))
}

/** The next version after the highest existing one (0.1.0 for the first minor/patch, 1.0.0 for major). */
export function nextVersion(existing: ExperimentVersion[], bump: Bump, prefix: string): ExperimentVersion {
  const taken = new Set(existing.map((v) => v.semver))
  let base = existing.map((v) => v.semver).sort(semver().rcompare)[0]
  let next: string
  if (!base) next = bump === 'major' ? '1.0.0' : bump === 'minor' ? '0.1.0' : '0.0.1'
  else {
    // A pre-release of the next version is bumped to that version itself by semver; use the release.
    const parsed = parseValid(base)
    if (parsed.prerelease.length > 0) base = `${parsed.major}.${parsed.minor}.${parsed.patch}`
    next = bumped(base, bump)
  }

  while (taken.has(next)) next = bumped(next, 'patch')
  return {tag: `${prefix}${next}`, semver: next}
}

/** Suggestions for a version that is taken: the next free patch of it and the next minor overall. */
export function freeAlternatives(taken: ExperimentVersion, existing: ExperimentVersion[], prefix: string): string[] {
  const names = new Set(existing.map((v) => v.semver))
  let patch = bumped(taken.semver, 'patch')
  while (names.has(patch)) patch = bumped(patch, 'patch')
  const minor = nextVersion(existing, 'minor', prefix).tag
  const list = [minor, `${prefix}${patch}`]
  return [...new Set(list)]
}
