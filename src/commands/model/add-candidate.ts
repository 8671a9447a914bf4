import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../../base-command.js'
import {startDvcEarly} from '../../domain/model-change.js'
import {warn} from '../../render/output.js'
import {renderModelChange} from '../../render/models.js'

export default class ModelAddCandidate extends XvCommand {
  static override summary = "Copy a version's model into models/candidates/ (verified, from cache or remote; no checkout)."
  static override description =
    'Copies the model of VERSION (default path: the production model, or with --run the per-run model models/candidates/<run>_model.bin of that version) into models/candidates/<name>, records where it came from in models/registry.json, tracks the folder with DVC and commits.'
  static override examples = [
    '<%= config.bin %> model add-candidate e0.3.0',
    '<%= config.bin %> model add-candidate e0.5.0 --run 8f2c1a',
    '<%= config.bin %> model add-candidate e0.2.0 --path models/production/model.bin --name transformer.bin',
  ]
  static override enableJsonFlag = true
  static override args = {version: Args.string({description: 'experiment version (tag) to copy the model from', required: true})}
  static override flags = {
    path: Flags.string({description: 'model path at that version (default: the production model)'}),
    name: Flags.string({description: 'candidate name (default: VERSION-<file name>, or <run>_model.bin with --run)'}),
    run: Flags.string({description: 'the run (track_id) this model belongs to'}),
    'dry-run': Flags.boolean({description: 'print what would be done; change nothing', default: false}),
  }

  override async run() {
    const {args, flags} = await this.parse(ModelAddCandidate)
    // DVC's start-up (~1 s of Python imports) overlaps loading and running xv's checks.
    if (!flags['dry-run']) startDvcEarly(process.cwd())
    const ctx = await this.openRepo({needCommit: true})
    const {addCandidate} = await import('../../domain/model-promote.js')
    const change = await addCandidate(ctx, args.version, {path: flags.path, name: flags.name, run: flags.run, dryRun: flags['dry-run']})
    for (const w of change.warnings) warn(w)
    if (!this.jsonEnabled()) this.log(renderModelChange(change))
    return this.result('model-add-candidate', change)
  }
}
