import {Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {initRepository} from '../domain/init.js'
import {progress, warn} from '../render/output.js'
import {renderInit} from '../render/reports.js'

export default class Init extends XvCommand {
  static override summary = 'Prepare a repository for experiment versioning (git, DVC, layout, xv.yaml).'
  static override description =
    'Runs git init and dvc init when needed, creates data/, models/production/, models/candidates/ and results/, and copies xv.yaml, params.yaml and dvc.yaml from the templates without overwriting your files. Idempotent: a second run changes nothing and says so.'
  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init --remote /mnt/dvc-store', '<%= config.bin %> init --remote s3://bucket/dvc --cache /data/dvc-cache']
  static override enableJsonFlag = true
  static override flags = {
    remote: Flags.string({description: 'add a default DVC remote (directory or URL)'}),
    cache: Flags.string({description: 'use this DVC cache directory (set in .dvc/config.local)'}),
  }

  async run() {
    const {flags} = await this.parse(Init)
    const report = await initRepository(process.cwd(), {remote: flags.remote, cache: flags.cache}, progress)
    for (const w of report.warnings) warn(w)
    this.log(renderInit(report))
    return this.result('init', report)
  }
}
