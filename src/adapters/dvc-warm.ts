/**
 * A DVC process started early (issue 11, the model registry), so DVC's start-up (~1 s of imports)
 * overlaps xv's own checks, and hashes xv has just verified while copying are recorded in DVC's
 * state instead of being computed again by `dvc add`.
 */
import {XvError} from '../errors.js'
import {Dvc, dvcErrorCause, dvcPython} from './dvc.js'

/** One `dvc add` request; `known` are files xv wrote and md5-verified itself. */
export interface WarmAddStep {
  add: string[]
  known: Array<{path: string; md5: string}>
  /** false: leave the working-copy files as they are (xv's verified private copies), do not re-link them from the cache. */
  relink: boolean
}

/** Waits for one JSON step on stdin, records the known hashes in DVC's state, then `dvc add`. */
const WARM_DRIVER = `
import json, os, sys
phase = "start"
try:
    from dvc.repo import Repo
    step = json.loads(sys.stdin.readline() or "null")
    if step is None:
        sys.exit(0)
    phase = "add"
    with Repo() as repo:
        try:
            from dvc_data.hashfile.hash_info import HashInfo
            for k in step["known"]:
                repo.state.save(os.path.abspath(k["path"]), repo.fs, HashInfo("md5", k["md5"]))
        except Exception:
            pass  # DVC hashes the files itself
        repo.add(step["add"], relink=step.get("relink", True))
    print("XV-DONE", flush=True)
except Exception as exc:
    message = " ".join(str(exc).split()) or type(exc).__name__
    print(f"XV-ERROR {phase} {message}", flush=True)
    sys.exit(2)
`

interface Child extends PromiseLike<{stdout: unknown; stderr: unknown; exitCode?: number}> {
  stdin: NodeJS.WritableStream | null
  kill: () => boolean
}

export class WarmDvc {
  private constructor(
    private readonly root: string,
    private readonly child?: Child,
  ) {}

  /** Starts DVC in ROOT now (a pip-installed dvc), or later through the CLI when it is not one. */
  static async start(root: string): Promise<WarmDvc> {
    const python = dvcPython()
    if (!python) return new WarmDvc(root)
    const {execa} = await import('execa')
    const child = execa(python, ['-c', WARM_DRIVER], {cwd: root, reject: false, env: {DVC_NO_ANALYTICS: '1', DVC_NO_UPDATER: '1'}})
    return new WarmDvc(root, child)
  }

  /** `dvc add` of STEP's targets. */
  async add(step: WarmAddStep): Promise<void> {
    if (!this.child) {
      await new Dvc(this.root).run(['add', '--quiet', ...(step.relink ? [] : ['--no-relink']), '--', ...step.add], {what: 'track the models'})
      return
    }

    this.child.stdin?.end(`${JSON.stringify(step)}\n`)
    const res = await this.child
    const out = String(res.stdout)
    const failure = /^XV-ERROR (\w+) (.*)$/m.exec(out)
    if (failure) throw new XvError(`dvc ${failure[1] ?? ''} failed: ${failure[2] ?? ''}`)
    if (!out.includes('XV-DONE')) throw new XvError(`dvc failed: ${dvcErrorCause(`${String(res.stderr)}\n${out}`) || `exit code ${res.exitCode}`}`)
  }

  /** Stops the process when the command ends without adding (a refusal, a dry run, an error). */
  cancel(): void {
    try {
      this.child?.stdin?.end()
      this.child?.kill()
    } catch {
      // already gone
    }
  }
}
