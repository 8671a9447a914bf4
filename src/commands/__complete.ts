import {XvCommand} from '../base-command.js'
import {complete} from '../completion-cli.js'

export default class Complete extends XvCommand {
  static override hidden = true
  static override strict = false
  static override summary = 'Completion values for the shell scripts (xv autocomplete).'
  static override description =
    'Prints one candidate per line for the word being completed: `xv __complete WORDS… -- CURRENT`. `--setup bash|zsh|fish` prints the shell glue. (bin/run.js answers it without loading oclif; this command serves the same through oclif.)'
  static override examples = ['<%= config.bin %> __complete show -- e0.', '<%= config.bin %> __complete --setup fish | source']

  override async run(): Promise<void> {
    await complete(this.argv, () => this.config.commands)
  }
}
