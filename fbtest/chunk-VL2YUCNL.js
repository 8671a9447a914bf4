import {
  XvError,
  errorMessage
} from "./chunk-EEPF45DI.js";

// dist/yaml.js
import { createRequire } from "node:module";
var loaded;
function yaml() {
  loaded ??= createRequire(import.meta.url)("yaml");
  return loaded;
}
function parseYaml(text) {
  return yaml().parse(text);
}
function toYaml(value, options) {
  return yaml().stringify(value, null, options);
}

// dist/config.js
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
var CONFIG_FILE = "xv.yaml";
var DEFAULT_CONFIG = {
  prefix: "e",
  db: "results/experiments.db",
  metrics: [],
  // A trailing slash marks an optional folder: skipped quietly while it does not exist.
  artifacts: ["results/experiments.db", "models/production/model.bin", "models/candidates/"],
  worktreeDir: "..",
  push: true,
  maxGitFileSize: 1024 * 1024,
  remoteTimeout: 120
};
function writesOf(config) {
  return config.writes ?? config.artifacts;
}
var STRING_KEYS = ["prefix", "db", "table", "versionColumn", "worktreeDir", "cache"];
var CONFIG_KEYS = [...STRING_KEYS, "metrics", "artifacts", "push", "writes", "maxGitFileSize", "remoteTimeout", "model"];
var KNOWN_KEYS = new Set(CONFIG_KEYS);
function fail(detail) {
  throw new XvError(`${CONFIG_FILE}: ${detail}; fix the file (keys: ${[...KNOWN_KEYS].join(", ")})`);
}
function parseMetric(value, i) {
  if (typeof value === "string" && value.trim())
    return { name: value.trim() };
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const { name, direction, ...rest } = value;
    if (Object.keys(rest).length > 0)
      fail(`metrics[${i}] has unknown key '${Object.keys(rest)[0]}' (name, direction)`);
    if (typeof name !== "string" || !name.trim())
      fail(`metrics[${i}].name must be a non-empty string`);
    if (direction !== void 0 && direction !== "higher" && direction !== "lower")
      fail(`metrics[${i}].direction must be 'higher' or 'lower'`);
    return { name: name.trim(), direction };
  }
  return fail(`metrics[${i}] must be a column name or {name, direction}`);
}
function validateConfig(doc) {
  const config = { ...DEFAULT_CONFIG, metrics: [], artifacts: [...DEFAULT_CONFIG.artifacts] };
  if (doc === null || doc === void 0)
    return config;
  if (typeof doc !== "object" || Array.isArray(doc))
    fail("must be a mapping of keys to values");
  for (const [key, value] of Object.entries(doc)) {
    if (!KNOWN_KEYS.has(key))
      fail(`unknown key '${key}'`);
    if (value === null || value === void 0)
      continue;
    if (STRING_KEYS.includes(key)) {
      if (typeof value !== "string" || !value.trim())
        fail(`'${key}' must be a non-empty string`);
      config[key] = value.trim();
    } else if (key === "push") {
      if (typeof value !== "boolean")
        fail(`'push' must be true or false`);
      config.push = value;
    } else if (key === "metrics") {
      if (!Array.isArray(value))
        fail(`'metrics' must be a list`);
      config.metrics = value.map((v, i) => parseMetric(v, i));
    } else if (key === "maxGitFileSize" || key === "remoteTimeout") {
      if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
        fail(`'${key}' must be a positive number`);
      config[key] = value;
    } else if (key === "model") {
      if (typeof value !== "object" || Array.isArray(value))
        fail(`'model' must be a mapping (name)`);
      const { name, ...rest } = value;
      if (Object.keys(rest).length > 0)
        fail(`model has unknown key '${Object.keys(rest)[0] ?? ""}' (name)`);
      if (name !== void 0 && (typeof name !== "string" || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name)))
        fail(`model.name must be lower-case letters, digits and dashes (GTO's rule)`);
      config.model = name === void 0 ? {} : { name };
    } else if (key === "writes") {
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || !v.trim()))
        fail(`'writes' must be a list of paths`);
      config.writes = value.map((v) => v.trim());
    } else if (key === "artifacts") {
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || !v.trim()))
        fail(`'artifacts' must be a list of paths`);
      config.artifacts = value.map((v) => v.trim());
    }
  }
  for (const [key, paths] of [["db", [config.db]], ["artifacts", config.artifacts], ["writes", config.writes ?? []]]) {
    const outside = paths.find(leavesRepository);
    if (outside !== void 0)
      fail(`'${key}' names ${outside}, outside the repository; use a path inside it`);
  }
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(config.prefix) && config.prefix !== "")
    fail(`'prefix' must be letters, digits, '-' or '_' starting with a letter`);
  return config;
}
function leavesRepository(path) {
  if (isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path))
    return true;
  let depth = 0;
  for (const part of path.split(/[\\/]+/)) {
    if (part === "..")
      depth--;
    else if (part && part !== ".")
      depth++;
    if (depth < 0)
      return true;
  }
  return false;
}
function loadConfig(root, cacheDir) {
  const file = join(root, CONFIG_FILE);
  if (!existsSync(file))
    return validateConfig(void 0);
  const text = readFileSync(file, "utf8");
  const cacheFile = cacheDir === void 0 ? void 0 : join(cacheDir, "config-cache.json");
  const cached = cacheFile === void 0 ? void 0 : readConfigCache(cacheFile, text);
  if (cached)
    return cached;
  let doc;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new XvError(`${CONFIG_FILE} is not valid YAML: ${errorMessage(error).split("\n")[0]}`);
  }
  const config = validateConfig(doc);
  if (cacheFile !== void 0)
    writeConfigCache(cacheFile, text, config);
  return config;
}
function readConfigCache(cacheFile, text) {
  try {
    const entry = JSON.parse(readFileSync(cacheFile, "utf8"));
    return entry.text === text ? entry.config : void 0;
  } catch {
    return void 0;
  }
}
function writeConfigCache(cacheFile, text, config) {
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ text, config }));
    renameSync(tmp, cacheFile);
  } catch {
  }
}

export {
  parseYaml,
  toYaml,
  writesOf,
  loadConfig
};
