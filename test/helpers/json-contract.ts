/**
 * The JSON contract in tests: every command of oclif.manifest.json with the --json kinds it prints
 * (KINDS), the schemas generated from src/json/contract.ts, and a validator that remembers which
 * kinds it has checked. Used by json-contract.test.ts (every kind) and exit-codes.test.ts (errors).
 */
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {Ajv} from 'ajv'
import {expect} from 'vitest'

import {PROJECT_ROOT, xv} from './repo.js'

export const SCHEMAS = join(PROJECT_ROOT, 'src', 'json', 'schemas')
const ajv = new Ajv({allErrors: true, strict: false})
for (const f of readdirSync(SCHEMAS)) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')), f.replace('.schema.json', ''))

/** Every command and the kinds its --json prints (oclif ids). */
export const KINDS: Record<string, string[]> = {
  best: ['best'], compare: ['compare'], config: ['config'], diff: ['diff'], doctor: ['doctor'],
  explore: ['explore', 'explore-list', 'explore-clean'], gc: ['gc'], get: ['get'], init: ['init'], lineage: ['lineage'], list: ['list'],
  merge: ['merge', 'merge-parquet', 'merge-restore'], next: ['next', 'next-release'], plot: ['plot'], push: ['push'], report: ['report'],
  run: ['run'], runs: ['runs'], 'runs:show': ['runs-show'], show: ['show'], status: ['status'], tag: ['tag'],
  'model:add-candidate': ['model-add-candidate'], 'model:assign': ['model-assign'], 'model:info': ['model-info'], 'model:list': ['model-list'],
  'model:promote': ['model-promote'], 'model:prune': ['model-prune'], 'model:stages': ['model-stages'], 'model:unassign': ['model-unassign'],
  'worktree:list': ['worktree-list'], 'worktree:new': ['worktree-new'], 'worktree:remove': ['worktree-remove'],
}

/** Commands without --json, and why. */
export const NO_JSON: Record<string, string> = {__complete: 'the hidden protocol of the completion scripts: one candidate per line'}

/** The oclif id of the command ARGS run (`model list …` → model:list). */
export function commandOf(args: string[]): string {
  const two = `${args[0] ?? ''}:${args[1] ?? ''}`
  return two in KINDS ? two : (args[0] ?? '')
}

export interface ManifestCommand {
  enableJsonFlag?: boolean
  hidden?: boolean
  examples?: string[]
}

/** Every command of oclif.manifest.json by id (`model:list`). */
export function manifestCommands(): Record<string, ManifestCommand> {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand>}).commands
}

/** The kinds validated so far (in this test file). */
export const seen = new Set<string>()

/** Parses STDOUT and validates it against the schema of KIND. */
export function validate(kind: string, stdout: string): Record<string, unknown> {
  const doc = JSON.parse(stdout) as Record<string, unknown>
  const check = ajv.getSchema(kind)
  if (!check) throw new Error(`no schema for ${kind}`)
  const ok = check(doc)
  expect(ok, `${kind}: ${ajv.errorsText(check.errors)}\n${stdout.slice(0, 2000)}`).toBe(true)
  if (kind !== 'error') {
    expect(doc.schemaVersion).toBe(1)
    expect(doc.kind).toBe(kind)
  }

  seen.add(kind)
  return doc
}

/** ARGS with --json added (before a `--` that ends xv's own flags). */
export function withJson(args: string[]): string[] {
  const end = args.indexOf('--')
  return end === -1 ? [...args, '--json'] : [...args.slice(0, end), '--json', ...args.slice(end)]
}

/** Runs xv ARGS --json in CWD, expects EXIT_CODE and a document valid for KIND. */
export async function json(kind: string, args: string[], cwd: string, exitCode = 0): Promise<Record<string, unknown>> {
  const res = await xv(cwd, withJson(args))
  expect(res.exitCode, `xv ${args.join(' ')}: ${res.stderr}`).toBe(exitCode)
  return validate(kind, res.stdout)
}
