/**
 * Which processes hold a file open for writing, read from /proc (Linux). Used before xv hashes a
 * file another program may still be writing (a result database). Elsewhere it finds nothing and
 * callers rely on the file's own locks.
 */
import {existsSync, readFileSync, readdirSync, readlinkSync} from 'node:fs'

export interface Holder {
  pid: number
  /** The command line, shortened for one-line messages. */
  command: string
}

function commandOf(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
    const line = argv.join(' ').replace(/\s+/g, ' ').trim()
    return line.length > 60 ? `${line.slice(0, 57)}...` : line || `pid ${pid}`
  } catch {
    return `pid ${pid}`
  }
}

/** True when fd FD of PID is open for writing (flags in /proc/PID/fdinfo/FD: O_WRONLY or O_RDWR). */
function openForWriting(pid: string, fd: string): boolean {
  try {
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1]
    return flags === undefined || (Number.parseInt(flags, 8) & 3) !== 0
  } catch {
    return false
  }
}

/** Other processes that hold any of PATHS (absolute, real paths) open for writing. */
export function writersOf(paths: string[]): Holder[] {
  if (!existsSync('/proc/self/fd')) return []
  const wanted = new Set(paths)
  const holders: Holder[] = []
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue // gone, or not ours to read
    }

    for (const fd of fds) {
      let target: string
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`)
      } catch {
        continue
      }

      if (wanted.has(target) && openForWriting(pid, fd)) {
        holders.push({pid: Number(pid), command: commandOf(Number(pid))})
        break
      }
    }
  }

  return holders
}
