// Prints the coverage figures of the test run (c8 collected them from every xv process the tests
// spawned, remapped to src/ through the source maps), per folder of src/, then repeats the tests'
// closing line so it stays the last line of `npm test`.
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {join, relative, resolve} from 'node:path'

const root = resolve(import.meta.dirname, '..')
const c8 = join(root, 'node_modules', '.bin', 'c8')
execFileSync(c8, ['report', '--reporter=json-summary', '--exclude-after-remap', '--include', 'src/**'], {cwd: root, stdio: ['ignore', 'ignore', 'inherit']})
const summary = JSON.parse(readFileSync(join(root, 'coverage', 'coverage-summary.json'), 'utf8'))
const folders = new Map()
for (const [file, figures] of Object.entries(summary)) {
  if (file === 'total') continue
  const rel = relative(root, file)
  const folder = rel.split('/').slice(0, 2).join('/').replace(/\.ts$/, '')
  const key = folder.startsWith('src/') && !folder.endsWith('.ts') && rel.split('/').length > 2 ? folder : 'src (top level)'
  const agg = folders.get(key) ?? {covered: 0, total: 0}
  agg.covered += figures.lines.covered
  agg.total += figures.lines.total
  folders.set(key, agg)
}
const pct = (c, t) => (t === 0 ? 100 : (100 * c) / t).toFixed(1)
process.stdout.write('\ncoverage (lines, every xv process the tests ran):\n')
for (const [folder, {covered, total}] of [...folders].sort()) process.stdout.write(`  ${folder.padEnd(18)} ${pct(covered, total).padStart(5)} %  (${covered}/${total})\n`)
const t = summary.total.lines
process.stdout.write(`  ${'all of src'.padEnd(18)} ${pct(t.covered, t.total).padStart(5)} %\n`)
const closing = join(root, 'coverage', 'closing-line.txt')
if (existsSync(closing)) process.stdout.write(`\n${readFileSync(closing, 'utf8')}`)
