/**
 * `file_write`: writes (creates or replaces) a text file inside the workspace, creating missing
 * parent folders. Writing through a symlink is allowed only when its target is inside too.
 */
import { constants } from "node:fs"
import { mkdir, open, stat } from "node:fs/promises"
import * as path from "node:path"
import { Effect, Schema } from "effect"
import { defineTool } from "./defineTool.js"
import { errnoCode, fromFsError, validation } from "./ToolError.js"
import { displayPath, resolveInside } from "./Workspace.js"

const Input = Schema.Struct({ path: Schema.String, content: Schema.String })

export const FileWrite = defineTool({
  name: "file_write",
  summary: "write a text file in the workspace (creates or replaces it)",
  input: Input,
  run: ({ path: requested, content }, ctx) =>
    Effect.gen(function* () {
      const bytes = Buffer.byteLength(content, "utf8")
      if (bytes > ctx.limits.writeBytes) {
        return yield* validation(`content of ${bytes} bytes is over the ${ctx.limits.writeBytes}-byte write limit`)
      }
      const real = yield* resolveInside(ctx.workspace, requested, { mustExist: false })
      if (real === ctx.workspace) return yield* validation(`${requested} is the workspace folder, not a file`)
      const shown = displayPath(ctx.workspace, real)
      const created = yield* Effect.tryPromise({
        try: async () => {
          const existing = await stat(real).catch((e: unknown) => {
            if (errnoCode(e) === "ENOENT") return undefined
            throw e
          })
          if (existing?.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" })
          await mkdir(path.dirname(real), { recursive: true })
          // O_NOFOLLOW: if a symlink appeared at the checked path since, refuse (ELOOP) rather than follow it
          const handle = await open(
            real,
            constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
            0o666
          )
          try {
            await handle.writeFile(content, "utf8")
          } finally {
            await handle.close()
          }
          return existing === undefined
        },
        catch: (e) => fromFsError(requested, e)
      })
      return {
        output: { path: shown, bytes_written: bytes, created },
        text: `${created ? "Created" : "Wrote"} ${shown} (${bytes} bytes)`
      }
    })
})
