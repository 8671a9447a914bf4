/**
 * How the domain reports the progress of a long step (a verified copy of a large file): it asks
 * the reporter it was given for a `Progress` and ticks it. The domain never draws: the command
 * layer supplies the reporter (RepoContext.progress, set by XvCommand.openRepo to the terminal bar
 * of src/render/progress-bar.ts); without one, nothing is shown.
 */
export interface Progress {
  /** Adds N units done. */
  tick(n: number): void
  /** The step is over (a bar is cleared). */
  stop(): void
}

export interface ProgressStep {
  label: string
  total: number
  unit: 'bytes' | 'rows'
}

export type ProgressReporter = (step: ProgressStep) => Promise<Progress>

const NONE: Progress = {tick() {}, stop() {}}

/** Reports nothing (tests, library use, and every command without a terminal). */
export const silentProgress: ProgressReporter = () => Promise.resolve(NONE)
