import {Args} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {editConfig, type ConfigAction} from '../domain/config-edit.js'
import {UsageError} from '../errors.js'
import {renderConfig} from '../render/status.js'

const ACTIONS = ['get', 'set', 'unset', 'list'] as const

export default class Config extends XvCommand {
  static override summary = 'Read or change xv.yaml (validated; comments kept), like dvc config.'
  static override description =
    'KEY is a top-level key of xv.yaml or a dotted path (model.name). VALUE is YAML: true, 120, results/x.db, [f1, loss]. Every change is checked against the same rules every command applies before the file is written; comments and layout stay as they were. `xv config KEY` reads, `xv config KEY VALUE` sets.'
  static override examples = [
    '<%= config.bin %> config list',
    '<%= config.bin %> config get db',
    '<%= config.bin %> config set remoteTimeout 300',
    "<%= config.bin %> config set metrics '[f1, {name: latency_ms, direction: lower}]'",
    '<%= config.bin %> config unset table',
    '<%= config.bin %> config prefix            # same as: config get prefix',
  ]
  static override enableJsonFlag = true
  static override args = {
    action: Args.string({description: `get | set | unset | list (or a KEY: get/set it)`}),
    key: Args.string({description: 'key, e.g. db, metrics, model.name'}),
    value: Args.string({description: 'value for set, as YAML'}),
  }

  override async run() {
    const {args} = await this.parse(Config)
    let action: ConfigAction = 'list'
    let {key, value} = args
    if (args.action && (ACTIONS as readonly string[]).includes(args.action)) action = args.action as ConfigAction
    else if (args.action) {
      // `xv config KEY [VALUE]`
      if (value !== undefined) throw new UsageError(`unexpected argument: ${value} (see: xv config --help)`)
      value = key
      key = args.action
      action = value === undefined ? 'get' : 'set'
    }

    if (action === 'list' && key !== undefined) throw new UsageError(`unexpected argument: ${key} (see: xv config --help)`)
    const ctx = await this.openRepo()
    const report = editConfig(ctx.root, action, key, value)
    this.log(renderConfig(report))
    return this.result('config', report)
  }
}
