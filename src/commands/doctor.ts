import {XvCommand} from '../base-command.js'
import {runDoctor} from '../domain/doctor.js'
import {renderDoctor} from '../render/reports.js'

export default class Doctor extends XvCommand {
  static override summary = 'Check git, DVC, the cache, the remotes and xv.yaml; print what to fix.'
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json']
  static override enableJsonFlag = true

  async run() {
    await this.parse(Doctor)
    const checks = await runDoctor(process.cwd())
    this.log(renderDoctor(checks))
    if (checks.some((c) => c.status === 'fail')) process.exitCode = 1
    return this.result('doctor', {checks, ok: !checks.some((c) => c.status === 'fail')})
  }
}
