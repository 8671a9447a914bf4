/**
 * Where a command runs: the repository (and worktree) around the current directory, its xv.yaml,
 * and lazily the tools. Every command starts here.
 */
import {join} from 'node:path'

import {Dvc, isDvcRepo} from './adapters/dvc.js'
import {Git, type RepoLocation, type TagRef} from './adapters/git.js'
import {loadConfig, type XvConfig} from './config.js'
import {XvError} from './errors.js'
import {asVersion, type ExperimentVersion} from './domain/version.js'

export interface ExperimentTag extends TagRef {
  version: ExperimentVersion
}

export interface OpenOptions {
  /** Fail with one line when the repository has no commit yet. */
  needCommit?: boolean
  /** Override xv.yaml's prefix (e.g. a --prefix flag). */
  prefix?: string
}

export class RepoContext {
  readonly location: RepoLocation
  readonly config: XvConfig
  readonly git: Git
  private dvcInstance?: Dvc

  private constructor(location: RepoLocation, config: XvConfig) {
    this.location = location
    this.config = config
    this.git = new Git(location.root)
  }

  static async open(cwd: string, options: OpenOptions = {}): Promise<RepoContext> {
    const location = await Git.locate(cwd)
    if (options.needCommit && !location.head)
      throw new XvError(
        `repository ${location.root} has no commit yet; make a first commit (git commit) or run 'xv init', then try again`,
      )
    const config = loadConfig(location.root)
    if (options.prefix !== undefined) config.prefix = options.prefix
    return new RepoContext(location, config)
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
    this.dvcInstance ??= new Dvc(this.root)
    return this.dvcInstance
  }

  hasDvc(): boolean {
    return isDvcRepo(this.root)
  }

  /** Absolute path of the configured result database in this worktree. */
  get dbPath(): string {
    return join(this.root, this.config.db)
  }

  /** Every tag that is an experiment version under the configured prefix (one git call). */
  async experimentTags(): Promise<ExperimentTag[]> {
    const tags = await this.git.listTags()
    const out: ExperimentTag[] = []
    for (const t of tags) {
      const version = asVersion(t.name, this.config.prefix)
      if (version) out.push(Object.assign(t, {version})) // no copy: 10,000 tags must stay cheap
    }

    return out
  }
}
