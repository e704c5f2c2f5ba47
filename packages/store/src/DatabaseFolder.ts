/**
 * Creating the database's folder. Not `fs.mkdirSync(dir, { recursive: true })`: on Node 20 it
 * loops forever under `/proc` (`/proc/nope`: ENOENT for the child, EEXIST for `/proc`, and it
 * retries). Instead: walk up to the first folder that exists, then create each missing level
 * with a plain `mkdirSync`, so a place where no folder can be made fails at once (ENOENT,
 * EACCES, EPERM, ENOTDIR) with Node's error naming the level.
 */
import * as fs from "node:fs"
import * as path from "node:path"

/**
 * Creates `dir` and its missing parents with `mode`, `chmod`ed after creation so the umask does
 * not matter. A level another process creates meanwhile is left as it is. Returns the folders
 * created, outermost first.
 */
export const createFolders = (dir: string, mode: number): ReadonlyArray<string> => {
  const missing: Array<string> = []
  for (let current = path.resolve(dir); !fs.existsSync(current); current = path.dirname(current)) {
    missing.push(current)
    if (path.dirname(current) === current) break
  }
  const created: Array<string> = []
  for (const folder of missing.reverse()) {
    try {
      fs.mkdirSync(folder, { mode })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") continue
      throw e
    }
    fs.chmodSync(folder, mode)
    created.push(folder)
  }
  return created
}
