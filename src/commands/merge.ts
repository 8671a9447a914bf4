import {Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {merge} from '../actions/merge.js'
import {list} from '../flags.js'

export default class Merge extends XvCommand {
  static override summary = 'Combine result databases (or Parquet data) into one, atomically.'
  static override description = `SOURCE is a database path, a worktree name (its result database) or an experiment tag (the database as it was at that tag). All sources are applied in order in ONE transaction of the target: a failure, Ctrl-C or kill -9 leaves it exactly as it was.

--strategy merge (default): append the rows of runs the target lacks (by --id-column, default track_id; tables without it by whole rows); tables and columns only a source has are added, never dropped; merging twice adds nothing.
--strategy rebase: target rows whose --key (default: the version column) occurs in a source are replaced by the source's rows. Needs --yes; writes a backup next to the target first (undo with --restore).
xv's run tables (xv_runs, xv_run_artifacts) are matched by run id under both strategies: one row per run, never a duplicate; merge keeps the copy further along its lifecycle (pending < running < completed/failed/cancelled), rebase takes the source's.

With --data, the first file is a Parquet BASE and the rest are sources (through DuckDB): merge = union by column name, rebase = source rows replace base rows with the same --key.`
  static override examples = [
    '<%= config.bin %> merge ../exp-transformer/results/experiments.db',
    '<%= config.bin %> merge exp-transformer exp-cnn',
    '<%= config.bin %> merge e0.3.0 --table metrics --dry-run',
    '<%= config.bin %> merge sweep/*.db --into results/experiments.db --json',
    '<%= config.bin %> merge exp-cnn --strategy rebase --key version --yes',
    '<%= config.bin %> merge --restore results/experiments.db.bak-20261122T093000Z --yes',
    '<%= config.bin %> merge --data data/train.parquet new/part-*.parquet -o data/train-merged.parquet',
  ]
  static override strict = false
  static override enableJsonFlag = true
  static override flags = {
    into: Flags.string({description: 'target database (default: db in xv.yaml)'}),
    strategy: Flags.string({options: ['merge', 'rebase'], default: 'merge', description: 'merge: append new runs; rebase: replace rows by key'}),
    'id-column': Flags.string({description: 'run id column for merge (default: track_id)'}),
    key: list({description: 'key column(s) for rebase: --key a --key b or --key a,b (default: the version column; Parquet: required)'}),
    table: list({description: 'only these tables: --table a --table b or --table a,b (default: every table of the source)'}),
    yes: Flags.boolean({default: false, char: 'y', description: 'confirm a destructive rebase or restore'}),
    'dry-run': Flags.boolean({default: false, description: 'report what would change; write nothing'}),
    data: Flags.boolean({default: false, description: 'Parquet mode: the first file is the base, the others are sources'}),
    out: Flags.string({char: 'o', description: 'Parquet mode: output file (default: the base)'}),
    force: Flags.boolean({default: false, description: 'Parquet mode: overwrite an existing -o that is not a Parquet file'}),
    restore: Flags.string({description: 'bring a backup written by a rebase back over the target'}),
  }

  async run() {
    const {argv, flags} = await this.parse(Merge)
    return merge(argv as string[], flags, this.io())
  }
}
