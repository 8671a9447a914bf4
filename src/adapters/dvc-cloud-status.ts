/** Which outs' objects the DVC remote lacks, for the workspace and for revisions (one DVC process). */
import {XvError} from '../errors.js'
import {Dvc, dvcErrorCause, dvcPython, remoteTimeout, remoteTimeoutError} from './dvc.js'
import {runRemoteDriver} from './dvc-driver.js'
import {PY_REPORT_ERROR} from './dvc-python-error.js'

/** One DVC process: for the workspace and each revision, the outs whose objects the remote lacks. */
const CLOUD_STATUS_DRIVER = `
import json, sys
revs = json.loads(sys.argv[1])
try:
    from dvc.repo import Repo
    out = {}
    with Repo() as repo:
        def unsafe():
            used = repo.used_objs(force=True, push=True)
            found = {}
            for odb, ids in used.items():
                if odb is not None:
                    continue  # imported objects
                status = repo.cloud.status(ids, None)
                for kind in ("new", "missing"):
                    for h in getattr(status, kind, []):
                        found[h.obj_name] = kind
            return found
        out[""] = unsafe()
        for rev in revs:
            with repo.switch(rev):
                out[rev] = unsafe()
    print("XV-STATUS " + json.dumps(out), flush=True)
${PY_REPORT_ERROR}`

/**
 * For the workspace of ROOT (key '') and each of REVS: the outs whose objects are not safe in the
 * default remote — 'new' (only in the cache) or 'missing' (in neither). 'deleted' (in the remote,
 * not in the cache) is safe. One DVC process (its Python API) when dvc is pip-installed; otherwise
 * `dvc status --cloud` of the workspace only.
 */
export async function unpushedByRevision(root: string, revs: string[]): Promise<Map<string, Array<{path: string; status: string}>>> {
  const python = dvcPython()
  const result = new Map<string, Array<{path: string; status: string}>>()
  if (!python) {
    result.set('', await unpushedInCloud(root))
    return result
  }

  const res = await runRemoteDriver(python, root, CLOUD_STATUS_DRIVER, revs, remoteTimeout())
  if (res.timedOut) throw remoteTimeoutError('dvc status --cloud', ['status', '--cloud'])
  const out = res.stdout
  const failure = /^XV-ERROR (.*)$/m.exec(out)
  if (failure) throw new XvError(`dvc status --cloud failed: ${failure[1] ?? ''}`)
  const done = /^XV-STATUS (.*)$/m.exec(out)
  if (!done) throw new XvError(`dvc status --cloud failed: ${dvcErrorCause(`${res.stderr}\n${out}`) || `exit code ${res.exitCode ?? '?'}`}`)
  for (const [rev, outs] of Object.entries(JSON.parse(done[1] ?? '{}') as Record<string, Record<string, string>>))
    result.set(rev, Object.entries(outs).map(([path, status]) => ({path, status})))
  return result
}

/**
 * `dvc status --cloud --json` in ROOT: the outs whose objects are not safe in the remote — 'new'
 * (only in the cache) or 'missing' (in neither). 'deleted' (in the remote, not in the cache) is safe.
 */
export async function unpushedInCloud(root: string): Promise<Array<{path: string; status: string}>> {
  const out = await new Dvc(root).run(['status', '--cloud', '--json'], {what: 'compare the cache with the remote'})
  const doc = (out.trim() ? JSON.parse(out) : {}) as Record<string, unknown>
  return Object.entries(doc)
    .filter(([, status]) => status === 'new' || status === 'missing')
    .map(([path, status]) => ({path, status: String(status)}))
}
