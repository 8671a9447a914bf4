/**
 * A real S3-compatible server for the tests: moto in server mode (`moto_server`, installed into
 * the project's .venv by scripts/install-test-extras.sh with dvc-s3), on 127.0.0.1 and a free
 * port; started and stopped by the test. Credentials come from the environment, as DVC's S3
 * plugin reads them. Also a "black hole" server that accepts connections and never answers.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {createServer, type Server, type Socket} from 'node:net'
import {join} from 'node:path'

import {PROJECT_ROOT} from './repo.js'

export const S3_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  // Fewer botocore retries: a refused connection fails in seconds (the behaviour is the same, only faster).
  AWS_MAX_ATTEMPTS: '2',
}

export interface S3Server {
  endpoint: string
  port: number
  createBucket: (name: string) => Promise<void>
  stop: () => Promise<void>
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function waitUntilUp(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${log()}`)
    try {
      const res = await fetch(endpoint, {signal: AbortSignal.timeout(2000)})
      if (res.status < 500) return
    } catch {
      // not listening yet
    }

    await new Promise((r) => setTimeout(r, 200))
  }

  throw new Error(`moto_server did not answer on ${endpoint} within 60 s: ${log()}`)
}

/** Starts moto_server on 127.0.0.1 and a free port; sets the fake credentials in process.env. */
export async function startS3(): Promise<S3Server> {
  Object.assign(process.env, S3_ENV)
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  // Through the venv's python, not the moto_server script: a venv moved or shared between checkouts
  // keeps the installing checkout's path in the script's #! line.
  const python = join(PROJECT_ROOT, '.venv', 'bin', 'python')
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {stdio: ['ignore', 'pipe', 'pipe']})
  let output = ''
  child.stdout?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-2000)))
  child.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-2000)))
  await waitUntilUp(endpoint, child, () => output)
  let stopped = false
  return {
    endpoint,
    port,
    async createBucket(name: string) {
      const res = await fetch(`${endpoint}/${name}`, {method: 'PUT'})
      if (!res.ok) throw new Error(`creating bucket ${name}: HTTP ${res.status}`)
    },
    async stop() {
      if (stopped || child.exitCode !== null) return
      stopped = true
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** A TCP server on 127.0.0.1 that accepts connections and never answers (a hung remote). */
export async function startBlackHole(): Promise<{endpoint: string; stop: () => Promise<void>}> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Points REPO's default DVC remote at s3://BUCKET/PREFIX on ENDPOINT (dvc remote add + modify). */
export function s3RemoteArgs(name: string, bucket: string, endpoint: string): string[][] {
  return [
    ['remote', 'add', '-f', '-d', name, `s3://${bucket}/store`],
    ['remote', 'modify', name, 'endpointurl', endpoint],
  ]
}
