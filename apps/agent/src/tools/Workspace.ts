/**
 * Confinement of file tools to the workspace folder. A path is resolved against the workspace,
 * then through the filesystem (`realpath`), and must stay inside it at both steps: `..`, an
 * absolute path elsewhere and a symlink that points out are refused with a Permission error.
 * A symlink whose target stays inside is followed.
 */
import { lstat, realpath } from "node:fs/promises"
import * as path from "node:path"
import { Effect } from "effect"
import { errnoCode, fromFsError, permission, ToolError, validation } from "./ToolError.js"

/** Whether `candidate` is `root` or below it (compared with a separator, not a bare prefix). */
export const isInside = (root: string, candidate: string): boolean => {
  if (candidate === root) return true
  const prefix = root.endsWith(path.sep) ? root : root + path.sep
  return candidate.startsWith(prefix)
}

/** The workspace folder as a real path; it must exist and be a directory. */
export const realWorkspace = (workspace: string): Effect.Effect<string, ToolError> =>
  Effect.tryPromise({
    try: async () => {
      const real = await realpath(path.resolve(workspace))
      if (!(await lstat(real)).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" })
      return real
    },
    catch: (e) => fromFsError(`workspace ${workspace}`, e)
  })

/** The path as shown to the person: relative to the workspace ("." for the workspace itself). */
export const displayPath = (workspace: string, real: string): string => path.relative(workspace, real) || "."

const outside = (requested: string) => permission(`${requested} is outside the workspace`)

/**
 * The real path of `requested` inside `workspace` (a real path). With `mustExist: false` the
 * path may not exist yet (a file to write): its nearest existing ancestor is resolved and checked,
 * and a dangling symlink at the path itself is refused (writing through it could land anywhere).
 */
export const resolveInside = (
  workspace: string,
  requested: string,
  options: { readonly mustExist: boolean }
): Effect.Effect<string, ToolError> =>
  Effect.gen(function* () {
    if (requested.length === 0) return yield* validation("empty path")
    if (requested.includes("\0")) return yield* validation("path contains a NUL character")
    const lexical = path.resolve(workspace, requested)
    if (!isInside(workspace, lexical)) return yield* outside(requested)
    return yield* Effect.tryPromise({
      try: () => resolveReal(workspace, requested, lexical, options.mustExist),
      catch: (e) => (e instanceof ToolError ? e : fromFsError(requested, e))
    })
  })

const resolveReal = async (workspace: string, requested: string, lexical: string, mustExist: boolean) => {
  try {
    const real = await realpath(lexical)
    if (!isInside(workspace, real)) throw permission(`${requested} leads outside the workspace (through a symlink)`)
    return real
  } catch (e) {
    if (e instanceof ToolError || errnoCode(e) !== "ENOENT" || mustExist) throw e
  }
  // Not there (yet): refuse a dangling symlink, then resolve the nearest existing ancestor.
  const link = await lstat(lexical).catch(() => undefined)
  if (link?.isSymbolicLink()) throw permission(`${requested} is a symlink to a missing target`)
  let ancestor = path.dirname(lexical)
  const rest: Array<string> = [path.basename(lexical)]
  for (;;) {
    try {
      const real = await realpath(ancestor)
      if (!isInside(workspace, real)) throw permission(`${requested} leads outside the workspace (through a symlink)`)
      return path.join(real, ...rest)
    } catch (e) {
      if (e instanceof ToolError || errnoCode(e) !== "ENOENT") throw e
      const missing = await lstat(ancestor).catch(() => undefined)
      if (missing?.isSymbolicLink()) throw permission(`${requested} goes through a symlink to a missing target`)
      if (ancestor === workspace || path.dirname(ancestor) === ancestor) throw e
      rest.unshift(path.basename(ancestor))
      ancestor = path.dirname(ancestor)
    }
  }
}
