/** "Did you mean": the names closest to what the user typed. */

/** Levenshtein distance between two strings. */
function editDistance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0
      row[j] = Math.min(tmp + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = tmp
    }
  }

  return row[b.length] ?? 0
}

function commonPrefix(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

/** The names closest to `wanted` (edit distance, then the longer common prefix), at most `n`. */
export function nearest(wanted: string, names: string[], n = 3): string[] {
  return [...names]
    .map((name) => ({name, d: editDistance(wanted.toLowerCase(), name.toLowerCase()), p: commonPrefix(wanted, name)}))
    .sort((x, y) => x.d - y.d || y.p - x.p || x.name.localeCompare(y.name))
    .slice(0, n)
    .map((x) => x.name)
}
