/**
 * Which flags of which xv command the test files exercise, read from the tests' source (TypeScript's
 * parser): every array literal that starts with a command's words (`['model', 'promote', '--best']`,
 * also after XV_BIN in a spawn) counts each `--flag` (or `-c` short form) it holds for that command.
 * An array passed to a helper that appends `--json` (`xvJson(cwd, ['model', 'list'])`: its body holds
 * `[...args, '--json']`) counts `--json` too.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import ts from 'typescript'

export interface ManifestCommand {
  flags: Record<string, {char?: string}>
}

/** Flags seen per command id (`model:promote`), with the test files that use them. */
export function flagUses(testDirs: string[], commands: Record<string, ManifestCommand>): Map<string, Map<string, Set<string>>> {
  const uses = new Map<string, Map<string, Set<string>>>()
  const ids = Object.keys(commands).sort((a, b) => b.split(':').length - a.split(':').length) // longest first
  const record = (id: string, flag: string, file: string) => {
    const byFlag = uses.get(id) ?? new Map<string, Set<string>>()
    uses.set(id, byFlag)
    const files = byFlag.get(flag) ?? new Set<string>()
    byFlag.set(flag, files)
    files.add(file)
  }

  const files = testDirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)))
  const sources = files.map((file) => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true))
  const addsJson = jsonHelpers(sources)
  for (const source of sources) {
    {
      const name = source.fileName.split('/').pop() ?? source.fileName
      const visit = (node: ts.Node) => {
        if (ts.isArrayLiteralExpression(node)) {
          const words = node.elements.map((e) => (ts.isStringLiteralLike(e) ? e.text : undefined))
          const start = node.elements[0] && ts.isIdentifier(node.elements[0]) && node.elements[0].text === 'XV_BIN' ? 1 : 0
          const id = ids.find((c) => c.split(':').every((w, i) => words[start + i] === w))
          const command = id === undefined ? undefined : commands[id]
          if (id !== undefined && command) {
            const rest = words.slice(start + id.split(':').length)
            const end = rest.indexOf('--') // what follows `--` is another program's (xv run -- python …)
            for (const word of end < 0 ? rest : rest.slice(0, end)) {
              if (word === undefined) continue
              const long = /^--([a-z][a-z0-9-]*)(=.*)?$/.exec(word)?.[1]
              const short = /^-([a-zA-Z])$/.exec(word)?.[1]
              const flag = long ?? Object.keys(command.flags).find((f) => short !== undefined && command.flags[f]?.char === short)
              if (flag !== undefined) record(id, flag, name)
            }

            const call = node.parent
            if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && addsJson.has(call.expression.text)) record(id, 'json', name)
          }
        }

        ts.forEachChild(node, visit)
      }

      visit(source)
    }
  }

  return uses
}

/** Names of the functions that append `--json` to an argument list they are given (`[...args, '--json']`). */
function jsonHelpers(sources: ts.SourceFile[]): Set<string> {
  const names = new Set<string>()
  const appends = (body: ts.Node) => /\[\s*\.\.\.\w+\s*,\s*'--json'\s*\]/.test(body.getText())
  for (const source of sources) {
    const visit = (node: ts.Node) => {
      if (ts.isFunctionDeclaration(node) && node.name && node.body && appends(node.body)) names.add(node.name.text)
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isArrowFunction(node.initializer) && appends(node.initializer.body))
        names.add(node.name.text)
      ts.forEachChild(node, visit)
    }

    visit(source)
  }

  return names
}
