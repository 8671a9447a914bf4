/**
 * YAML text ↔ data for xv.yaml, .dvc files, dvc.lock and params files. The `yaml` package is
 * loaded on first use (synchronously, it is CommonJS under Node): importing it costs ~45 ms of
 * CPU, which commands that read no YAML — or read xv.yaml from its cache (src/config.ts) — skip.
 */
import {createRequire} from 'node:module'

type YamlModule = typeof import('yaml')

let loaded: YamlModule | undefined
function yaml(): YamlModule {
  loaded ??= createRequire(import.meta.url)('yaml') as YamlModule
  return loaded
}

/** Parses YAML text (throws on invalid YAML, as the package does). */
export function parseYaml(text: string): unknown {
  return yaml().parse(text)
}

/** Writes data as YAML text. */
export function toYaml(value: unknown, options?: Parameters<YamlModule['stringify']>[2]): string {
  return yaml().stringify(value, null, options)
}
