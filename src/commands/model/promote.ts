import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../../base-command.js'
import {startDvcEarly} from '../../domain/model-change.js'
import {warn} from '../../render/output.js'
import {renderModelChange} from '../../render/models.js'

export default class ModelPromote extends XvCommand {
  static override summary = 'Put a version\'s model, a candidate, or the best candidate into models/production/.'
  static override description =
    'The current production model must be versioned and (with a DVC remote) pushed before it is replaced; the new file is copied verified and replaces the old one by rename (a linked read-only file is never written in place). The origin is recorded in models/registry.json and committed. --tag versions the promotion as a tag with no runs of its own (`promoted=e0.3.0 | no runs`), never another version\'s metrics.'
  static override examples = [
    '<%= config.bin %> model promote e0.3.0',
    '<%= config.bin %> model promote e0.3.0-model.bin --tag -m "ship transformer"',
    '<%= config.bin %> model promote --best f1',
    '<%= config.bin %> model promote --best loss --min --dry-run',
  ]
  static override enableJsonFlag = true
  static override args = {source: Args.string({description: 'VERSION or CANDIDATE name'})}
  static override flags = {
    best: Flags.string({description: 'promote the candidate with the best value of this metric'}),
    min: Flags.boolean({description: 'with --best: lower is better (default: from xv.yaml, else the metric name)'}),
    path: Flags.string({description: 'with VERSION: the model path at that version (default: the production model)'}),
    tag: Flags.boolean({description: 'version the promotion with a tag (no runs, promoted=VERSION)'}),
    version: Flags.string({description: 'with --tag: the tag to write (default: the next minor version)'}),
    message: Flags.string({char: 'm', description: 'description for the commit and the tag'}),
    'no-push': Flags.boolean({description: 'with --tag: do not push'}),
    'dry-run': Flags.boolean({description: 'print what would be done; change nothing', default: false}),
  }

  override async run() {
    const {args, flags} = await this.parse(ModelPromote)
    // DVC's start-up (~1 s of Python imports) overlaps loading and running xv's checks.
    if (!flags['dry-run']) startDvcEarly(process.cwd())
    const ctx = await this.openRepo({needCommit: true})
    const {promoteModel} = await import('../../domain/model-promote.js')
    const change = await promoteModel(ctx, {
      source: args.source, best: flags.best, min: flags.min || undefined, path: flags.path, tag: flags.tag, tagVersion: flags.version,
      message: flags.message, push: !flags['no-push'], dryRun: flags['dry-run'],
    })
    for (const w of change.warnings) warn(w)
    if (!this.jsonEnabled()) this.log(renderModelChange(change))
    return this.result('model-promote', change)
  }
}
