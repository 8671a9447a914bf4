// `npm test`: runs vitest with coverage of every xv process the tests start and of the in-process tests,
// then prints the line coverage per folder of src/ and repeats the tests' closing line last.
// Arguments go to vitest (`npm test -- test/unit`); exits with vitest's exit code.
// XV_COVERAGE=0 runs the tests without coverage; XV_COVERAGE_FILES=src/domain lists that folder's files.
//
// How: test/helpers/coverage-filter.mjs is preloaded (NODE_OPTIONS=--import) into the test workers and
// every node process they start; it keeps V8's block coverage of dist/ only, in coverage/tmp. c8 then
// maps dist/ back to src/ through the source maps (.c8rc.json). No NODE_V8_COVERAGE: Node's own full
// dumps of every process (vitest, vite, node_modules) would be gigabytes and slow to read.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs'
import {join, relative, resolve} from 'node:path'

const root = resolve(import.meta.dirname, '..')
const bin = (name) => join(root, 'node_modules', '.bin', name)
const withCoverage = process.env.XV_COVERAGE !== '0'
const tmp = join(root, 'coverage', 'tmp')
const env = {...process.env}
if (withCoverage) {
  rmSync(tmp, {recursive: true, force: true})
  mkdirSync(tmp, {recursive: true})
  Object.assign(env, {
    XV_COVERAGE_DIR: tmp,
    XV_COVERAGE_KEEP: `${join(root, 'dist')}/`,
    NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import=${join(root, 'test', 'helpers', 'coverage-filter.mjs')}`.trim(),
  })
}

const tests = spawnSync(bin('vitest'), ['run', ...process.argv.slice(2)], {cwd: root, env, stdio: 'inherit'})
if (withCoverage) printFigures()
process.exit(tests.status ?? 1)

function printFigures() {
  const report = spawnSync(bin('c8'), ['report', '--reporter=json-summary', '--exclude-after-remap'], {cwd: root, stdio: ['ignore', 'ignore', 'inherit']})
  const file = join(root, 'coverage', 'coverage-summary.json')
  if (report.status !== 0 || !existsSync(file)) {
    process.stdout.write('\ncoverage: c8 report failed\n')
    return
  }

  const summary = JSON.parse(readFileSync(file, 'utf8'))
  const folders = new Map()
  for (const [path, figures] of Object.entries(summary)) {
    if (path === 'total') continue
    const parts = relative(root, path).split('/')
    const key = parts.length > 2 ? parts.slice(0, 2).join('/') : 'src (top level)'
    const agg = folders.get(key) ?? {covered: 0, total: 0}
    agg.covered += figures.lines.covered
    agg.total += figures.lines.total
    folders.set(key, agg)
  }

  const pct = (c, t) => (t === 0 ? 100 : (100 * c) / t).toFixed(1)
  process.stdout.write('\ncoverage (lines of src/, every xv process the tests ran and the in-process tests):\n')
  for (const [folder, {covered, total}] of [...folders].sort()) process.stdout.write(`  ${folder.padEnd(18)} ${pct(covered, total).padStart(5)} %  (${covered}/${total})\n`)
  const t = summary.total.lines
  process.stdout.write(`  ${'all of src'.padEnd(18)} ${pct(t.covered, t.total).padStart(5)} %  (${t.covered}/${t.total})\n`)
  // XV_COVERAGE_FILES=src/domain: that folder's files too, least covered first.
  const detail = process.env.XV_COVERAGE_FILES
  if (detail) {
    const files = Object.entries(summary).filter(([path]) => relative(root, path).startsWith(detail))
    files.sort(([, a], [, b]) => a.lines.pct - b.lines.pct)
    for (const [path, {lines}] of files) process.stdout.write(`    ${relative(root, path).padEnd(44)} ${pct(lines.covered, lines.total).padStart(5)} %  (${lines.total - lines.covered} lines not run)\n`)
  }

  const closing = join(root, 'coverage', 'closing-line.txt')
  if (existsSync(closing)) process.stdout.write(`\n${readFileSync(closing, 'utf8')}`)
}
