import {
  silentProgress
} from "./chunk-TJ5UTIZP.js";
import {
  Dvc,
  Git,
  cacheDirFrom,
  committedDvcConfigText,
  isDvcRepo,
  mergeDvcConfig,
  remoteFrom,
  setRemoteTimeout,
  worktreeConfigLayers
} from "./chunk-CMKTVAV3.js";
import {
  loadConfig
} from "./chunk-VL2YUCNL.js";
import {
  asVersion
} from "./chunk-II2DAUAW.js";
import "./chunk-XMJSE742.js";
import {
  XvError
} from "./chunk-EEPF45DI.js";

// dist/context.js
import { existsSync } from "node:fs";
import { join } from "node:path";
var RepoContext = class _RepoContext {
  location;
  config;
  git;
  /** Where long steps report progress: the command layer's bar, or nothing. */
  progress;
  dvcInstance;
  dvcConfigCache;
  constructor(location, config, progress) {
    this.location = location;
    this.config = config;
    this.progress = progress;
    this.git = new Git(location.root);
  }
  static async open(cwd, options = {}) {
    const location = await Git.locate(cwd);
    if (options.needCommit && !location.head && !(options.tagsSuffice && await new Git(location.root).hasAnyTag()))
      throw new XvError(`repository ${location.root} has no commit yet; make a first commit (git commit) or run 'xv init', then try again`);
    const config = loadConfig(location.root, join(location.commonDir, "xv"));
    if (options.prefix !== void 0)
      config.prefix = options.prefix;
    setRemoteTimeout(config.remoteTimeout);
    return new _RepoContext(location, config, options.progress ?? silentProgress);
  }
  get root() {
    return this.location.root;
  }
  get mainRoot() {
    return this.location.mainRoot;
  }
  get isMainWorktree() {
    return this.location.root === this.location.mainRoot;
  }
  dvc() {
    this.dvcInstance ??= new Dvc(this.root, this.dvcConfig);
    return this.dvcInstance;
  }
  hasDvc() {
    return isDvcRepo(this.root);
  }
  /**
   * DVC's configuration, read once per command: this worktree's `.dvc/config` + `.dvc/config.local`;
   * in a clone without a checkout (no `.dvc/config` on disk), HEAD's committed `.dvc/config`.
   * Relative local paths are absolute, resolved against `.dvc/` as DVC does.
   */
  get dvcConfig() {
    if (this.dvcConfigCache)
      return this.dvcConfigCache;
    const layers = worktreeConfigLayers(this.root);
    const dir = join(this.root, ".dvc");
    if (!existsSync(join(dir, "config"))) {
      const committed = committedDvcConfigText(this.root);
      if (committed !== void 0)
        layers.unshift({ text: committed, dir });
    }
    this.dvcConfigCache = mergeDvcConfig(layers);
    return this.dvcConfigCache;
  }
  /** The DVC cache directory of this worktree (shared when configured). */
  get cacheDir() {
    return cacheDirFrom(this.dvcConfig, this.root);
  }
  /** The DVC remote NAME, or the default remote (`core.remote`); undefined when none is configured. */
  remote(name) {
    return remoteFrom(this.dvcConfig, name);
  }
  /** Absolute path of the configured result database in this worktree. */
  get dbPath() {
    return join(this.root, this.config.db);
  }
  /** Every tag that is an experiment version under the configured prefix (one git call). */
  async experimentTags() {
    return this.experimentTagsOf(await this.git.listTags());
  }
  /** The experiment versions among TAGS (all tags, as `git.listTags` reads them). */
  experimentTagsOf(tags) {
    const out = [];
    for (const t of tags) {
      const version = asVersion(t.name, this.config.prefix);
      if (version)
        out.push(Object.assign(t, { version }));
    }
    return out;
  }
};

// dist/render/pager.js
import { spawnSync } from "node:child_process";
var DEFAULT_PAGER = "less -FRX";
function pagerFor(text, out = process.stdout) {
  if (!out.isTTY)
    return void 0;
  const pager = process.env.XV_PAGER ?? process.env.PAGER ?? DEFAULT_PAGER;
  if (pager.trim() === "" || pager.trim() === "cat")
    return void 0;
  const rows = out.rows > 0 ? out.rows : 24;
  let lines = 0;
  for (let i = text.indexOf("\n"); i !== -1 && lines < rows; i = text.indexOf("\n", i + 1))
    lines++;
  return lines + 1 >= rows ? pager : void 0;
}
function pageOrPrint(text) {
  const pager = pagerFor(text);
  if (pager === void 0) {
    process.stdout.write(`${text}
`);
    return;
  }
  const ignore = () => {
  };
  process.on("SIGINT", ignore);
  try {
    const [command = "less", ...args] = pager.trim().split(/\s+/);
    const res = spawnSync(command, args, { input: `${text}
`, stdio: ["pipe", "inherit", "inherit"], env: { LESS: "FRX", ...process.env } });
    if (res.error || res.status === 127 && res.signal === null)
      process.stdout.write(`${text}
`);
  } finally {
    process.off("SIGINT", ignore);
  }
}

// dist/command-io.js
function processIo(json) {
  return {
    json,
    log: (text) => {
      if (!json)
        pageOrPrint(text);
    },
    openRepo: async (options = {}) => {
      const progress = process.stderr.isTTY ? (await import("./progress-bar-G7LJ72AJ.js")).progressBar : void 0;
      return RepoContext.open(process.cwd(), { ...progress ? { progress } : {}, ...options });
    }
  };
}
export {
  processIo
};
