/**
 * Extends oclif's autocomplete plugin (registered in package.json) without replacing it:
 * - prerun: `xv autocomplete fish` prints the fish setup (the plugin knows bash, zsh, powershell);
 * - postrun: the script `xv autocomplete script bash|zsh` sources also wires in `xv __complete`
 *   for argument values (versions, worktree names, candidates, metric names).
 */
import type {Hook} from '@oclif/core'

export const prerun: Hook<'prerun'> = async function (opts) {
  if (opts.Command.id !== 'autocomplete' || opts.argv[0] !== 'fish') return
  const {fishInstructions} = await import('../render/completion-scripts.js')
  process.stdout.write(`${fishInstructions()}\n`)
  this.exit(0)
}

export const postrun: Hook<'postrun'> = function (opts) {
  if (opts.Command.id !== 'autocomplete:script') return Promise.resolve()
  const shell = opts.argv[0] ?? this.config.shell
  if (shell !== 'bash' && shell !== 'zsh') return Promise.resolve()
  process.stdout.write(`eval "$(${this.config.bin} __complete --setup ${shell})"\n`)
  return Promise.resolve()
}
