/** How a git failure reads: the first error line git printed, and the record separators of xv's formats. */
export const FIELD = '\u001f'
export const RECORD = '\u001e'

export function firstGitLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean)
  const fatal = lines.find((l) => l.startsWith('fatal:') || l.startsWith('error:'))
  return (fatal ?? lines[0] ?? 'no message').replace(/^(fatal|error):\s*/, '')
}
