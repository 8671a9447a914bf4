import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {warn} from '../render/output.js'
import {showExperiment} from '../domain/show.js'
import {integer} from '../flags.js'
import {renderShow} from '../render/time-travel.js'

export default class Show extends XvCommand {
  static override summary = 'One experiment: tag, commit, result rows as they were at the tag, DVC artifacts.'
  static override description =
    'Reads the tag and its commit, the rows of that version from the result database as it was at that tag (git object store or DVC cache, no checkout), and every DVC artifact at that tag with its hash, size, and whether the local cache and the remote (when it is a local directory) hold it.'
  static override examples = ['<%= config.bin %> show e0.1.0', '<%= config.bin %> show e0.2.0 --table predictions --limit 5', '<%= config.bin %> show e0.1.0 --json']
  static override enableJsonFlag = true
  static override args = {
    version: Args.string({description: "experiment version (tag), a commit, or 'workspace'", required: true}),
  }
  static override flags = {
    table: Flags.string({description: 'result table to show (default: the one with a version column, xv.yaml table)'}),
    'version-column': Flags.string({description: 'column holding the version (default: discovered)'}),
    limit: integer({description: 'show at most this many result rows', default: 20, min: 0}),
  }

  async run() {
    const {args, flags} = await this.parse(Show)
    const ctx = await this.openRepo({needCommit: true, tagsSuffice: true})
    const report = await showExperiment(ctx, args.version, {table: flags.table, versionColumn: flags['version-column'], limit: flags.limit})
    for (const w of report.warnings) warn(w)
    if (!this.jsonEnabled()) this.log(renderShow(report))
    return this.result('show', report)
  }
}
