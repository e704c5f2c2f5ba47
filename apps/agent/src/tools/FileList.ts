/** `file_list`: the entries of a folder inside the workspace (not recursive), sorted by name. */
import { readdir } from "node:fs/promises"
import { Effect, Schema } from "effect"
import { defineTool } from "./defineTool.js"
import { fromFsError } from "./ToolError.js"
import { displayPath, resolveInside } from "./Workspace.js"

const Input = Schema.Struct({ path: Schema.optionalWith(Schema.String, { default: () => "." }) })

type EntryType = "file" | "dir" | "symlink" | "other"

export const FileList = defineTool({
  name: "file_list",
  summary: "list the entries of a folder in the workspace (default: the workspace)",
  input: Input,
  run: ({ path: requested }, ctx) =>
    Effect.gen(function* () {
      const real = yield* resolveInside(ctx.workspace, requested, { mustExist: true })
      const shown = displayPath(ctx.workspace, real)
      const dirents = yield* Effect.tryPromise({
        try: () => readdir(real, { withFileTypes: true }),
        catch: (e) => fromFsError(requested, e)
      })
      const all = dirents
        .map((d) => ({
          name: d.name,
          type: (d.isDirectory() ? "dir" : d.isFile() ? "file" : d.isSymbolicLink() ? "symlink" : "other") as EntryType
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      const entries = all.slice(0, ctx.limits.listEntries)
      const truncated = all.length > entries.length
      const lines = entries.map((e) => (e.type === "dir" ? `${e.name}/` : e.type === "symlink" ? `${e.name}@` : e.name))
      if (truncated) lines.push(`… [truncated: showing ${entries.length} of ${all.length} entries]`)
      return {
        output: { path: shown, entries, total: all.length, truncated },
        text: all.length === 0 ? `(${shown} is empty)` : lines.join("\n")
      }
    })
})
