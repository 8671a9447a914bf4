/**
 * The experiment registry entry in a tag's subject line:
 * `key=value | key=value | data=3a2f1b | human description`.
 * The one place that writes and parses it. A `|` inside a value is written as `\|`.
 */

export interface TagMessage {
  fields: Record<string, string>
  description?: string
}

const KEY = /^[A-Za-z_][\w.\-/]*$/

function escapeValue(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll('\n', ' ').trim()
}

function splitSegments(subject: string): string[] {
  if (!subject.includes('\\')) return subject.split('|').map((p) => p.trim()).filter(Boolean)
  const parts: string[] = []
  let cur = ''
  for (let i = 0; i < subject.length; i++) {
    const ch = subject[i]
    if (ch === '\\' && i + 1 < subject.length && (subject[i + 1] === '|' || subject[i + 1] === '\\')) {
      cur += subject[i + 1]
      i++
    } else if (ch === '|') {
      parts.push(cur)
      cur = ''
    } else cur += ch
  }

  parts.push(cur)
  return parts.map((p) => p.trim()).filter(Boolean)
}

export function formatTagMessage(message: TagMessage): string {
  const segments = Object.entries(message.fields)
    .filter(([k, v]) => KEY.test(k) && v !== '')
    .map(([k, v]) => `${k}=${escapeValue(v)}`)
  const description = message.description?.replaceAll('\n', ' ').trim()
  if (description) segments.push(escapeValue(description))
  return segments.join(' | ')
}

export function parseTagMessage(subject: string): TagMessage {
  const fields: Record<string, string> = {}
  const free: string[] = []
  for (const seg of splitSegments(subject)) {
    const eq = seg.indexOf('=')
    const key = eq > 0 ? seg.slice(0, eq).trim() : ''
    if (key && KEY.test(key)) fields[key] = seg.slice(eq + 1).trim()
    else free.push(seg)
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

  return value.toFixed(4)
}
