/**
 * Where a command runs: the repository (and worktree) around the current directory, its xv.yaml,
 * and lazily the tools. Every command starts here.
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {cacheDirFrom, committedDvcConfigText, mergeDvcConfig, remoteFrom, worktreeConfigLayers, type DvcConfig, type RemoteInfo} from './adapters/dvc-config.js'
import {Dvc, isDvcRepo, setRemoteTimeout} from './adapters/dvc.js'
import {Git, type RepoLocation, type TagRef} from './adapters/git.js'
import {loadConfig, type XvConfig} from './config.js'
import {XvError} from './errors.js'
import {silentProgress, type ProgressReporter} from './domain/progress.js'
import {asVersion, type ExperimentVersion} from './domain/version.js'

export interface ExperimentTag extends TagRef {
  version: ExperimentVersion
}

export interface OpenOptions {
  /** Fail with one line when the repository has no commit yet. */
  needCommit?: boolean
  /**
   * With needCommit: tags are enough (commands that only read versions work in a fresh clone
   * whose HEAD is unborn, e.g. when the remote's HEAD names a branch that was never pushed).
   */
  tagsSuffice?: boolean
  /** Override xv.yaml's prefix (e.g. a --prefix flag). */
  prefix?: string
  /** How long steps report progress (the command layer's terminal bar; default: silent). */
  progress?: ProgressReporter
}

export class RepoContext {
  readonly location: RepoLocation
  readonly config: XvConfig
  readonly git: Git
  /** Where long steps report progress: the command layer's bar, or nothing. */
  readonly progress: ProgressReporter
  private dvcInstance?: Dvc
  private dvcConfigCache?: DvcConfig

  private constructor(location: RepoLocation, config: XvConfig, progress: ProgressReporter) {
    this.location = location
    this.config = config
    this.progress = progress
    this.git = new Git(location.root)
  }

  static async open(cwd: string, options: OpenOptions = {}): Promise<RepoContext> {
    const location = await Git.locate(cwd)
    if (options.needCommit && !location.head && !(options.tagsSuffice && (await new Git(location.root).hasAnyTag())))
      throw new XvError(
        `repository ${location.root} has no commit yet; make a first commit (git commit) or run 'xv init', then try again`,
      )
    const config = loadConfig(location.root, join(location.commonDir, 'xv'))
    if (options.prefix !== undefined) config.prefix = options.prefix
    setRemoteTimeout(config.remoteTimeout)
    return new RepoContext(location, config, options.progress ?? silentProgress)
  }

  get root(): string {
    return this.location.root
  }

  get mainRoot(): string {
    return this.location.mainRoot
  }

  get isMainWorktree(): boolean {
    return this.location.root === this.location.mainRoot
  }

  dvc(): Dvc {
    this.dvcInstance ??= new Dvc(this.root, this.dvcConfig)
    return this.dvcInstance
  }

  hasDvc(): boolean {
    return isDvcRepo(this.root)
  }

  /**
   * DVC's configuration, read once per command: this worktree's `.dvc/config` + `.dvc/config.local`;
   * in a clone without a checkout (no `.dvc/config` on disk), HEAD's committed `.dvc/config`.
   * Relative local paths are absolute, resolved against `.dvc/` as DVC does.
   */
  get dvcConfig(): DvcConfig {
    if (this.dvcConfigCache) return this.dvcConfigCache
    const layers = worktreeConfigLayers(this.root)
    const dir = join(this.root, '.dvc')
    if (!existsSync(join(dir, 'config'))) {
      const committed = committedDvcConfigText(this.root)
      if (committed !== undefined) layers.unshift({text: committed, dir})
    }

    this.dvcConfigCache = mergeDvcConfig(layers)
    return this.dvcConfigCache
  }

  /** The DVC cache directory of this worktree (shared when configured). */
  get cacheDir(): string {
    return cacheDirFrom(this.dvcConfig, this.root)
  }

  /** The DVC remote NAME, or the default remote (`core.remote`); undefined when none is configured. */
  remote(name?: string): RemoteInfo | undefined {
    return remoteFrom(this.dvcConfig, name)
  }

  /** Absolute path of the configured result database in this worktree. */
  get dbPath(): string {
    return join(this.root, this.config.db)
  }

  /** Every tag that is an experiment version under the configured prefix (one git call). */
  async experimentTags(): Promise<ExperimentTag[]> {
    return this.experimentTagsOf(await this.git.listTags())
  }

  /** The experiment versions among TAGS (all tags, as `git.listTags` reads them). */
  experimentTagsOf(tags: TagRef[]): ExperimentTag[] {
    const out: ExperimentTag[] = []
    for (const t of tags) {
      const version = asVersion(t.name, this.config.prefix)
      if (version) out.push(Object.assign(t, {version})) // no copy: 10,000 tags must stay cheap
    }

    return out
  }
}
