/**
 * A DVC process started early (issue 11, the model registry), so DVC's start-up (~1 s of imports)
 * overlaps xv's own checks, and hashes xv has just verified while copying are recorded in DVC's
 * state instead of being computed again by `dvc add`.
 */
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'

import {XvError} from '../errors.js'
import {Dvc, dvcErrorCause, dvcPython} from './dvc.js'

/** One `dvc add` request (absolute paths); `known` are files xv wrote and md5-verified itself. */
export interface WarmAddStep {
  add: string[]
  known: Array<{path: string; md5: string}>
  /** false: leave the working-copy files as they are (xv's verified private copies), do not re-link them from the cache. */
  relink: boolean
}

/**
 * Opens the repository and loads what `dvc add` needs (the stage graph pulls in networkx, the
 * status line rich) while it waits for one JSON step on stdin; then records the known hashes in
 * DVC's state and adds. DVC re-reads the repository under its lock, so opening early is safe.
 */
const WARM_DRIVER = `
import json, os, sys
phase = "start"
try:
    from dvc.repo import Repo
    repo = Repo()
    try:
        repo.index.outs_graph
        import dvc.repo.add, dvc.output, dvc_data.hashfile.build, dvc_data.hashfile.transfer
        from dvc.ui import ui
        ui.error_console
        import rich.status
    except Exception:
        pass  # only a warm-up: the add below reports real problems
    step = json.loads(sys.stdin.readline() or "null")
    if step is None:
        sys.exit(0)
    phase = "add"
    with repo:
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

/** The driver's process and its output so far; `finished` settles on its last line (XV-DONE / XV-ERROR) or its exit. */
interface Driver {
  child: ChildProcessWithoutNullStreams
  finished: Promise<{stdout: string; stderr: string; exitCode: number | null}>
}

function startDriver(python: string, root: string): Driver {
  const child = spawn(python, ['-c', WARM_DRIVER], {cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: {...process.env, DVC_NO_ANALYTICS: '1', DVC_NO_UPDATER: '1'}})
  let stdout = ''
  let stderr = ''
  const finished = new Promise<{stdout: string; stderr: string; exitCode: number | null}>((resolve) => {
    // Done as soon as DVC says so: its interpreter's shutdown overlaps xv's next steps.
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8')
      if (/^XV-(DONE|ERROR .*)$/m.test(stdout)) resolve({stdout, stderr, exitCode: null})
    })
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
    child.on('close', (code) => resolve({stdout, stderr, exitCode: code}))
    child.on('error', (error) => resolve({stdout, stderr: `${stderr}\n${error.message}`, exitCode: 127}))
  })
  child.stdin.on('error', () => {}) // a driver that already exited: reported through `finished`
  // Until a step is sent the driver does not keep xv alive: if xv ends first (a refusal, an
  // error), the driver reads end-of-file on stdin and exits by itself.
  keepAlive(child, false)
  return {child, finished}
}

/** Whether the driver's process and pipes (sockets) keep xv's event loop alive. */
function keepAlive(child: ChildProcessWithoutNullStreams, on: boolean): void {
  for (const handle of [child, child.stdin, child.stdout, child.stderr] as unknown as Array<{ref(): void; unref(): void}>) {
    if (on) handle.ref()
    else handle.unref()
  }
}

export class WarmDvc {
  private constructor(
    private readonly root: string,
    private readonly driver?: Driver,
  ) {}

  /** Starts DVC in ROOT (the repository or any folder inside it) now when it is a pip-installed dvc, else later through the CLI. */
  static start(root: string): WarmDvc {
    const python = dvcPython()
    return new WarmDvc(root, python ? startDriver(python, root) : undefined)
  }

  /** `dvc add` of STEP's targets. */
  async add(step: WarmAddStep): Promise<void> {
    if (!this.driver) {
      await new Dvc(this.root).run(['add', '--quiet', ...(step.relink ? [] : ['--no-relink']), '--', ...step.add], {what: 'track the models'})
      return
    }

    const {child} = this.driver
    keepAlive(child, true)
    child.stdin.end(`${JSON.stringify(step)}\n`)
    const res = await this.driver.finished
    const failure = /^XV-ERROR (\w+) (.*)$/m.exec(res.stdout)
    if (failure) throw new XvError(`dvc ${failure[1] ?? ''} failed: ${failure[2] ?? ''}`)
    if (!res.stdout.includes('XV-DONE')) throw new XvError(`dvc failed: ${dvcErrorCause(`${res.stderr}\n${res.stdout}`) || `exit code ${String(res.exitCode)}`}`)
  }

  /** Stops the process when the command ends without adding (a refusal, a dry run, an error), or after its add. */
  cancel(): void {
    const child = this.driver?.child
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    try {
      child.stdin.end()
      child.kill()
    } catch {
      // already gone
    }
  }
}
