/** Access checks on local paths (the file system, not a tool). */
import {accessSync, constants} from 'node:fs'

function can(path: string, mode: number): boolean {
  try {
    accessSync(path, mode)
    return true
  } catch {
    return false
  }
}

export const isWritable = (path: string): boolean => can(path, constants.W_OK)
export const isExecutable = (path: string): boolean => can(path, constants.X_OK)
