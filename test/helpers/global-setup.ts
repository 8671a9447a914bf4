// Runs once before the suite: DVC must be there (installed by scripts/install-dvc.sh through
// `npm ci`). A missing dvc fails the run: tests never skip because a tool is absent.
import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'

export default function setup(): void {
  const root = resolve(import.meta.dirname, '..', '..')
  const dvc = process.env.XV_DVC ?? join(root, '.venv', 'bin', 'dvc')
  if (!existsSync(dvc)) {
    execFileSync('bash', [join(root, 'scripts', 'install-dvc.sh')], {stdio: 'inherit'})
  }

  if (!existsSync(dvc)) throw new Error(`dvc not found at ${dvc}: run 'bash scripts/install-dvc.sh' (tests need the real DVC)`)
  // Test extras (S3 tests): moto in server mode and dvc-s3, pinned, into the same .venv.
  execFileSync('bash', [join(root, 'scripts', 'install-test-extras.sh')], {stdio: 'inherit'})
  if (!existsSync(join(root, '.venv', 'bin', 'moto_server')))
    throw new Error("moto_server not found in .venv: run 'bash scripts/install-test-extras.sh' (the S3 tests need it)")
  // The report's browser test drives Debian's Chromium (installed by this script when missing).
  try {
    execFileSync('bash', [join(root, 'scripts', 'install-chromium.sh')], {stdio: ['ignore', 'inherit', 'pipe']})
  } catch (error) {
    const reason = String((error as {stderr?: Buffer}).stderr ?? '').trim().split('\n')[0]
    throw new Error(reason || 'chromium: scripts/install-chromium.sh failed')
  }

  if (!existsSync(join(root, 'dist', 'commands'))) throw new Error("dist/ is missing: run 'npm run build' (npm test does it)")
}
