import {XvCommand} from '../base-command.js'
import {UsageError} from '../errors.js'

interface Described {
  id: string
  hidden?: boolean
  strict?: boolean
  args: Record<string, unknown>
  flags: Partial<Record<string, {type?: string}>>
}

export default class Complete extends XvCommand {
  static override hidden = true
  static override strict = false
  static override summary = 'Completion values for the shell scripts (xv autocomplete).'
  static override description =
    'Prints one candidate per line for the word being completed: `xv __complete WORDS… -- CURRENT`. `--setup bash|zsh|fish` prints the shell glue.'
  static override examples = ['<%= config.bin %> __complete show -- e0.', '<%= config.bin %> __complete --setup fish | source']

  override async run() {
    const argv = this.argv
    if (argv[0] === '--setup') {
      const {SHELLS, completionScript} = await import('../render/completion-scripts.js')
      const shell = argv[1] as (typeof SHELLS)[number]
      if (!SHELLS.includes(shell)) throw new UsageError(`--setup: expected one of ${SHELLS.join(', ')}, got '${argv[1] ?? ''}'`)
      process.stdout.write(completionScript(shell))
      return
    }

    const end = argv.lastIndexOf('--')
    const words = end === -1 ? argv.slice(0, -1) : argv.slice(0, end)
    const current = (end === -1 ? argv.at(-1) : argv[end + 1]) ?? ''
    const values = await this.candidates(words, current)
    const shown = values.filter((v) => v.startsWith(current))
    if (shown.length > 0) process.stdout.write(`${shown.join('\n')}\n`)
  }

  private commands(): Described[] {
    return this.config.commands
  }

  private async candidates(words: string[], current: string): Promise<string[]> {
    const commands = this.commands().filter((c) => !c.hidden)
    // The command: the longest run of leading words that names one.
    let cmd: Described | undefined
    let used = 0
    for (let n = 1; n <= words.length; n++) {
      const found = commands.find((c) => c.id === words.slice(0, n).join(':'))
      if (found) [cmd, used] = [found, n]
    }

    if (!cmd) {
      const prefix = words.join(':')
      const ids = commands.map((c) => c.id).filter((id) => (prefix ? id.startsWith(`${prefix}:`) : true))
      return [...new Set(ids.map((id) => id.split(':')[words.length] ?? ''))].filter(Boolean).sort()
    }

    if (current.startsWith('-')) return Object.keys(cmd.flags).map((f) => `--${f}`).sort()
    const {kindOf, valuesOf} = await import('../domain/completion.js')
    const rest = words.slice(used)
    const previous = rest.at(-1)
    if (previous?.startsWith('--')) {
      const flag = cmd.flags[previous.slice(2)]
      if (flag?.type === 'option') {
        const kind = kindOf(cmd.id, previous.slice(2), true)
        return kind ? valuesOf(kind, process.cwd(), current) : []
      }
    }

    // Which positional argument is being typed: words that are not flags nor flag values.
    let position = 0
    for (let i = 0; i < rest.length; i++) {
      const w = rest[i] ?? ''
      if (w.startsWith('-')) {
        const [flagName = ''] = w.replace(/^-+/, '').split('=')
        const flag = cmd.flags[flagName]
        if (flag?.type === 'option' && !w.includes('=')) i++
      } else position++
    }

    const names = Object.keys(cmd.args)
    const name = names.at(position) ?? (cmd.strict === false ? (names.at(-1) ?? (cmd.id === 'merge' ? 'sources' : undefined)) : undefined)
    const kind = name === undefined ? undefined : kindOf(cmd.id, name, false)
    return kind ? valuesOf(kind, process.cwd(), current) : []
  }
}
