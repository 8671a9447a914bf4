/**
 * The one DVC process of `xv tag`: add, commit stage outputs, push — reporting each phase on
 * stdout. It can be started before its work is known (`startAddPushDriver`): DVC's start-up
 * (the interpreter and ~0.4 s of imports) then overlaps xv's own checks, and the step comes on
 * stdin when xv is ready. A driver that is never given a step keeps nothing alive: when xv ends,
 * its stdin closes and it exits without touching the repository.
 */
import type {ResultPromise} from 'execa'

import {relayEnv} from '../terminal.js'
import {PY_QUIET_INTERRUPT} from './dvc-python-error.js'

const DRIVER = `${PY_QUIET_INTERRUPT}
import json, sys
phase = "add"
try:
    from dvc.repo import Repo
    try:
        import dvc.repo.add, dvc.repo.commit, dvc.repo.push, dvc.output, dvc_data.hashfile.build, dvc_data.hashfile.transfer
    except Exception:
        pass  # only a warm-up: the steps below report real problems
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)  # never given a step: xv stopped before adding
    step = json.loads(line)
    # Local remotes by absolute path: reading an older revision's config from git, DVC would
    # resolve a relative URL against the git tree's root ("/store").
    with Repo(config=step.get("config") or None) as repo:
        if step["add"]:
            repo.add(step["add"])
        phase = "commit"
        for target in step["commit"]:
            repo.commit(target, force=True)
        print("XV-ADDED", flush=True)
        phase = "push"
        if step.get("revs"):
            repo.push(revs=step["revs"], workspace=False)
        elif step["push"]:
            repo.push()  # everything the workspace references: a tag is never published without its data
    print("XV-DONE", flush=True)
except Exception as exc:
    message = " ".join(str(exc).split()) or type(exc).__name__
    cause = exc.__cause__
    if cause is not None and str(cause):
        message += ": " + " ".join(str(cause).split())
    print(f"XV-ERROR {phase} {message}", flush=True)
    sys.exit(2)
`

export type AddPushDriver = ResultPromise<{cwd: string; stdin: 'pipe'; reject: false; env: Record<string, string>}>

/** Whether the driver's process and pipes (sockets) keep xv's event loop alive. */
export function keepDriverAlive(child: AddPushDriver, on: boolean): void {
  for (const handle of [child, child.stdin, child.stdout, child.stderr] as unknown as Array<{ref(): void; unref(): void}>) {
    if (on) handle.ref()
    else handle.unref()
  }
}

/**
 * Starts the driver with PYTHON in ROOT; it waits for its step (one JSON line on stdin). The
 * process comes wrapped: execa's process is itself a promise of its end, which `await` would wait for.
 */
export async function startAddPushDriver(python: string, root: string): Promise<{child: AddPushDriver}> {
  const {execa} = await import('execa')
  // DVC's own progress bars (hashing, transfer) are relayed onto one line of a terminal; results come on stdout.
  const child = execa(python, ['-c', DRIVER], {
    cwd: root,
    stdin: 'pipe',
    reject: false,
    env: {DVC_NO_ANALYTICS: '1', DVC_NO_UPDATER: '1', ...relayEnv()},
  })
  child.stdin.on('error', () => {}) // a driver that already exited: its result says why
  keepDriverAlive(child, false)
  return {child}
}
