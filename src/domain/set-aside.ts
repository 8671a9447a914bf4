/**
 * Paths taken out of the working copy by rename (one rename each, instead of freeing every block
 * before the next step can start) into a folder under .dvc/tmp, then deleted there in the
 * background. Until the change is committed they can be put back: `putBack()` stops the deletion
 * and renames back what is still there, saying whether everything came back (else the caller
 * restores the rest, e.g. from the DVC cache).
 */
import {randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, renameSync, rmSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import {join} from 'node:path'

import {errorMessage} from '../errors.js'

/** Deletions running at once (each a rename's worth of bookkeeping plus the blocks of one file). */
const PARALLEL = 4

export class SetAside {
  readonly dir: string
  private readonly moved: Array<{from: string; to: string}> = []
  /** Some path could not be renamed and was deleted in place. */
  private deletedInPlace = false
  private stopped = false
  private deleting?: Promise<string | undefined>

  /** Moves ABSOLUTE_PATHS into a new folder under ROOT/.dvc/tmp. */
  constructor(root: string, absolutePaths: string[]) {
    this.dir = join(root, '.dvc', 'tmp', `xv-set-aside-${process.pid}-${randomBytes(3).toString('hex')}`)
    mkdirSync(this.dir, {recursive: true})
    absolutePaths.forEach((from, i) => {
      const to = join(this.dir, String(i))
      try {
        renameSync(from, to)
        this.moved.push({from, to})
      } catch {
        // Another file system (a mount inside the project): deleted in place.
        rmSync(from, {recursive: true, force: true})
        this.deletedInPlace = true
      }
    })
  }

  /** Starts deleting in the background; resolves to a warning when the folder could not be deleted. */
  deleteInBackground(): Promise<string | undefined> {
    this.deleting ??= this.deleteAll()
    return this.deleting
  }

  private async deleteAll(): Promise<string | undefined> {
    const queue = [...this.moved]
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next && !this.stopped; next = queue.shift()) await rm(next.to, {recursive: true, force: true})
    }

    try {
      await Promise.all(Array.from({length: PARALLEL}, worker))
      if (!this.stopped) await rm(this.dir, {recursive: true, force: true})
      return undefined
    } catch (error) {
      return `the change is made but ${this.dir} could not be deleted (${errorMessage(error)}); delete it by hand`
    }
  }

  /** Stops the deletion, renames back what is left; true when every path is back. */
  async putBack(): Promise<boolean> {
    this.stopped = true
    await this.deleting
    let complete = !this.deletedInPlace
    for (const {from, to} of this.moved) {
      if (existsSync(to)) renameSync(to, from)
      else complete = false
    }

    rmSync(this.dir, {recursive: true, force: true})
    return complete
  }
}
