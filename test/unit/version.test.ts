import {describe, expect, it} from 'vitest'

import semverCompare from 'semver/functions/compare.js'

import {asVersion, compareVersions, freeAlternatives, nextVersion, parseVersion} from '../../src/domain/version.js'

const v = (tag: string) => asVersion(tag, 'e')!

describe('experiment versions', () => {
  it('accepts semver under the prefix, pre-releases included', () => {
    expect(parseVersion('e0.1.0', 'e')).toMatchObject({tag: 'e0.1.0', semver: '0.1.0'})
    expect(parseVersion('e0.2.0-rc.1', 'e').semver).toBe('0.2.0-rc.1')
    expect(parseVersion('exp1.2.3', 'exp').semver).toBe('1.2.3')
  })

  it.each([
    ['0.1', /expected eMAJOR.MINOR.PATCH/],
    ['e0.1', /expected eMAJOR.MINOR.PATCH/],
    ['e1.2.3.4', /expected eMAJOR.MINOR.PATCH/],
    ['-e0.1.0', /starts with '-'/],
    ['e0.1.0 final', /contains spaces/],
    ['0.1.0', /lacks the prefix 'e'; did you mean e0.1.0/],
    ['ev0.1.0', /expected/],
  ])('refuses %j with one line', (input, message) => {
    expect(() => parseVersion(input, 'e')).toThrow(message)
  })

  it('picks the next free version by bump, ignoring other tags', () => {
    expect(nextVersion([], 'minor', 'e').tag).toBe('e0.1.0')
    expect(nextVersion([], 'major', 'e').tag).toBe('e1.0.0')
    expect(nextVersion([], 'patch', 'e').tag).toBe('e0.0.1')
    const existing = [v('e0.1.0'), v('e0.10.0'), v('e0.2.0')]
    expect(nextVersion(existing, 'minor', 'e').tag).toBe('e0.11.0')
    expect(nextVersion(existing, 'patch', 'e').tag).toBe('e0.10.1')
    expect(nextVersion(existing, 'major', 'e').tag).toBe('e1.0.0')
    expect(nextVersion([v('e0.2.0-rc.1')], 'minor', 'e').tag).toBe('e0.3.0')
  })

  it('names free alternatives for a taken version', () => {
    const existing = [v('e0.1.0'), v('e0.1.1'), v('e0.2.0')]
    expect(freeAlternatives(v('e0.1.0'), existing, 'e')).toEqual(['e0.3.0', 'e0.1.2'])
  })

  it('orders plain releases (read without semver) and pre-releases exactly as semver does', () => {
    const tags = ['e1.0.0', 'e0.10.0', 'e0.2.0-rc.1', 'e0.2.0', 'e0.2.0-rc.10', 'e10.0.0', 'e0.0.1', 'e0.2.1', 'e2.0.0-alpha']
    const versions = tags.map(v)
    const bySemver = [...versions].sort((a, b) => semverCompare(a.semver, b.semver)).map((x) => x.tag)
    expect([...versions].sort(compareVersions).map((x) => x.tag)).toEqual(bySemver)
    for (const bad of ['e01.2.3', 'e1.2', 'e1.2.3.4', 'e1.02.3']) expect(asVersion(bad, 'e')).toBeUndefined()
  })
})
