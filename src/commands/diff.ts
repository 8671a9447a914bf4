import {Args, Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {warn} from '../render/output.js'
import {compareVersions} from '../domain/compare.js'
import {diffExperiments} from '../domain/diff.js'
import {UsageError} from '../errors.js'
import {integer} from '../flags.js'
import {renderDiff} from '../render/time-travel.js'

export default class Diff extends XvCommand {
  static override summary = 'Compare two experiments (metrics, params, tag fields, artifacts, code, rows), or three and more side by side.'
  static override description =
    "Three or more versions (xv diff V1 V2 V3 …) are compared side by side exactly like xv compare (--md and --all too). Two versions: metrics and params of each version come from the result database as it was at its own tag (several rows: count and mean of numeric columns), with absolute and % deltas coloured by direction (higher is better unless the name says loss/error/latency/time, or xv.yaml metrics say otherwise). Also the tag fields that differ, the DVC artifacts whose hash changed and the code diffstat. --rows adds a row-level diff of a table, computed inside SQLite. Either side may be 'workspace' (the working copy)."
  static override examples = [
    '<%= config.bin %> diff e0.1.0 e0.2.0',
    '<%= config.bin %> diff e0.1.0 workspace --all',
    '<%= config.bin %> diff e0.1.0 e0.2.0 --rows --table predictions --key track_id,input_id',
    '<%= config.bin %> diff e0.1.0 e0.2.0 --md > comparison.md',
    '<%= config.bin %> diff e0.1.0 e0.2.0 e0.3.0 --md',
  ]
  static override enableJsonFlag = true
  static override strict = false
  static override args = {
    v1: Args.string({description: "first version (tag, commit or 'workspace')", required: true}),
    v2: Args.string({description: "second version (tag, commit or 'workspace')", required: true}),
  }
  static override flags = {
    table: Flags.string({description: 'result table (default: the one with a version column, xv.yaml table)'}),
    'version-column': Flags.string({description: 'column holding the version (default: discovered)'}),
    rows: Flags.boolean({default: false, description: 'add a row-level diff of the table between the two versions'}),
    key: Flags.string({description: 'comma-separated key columns for --rows (default: primary key, else whole rows)'}),
    examples: integer({description: 'example rows per kind of change with --rows', default: 3, min: 0}),
    all: Flags.boolean({default: false, description: 'also show what did not change'}),
    md: Flags.boolean({default: false, description: 'print Markdown tables (for PRs and notes)'}),
    precision: integer({description: 'decimals for numbers', default: 4, min: 0, max: 12}),
  }

  async run() {
    const {args, argv, flags} = await this.parse(Diff)
    const versions = argv as string[]
    if (versions.length > 2) {
      const twoOnly = (['rows', 'key', 'table', 'version-column'] as const).filter((f) => flags[f] !== undefined && flags[f] !== false)
      if (twoOnly.length > 0) throw new UsageError(`--${twoOnly[0]} compares two versions; with ${versions.length}, xv diff compares them side by side (like xv compare)`)
      const report = await compareVersions(await this.openRepo({needCommit: true}), versions, {all: flags.all})
      if (!this.jsonEnabled()) this.log((await import('../render/compare.js')).renderComparison(report, flags.md))
      return this.result('compare', report)
    }

    const ctx = await this.openRepo({needCommit: true, tagsSuffice: true})
    const key = flags.key?.split(',').map((k) => k.trim()).filter(Boolean)
    const report = await diffExperiments(ctx, args.v1, args.v2, {
      table: flags.table, versionColumn: flags['version-column'], rows: flags.rows || Boolean(key), key, all: flags.all, examples: flags.examples,
    })
    for (const w of report.warnings) warn(w)
    if (!this.jsonEnabled()) this.log(renderDiff(report, {md: flags.md, precision: flags.precision}))
    return this.result('diff', report)
  }
}
