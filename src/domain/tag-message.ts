/**
 * The experiment registry entry in a tag's subject line:
 * `f1=0.91 | lr=0.001 | bs=32 | runs=4 | data=3a2f1b | human description`.
 * The one place that writes and parses it. In values `|` and `\` are written `\|` and `\\`; in the
 * description `=` is also written `\=`, so any text the user gives (`eval=v2 | new test set`)
 * comes back verbatim as the description, never as fields. A tag with no rows of its own says
 * `no runs` (parsed as runs=0).
 */

export interface TagMessage {
  fields: Record<string, string>
  description?: string
}

const KEY = /^[A-Za-z_][\w.\-/]*$/
const NO_RUNS = 'no runs'

function escapeValue(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll('\n', ' ').trim()
}

function escapeDescription(value: string): string {
  const text = escapeValue(value).replaceAll('=', '\\=')
  return text === NO_RUNS ? `\\${text}` : text
}

/** Raw segments (escapes kept) split at unescaped `|`. */
function rawSegments(subject: string): string[] {
  const parts: string[] = []
  let cur = ''
  for (let i = 0; i < subject.length; i++) {
    const ch = subject.charAt(i)
    if (ch === '\\' && i + 1 < subject.length) {
      cur += ch + subject.charAt(i + 1)
      i++
    } else if (ch === '|') {
      parts.push(cur)
      cur = ''
    } else cur += ch
  }

  parts.push(cur)
  return parts.map((p) => p.trim()).filter(Boolean)
}

function unescape(text: string): string {
  if (!text.includes('\\')) return text
  return text.replace(/\\(.)/g, '$1')
}

/** Index of the first `=` not preceded by a backslash escape, or -1. */
function unescapedEquals(seg: string): number {
  if (!seg.includes('\\')) return seg.indexOf('=')
  for (let i = 0; i < seg.length; i++) {
    if (seg[i] === '\\') i++
    else if (seg[i] === '=') return i
  }

  return -1
}

export function formatTagMessage(message: TagMessage): string {
  const segments = Object.entries(message.fields)
    .filter(([k, v]) => KEY.test(k) && v !== '')
    .map(([k, v]) => (k === 'runs' && v === '0' ? NO_RUNS : `${k}=${escapeValue(v)}`))
  const description = message.description?.replaceAll('\n', ' ').trim()
  if (description) segments.push(escapeDescription(description))
  return segments.join(' | ')
}

// Field names repeat across thousands of tags: each is checked against KEY once.
const keyCache = new Map<string, boolean>()
function isKey(name: string): boolean {
  let ok = keyCache.get(name)
  if (ok === undefined) keyCache.set(name, (ok = KEY.test(name)))
  return ok
}

/** The common case, a subject without escapes, in one pass (10,000 tags are listed at once). */
function parsePlainMessage(subject: string): TagMessage {
  const fields: Record<string, string> = {}
  let free: string[] | undefined
  for (let start = 0; start < subject.length; ) {
    let end = subject.indexOf('|', start)
    if (end === -1) end = subject.length
    const seg = subject.slice(start, end).trim()
    start = end + 1
    if (!seg) continue
    if (seg === NO_RUNS) fields.runs = '0'
    else {
      const eq = seg.indexOf('=')
      const key = eq > 0 ? seg.slice(0, eq).trim() : ''
      if (key && isKey(key)) fields[key] = seg.slice(eq + 1).trim()
      else (free ??= []).push(seg)
    }
  }

  return {fields, description: free ? free.join(' | ') : undefined}
}

export function parseTagMessage(subject: string): TagMessage {
  if (!subject.includes('\\')) return parsePlainMessage(subject)
  const fields: Record<string, string> = {}
  const free: string[] = []
  for (const seg of rawSegments(subject)) {
    if (seg === NO_RUNS) {
      fields.runs = '0'
      continue
    }

    const eq = unescapedEquals(seg)
    const key = eq > 0 ? seg.slice(0, eq).trim() : ''
    if (key && isKey(key)) fields[key] = unescape(seg.slice(eq + 1).trim())
    else free.push(unescape(seg))
  }

  return {fields, description: free.length > 0 ? free.join(' | ') : undefined}
}

/** Numbers in a tag message: 4 decimals, small magnitudes in exponent form so 1e-5 stays 1e-5. */
export function formatNumber(value: number, integer = false): string {
  if (!Number.isFinite(value)) return String(value)
  if (integer && Number.isInteger(value)) return String(value)
  const abs = Math.abs(value)
  if (abs !== 0 && abs < 0.001) {
    const [mant, exp] = value.toExponential(3).split('e')
    return `${String(Number(mant))}e${exp}`
  }

  if (abs >= 1e6) return String(roundSane(value))
  return value.toFixed(4)
}

/** A value as a param prints it: integers as they are, floats without float noise. */
export function formatParam(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(roundSane(value))
  if (value === null || value === undefined) return ''
  return asText(value)
}

/** A value read from a row or a YAML file as text: scalars as String() prints them, lists joined by commas, objects as JSON. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || typeof value === 'symbol') return String(value)
  if (value === null || value === undefined) return String(value)
  if (Array.isArray(value)) return value.map((v: unknown) => (v === null || v === undefined ? '' : asText(v))).join(',')
  if (value instanceof Date) return value.toString()
  if (typeof value === 'function') return '[function]'
  return JSON.stringify(value)
}

/** JSON-safe rounding: 12 significant digits, so a mean of ten 0.81 is 0.81 (not 0.8100000000000002). */
export function roundSane(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value
  return Number(value.toPrecision(12))
}
