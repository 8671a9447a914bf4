import {expect} from 'vitest'

/** Asserts a failed run printed exactly one `xv: error: …` line on stderr, and returns it. */
export function oneLineError(res: {stderr: string; exitCode: number}): string {
  expect(res.exitCode).not.toBe(0)
  const lines = res.stderr.trim().split('\n')
  expect(lines, res.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^xv: error: /)
  return lines[0] ?? ''
}
