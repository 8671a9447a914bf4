import {Flags} from '@oclif/core'

import {XvCommand} from '../base-command.js'
import {run} from '../actions/run.js'

export default class Run extends XvCommand {
  static override summary = 'Run a training command under a claimed version and record the run.'
  static override description =
    "Claims the version first (this worktree's open claim, else the next free one; --version/--bump to choose), exports XV_VERSION and XV_RUN_ID to the command, passes its output through live and keeps a compressed log under results/runs/, and records the run in the result database (tables xv_runs, xv_run_artifacts): lifecycle pending → running → completed/failed/cancelled, provenance, input and output hashes. Ctrl-C is passed to the command and the run ends cancelled. --tag tags the version on success exactly like `xv tag V -m MSG`."
  static override examples = [
    '<%= config.bin %> run -- python train.py --lr 0.001',
    '<%= config.bin %> run --version e0.4.0 --seed 7 -- python train.py',
    '<%= config.bin %> run --tag -m "bigger batch" -- python train.py --bs 64',
    '<%= config.bin %> run --rerun r261123-1402-a1b2c3',
  ]
  static override enableJsonFlag = true
  static override strict = false
  static override flags = {
    version: Flags.string({description: 'the version this run writes (claimed for this worktree)', exclusive: ['bump']}),
    bump: Flags.string({description: 'claim the next free version, bumping this part', options: ['major', 'minor', 'patch']}),
    tag: Flags.boolean({description: 'tag the version when the command succeeds (never on failure)'}),
    message: Flags.string({char: 'm', description: 'description for --tag (kept verbatim in the tag message)'}),
    name: Flags.string({description: 'a name for this run'}),
    seed: Flags.string({description: 'random seed, recorded and exported as XV_SEED'}),
    rerun: Flags.string({description: 'repeat a recorded run (same command and seed; a new run id)'}),
    'no-push': Flags.boolean({description: 'with --tag: do not push'}),
  }

  async run() {
    const {flags, argv} = await this.parse(Run)
    return run((argv as string[]).filter((a, i) => !(i === 0 && a === '--')), flags, this.io())
  }
}
