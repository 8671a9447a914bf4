import {Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {listExperiments} from '../domain/experiments.js'

export default class List extends XvCommand {
  static summary = 'List experiment tags, newest first, with their fields and metrics.'
  static description =
    'Reads every experiment tag in one git call and the summary frozen at each tag (results/metrics.json) in one batched read, never today\'s database; sorts by semver or by a metric (tags with no runs last). Values marked * come from the tag message of a tag made before summaries were frozen. Retracted versions are hidden unless --all.'
  static examples = ['<%= config.bin %> list', '<%= config.bin %> list --sort f1 --limit 5', '<%= config.bin %> list --json']
  static enableJsonFlag = true
  static flags = {
    sort: Flags.string({description: 'sort by this metric (best first; loss/error/latency/time: lowest first)'}),
    limit: Flags.integer({description: 'show at most this many', min: 1}),
    all: Flags.boolean({description: 'include retracted versions'}),
  }

  async run() {
    const {flags} = await this.parse(List)
    const ctx = await this.openRepo({needCommit: true, tagsSuffice: true})
    const list = await listExperiments(ctx, {sort: flags.sort, limit: flags.limit, all: flags.all})
    if (!this.jsonEnabled()) {
      const {renderList} = await import('../render/reports.js') // tables and colours only for people
      this.log(renderList(list))
    }
    return list
  }
}
