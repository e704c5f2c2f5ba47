/** Why a tool call failed, typed as the ErrorOccurred it becomes. */
import type { ErrorType } from "@cratos/domain"
import { Data } from "effect"

export class ToolError extends Data.TaggedError("ToolError")<{
  readonly errorType: ErrorType
  readonly reason: string
  /** What the tool produced before failing (a command's output), recorded in the ToolResult. */
  readonly output?: unknown
  /** What the person should still see of it (a failed command's output, an error page). */
  readonly text?: string
}> {
  override get message() {
    return this.reason
  }
}

export const permission = (reason: string) => new ToolError({ errorType: "Permission", reason })
export const validation = (reason: string) => new ToolError({ errorType: "Validation", reason })
export const internal = (reason: string) => new ToolError({ errorType: "Internal", reason })

/** A Node system error's code (`ENOENT`, `EACCES`, …), if it has one. */
export const errnoCode = (e: unknown): string | undefined =>
  typeof e === "object" && e !== null && "code" in e && typeof e.code === "string" ? e.code : undefined

/** A filesystem failure as a ToolError: access refusals are Permission, the rest Internal. */
export const fromFsError = (what: string, e: unknown): ToolError => {
  const code = errnoCode(e)
  switch (code) {
    case "EACCES":
    case "EPERM":
      return permission(`${what}: permission denied`)
    case "ELOOP":
      return permission(`${what}: refused to follow a symlink`)
    case "ENOENT":
      return new ToolError({ errorType: "Validation", reason: `${what}: no such file or directory` })
    case "ENOTDIR":
      return validation(`${what}: not a directory`)
    case "EISDIR":
      return validation(`${what}: is a directory`)
    default:
      return internal(`${what}: ${code ?? (e instanceof Error ? e.message : String(e))}`)
  }
}
