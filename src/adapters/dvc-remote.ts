/**
 * Asking a DVC remote which objects it holds. A local remote is read directly (a stat per
 * object); a cloud remote (S3, SSH, …) through DVC's own Python API in one process — the same
 * filesystem code and credentials `dvc push` uses — under the inactivity timeout, so a remote
 * that does not answer costs `remoteTimeout` seconds, not forever.
 */
import {existsSync, statSync} from 'node:fs'

import {ToolError} from '../errors.js'
import {type RemoteInfo} from './dvc-config.js'
import {dvcErrorCause, dvcPython, remoteTimeout, remoteTimeoutError} from './dvc.js'
import {cacheObjectCandidates} from './dvc-files.js'
import {runRemoteDriver} from './dvc-driver.js'
import {PY_REPORT_ERROR} from './dvc-python-error.js'

/** One DVC process: contact the remote (list its object folder) and test each object id. */
const PROBE = `
import json, sys
req = json.loads(sys.argv[1])
try:
    from dvc.repo import Repo
    with Repo() as repo:
        odb = repo.cloud.get_remote_odb(req["remote"], "status")
        try:
            odb.fs.ls(odb.path)
        except FileNotFoundError:
            pass
        oids = req["oids"]
        present = sorted(set(odb.list_oids_exists(oids))) if oids else []
    print("XV-PRESENT " + json.dumps(present), flush=True)
${PY_REPORT_ERROR}`

/**
 * The object ids (of OIDS) that REMOTE holds. Throws a one-line ToolError when the remote cannot
 * be contacted (missing folder, connection refused, no progress within the timeout).
 */
export async function objectsInRemote(root: string, remote: RemoteInfo, oids: string[]): Promise<Set<string>> {
  if (remote.dir !== undefined) {
    const dir = remote.dir
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new ToolError('dvc', [], `DVC remote '${remote.name}' (${dir}) is unreachable: the directory does not exist`)
    return new Set(oids.filter((id) => cacheObjectCandidates(dir, id).some((p) => existsSync(p))))
  }

  const python = dvcPython()
  if (!python)
    throw new ToolError('dvc', [], `cannot check DVC remote '${remote.name}' (${remote.url}): dvc is not a pip-installed Python program; install it with scripts/install-dvc.sh`)
  const res = await runRemoteDriver(python, root, PROBE, {remote: remote.name, oids}, remoteTimeout())
  if (res.timedOut) throw remoteTimeoutError('contacting the remote', [], remote)
  const out = res.stdout
  const present = /^XV-PRESENT (.*)$/m.exec(out)?.[1]
  if (res.exitCode === 0 && present !== undefined) return new Set(JSON.parse(present) as string[])
  const cause = /^XV-ERROR (.*)$/m.exec(out)?.[1] ?? (dvcErrorCause(res.stderr) || `exit code ${String(res.exitCode)}`)
  throw new ToolError('dvc', [], `DVC remote '${remote.name}' (${remote.url}) is unreachable: ${cause}`, {stderr: res.stderr})
}
