#!/usr/bin/env node
// `xv --version` answers without loading oclif (start-up is most of its cost); it prints what
// oclif's own version flag prints. So do list/best/runs/run with a plain command line (src/fast-entry.ts).
// Everything else goes through oclif; a failure outside any
// command (an unknown command…) is reported by dist/cli-error.js in the `xv: error:` form.
const args = process.argv.slice(2)
// A reader that stops early (`xv list --json | head`) is not an error, as with git.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})
// `xv list` reads every tag with one for-each-ref: it starts now, so git works while node loads the rest.
if (args[0] === 'list' && !process.env.XV_NO_FAST_ENTRY) (await import('../dist/adapters/git.js')).Git.prefetchTags(process.cwd())

if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  const {readFileSync} = await import('node:fs')
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`xv/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else if (args[0] === '__complete') {
  // Shell completion answers without loading oclif (≤ 0.3 s with 10,000 tags).
  const {complete, manifestCommands} = await import('../dist/completion-cli.js')
  await complete(args.slice(1), () => manifestCommands(new URL('../oclif.manifest.json', import.meta.url)))
} else if (
  // The read commands and `xv run` answer without loading oclif when their command line is plain
  // (src/fast-entry.ts); anything else — help, typos, bad values — is oclif's. XV_NO_FAST_ENTRY=1: always oclif.
  process.env.XV_NO_FAST_ENTRY ||
  !(await (await import('../dist/fast-entry.js')).runFast(args, new URL('../oclif.manifest.json', import.meta.url)))
) {
  const {flush, run} = await import('@oclif/core')
  // oclif's not-found plugin says "X is not a xv command." before it prompts (terminal) or fails;
  // xv words that as its own `xv: error:` line, so the plugin's line is dropped.
  const consoleError = console.error
  console.error = (...parts) => {
    if (typeof parts[0] === 'string' && / is not a xv command\.\s*$/.test(parts[0])) return
    consoleError(...parts)
  }

  try {
    await run(args, import.meta.url)
    await flush()
  } catch (error) {
    const {reportFailure} = await import('../dist/cli-error.js')
    await reportFailure(error, args, import.meta.url)
  }
}
