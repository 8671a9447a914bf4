// Generates the JSON Schema of every `--json` kind from the TypeScript result types
// (src/json/contract.ts) into src/json/schemas/<kind>.schema.json, plus error.schema.json.
// Run by `npm run schemas`; the files are committed and test/integration/json-contract.test.ts
// validates every command's --json output against them.
import {mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {createGenerator} from 'ts-json-schema-generator'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'src', 'json', 'schemas')
const generator = createGenerator({
  path: join(root, 'src', 'json', 'contract.ts'),
  tsconfig: join(root, 'tsconfig.json'),
  skipTypeCheck: true,
  additionalProperties: true,
  expose: 'export',
  topRef: false,
})

/** Only the definitions a schema reaches (each file stands alone and stays small). */
function reachable(node, definitions, seen = new Set()) {
  if (Array.isArray(node)) for (const n of node) reachable(n, definitions, seen)
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) {
        const name = decodeURIComponent(v.slice('#/definitions/'.length))
        if (!seen.has(name)) {
          seen.add(name)
          reachable(definitions[name], definitions, seen)
        }
      } else reachable(v, definitions, seen)
    }
  }

  return seen
}

function pick(definitions, names) {
  return Object.fromEntries([...names].sort().map((n) => [n, definitions[n]]))
}

function write(name, schema) {
  writeFileSync(join(out, `${name}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`)
}

mkdirSync(out, {recursive: true})
for (const f of readdirSync(out)) if (f.endsWith('.schema.json')) rmSync(join(out, f))
const all = generator.createSchema('JsonResults')
const kinds = Object.keys(all.properties ?? {})
for (const kind of kinds) {
  write(kind, {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://xv.dev/schemas/${kind}.schema.json`,
    title: `xv ${kind} --json`,
    ...all.properties[kind],
    definitions: pick(all.definitions, reachable(all.properties[kind], all.definitions)),
  })
}

const error = generator.createSchema('JsonError')
write('error', {$schema: 'http://json-schema.org/draft-07/schema#', $id: 'https://xv.dev/schemas/error.schema.json', title: 'xv error --json', ...error})
console.log(`wrote ${kinds.length + 1} schemas to ${out}`)
