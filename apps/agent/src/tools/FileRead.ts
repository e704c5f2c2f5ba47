/** `file_read`: the text of a file inside the workspace, up to the output limit. */
import { constants } from "node:fs"
import { open } from "node:fs/promises"
import { Effect, Schema } from "effect"
import { defineTool } from "./defineTool.js"
import { fromFsError, validation } from "./ToolError.js"
import { decodeCapped } from "./truncate.js"
import { displayPath, resolveInside } from "./Workspace.js"

const Input = Schema.Struct({ path: Schema.String })

export const FileRead = defineTool({
  name: "file_read",
  summary: "read a text file in the workspace",
  input: Input,
  run: ({ path: requested }, ctx) =>
    Effect.gen(function* () {
      const real = yield* resolveInside(ctx.workspace, requested, { mustExist: true })
      const shown = displayPath(ctx.workspace, real)
      const { bytes, size, isFile } = yield* Effect.tryPromise({
        try: async () => {
          const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW)
          try {
            const stat = await handle.stat()
            if (!stat.isFile()) return { bytes: new Uint8Array(0), size: stat.size, isFile: false }
            const buffer = Buffer.alloc(Math.min(stat.size, ctx.limits.outputBytes) + 1)
            let filled = 0
            while (filled < buffer.length) {
              const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled)
              if (bytesRead === 0) break
              filled += bytesRead
            }
            return { bytes: buffer.subarray(0, filled), size: Math.max(stat.size, filled), isFile: true }
          } finally {
            await handle.close()
          }
        },
        catch: (e) => fromFsError(requested, e)
      })
      if (!isFile) return yield* validation(`${requested} is not a regular file (use file_list for folders)`)
      if (bytes.includes(0)) {
        return {
          output: { path: shown, bytes: size, binary: true, content: null, truncated: false },
          text: `(${shown} is a binary file of ${size} bytes; not shown)`
        }
      }
      const more = bytes.length > ctx.limits.outputBytes
      const content = decodeCapped(more ? bytes.subarray(0, ctx.limits.outputBytes) : bytes, more, size)
      return {
        output: { path: shown, bytes: size, binary: false, content: content.text, truncated: content.truncated },
        text: content.text
      }
    })
})
