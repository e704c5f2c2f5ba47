/**
 * `file_search`: lines containing a text (case-sensitive, like grep) in the files under a folder
 * of the workspace. Symlinks are not followed, `.git` and `node_modules` are skipped, and so are
 * binary files and files over the size limit; the walk stops at the file and match limits.
 */
import { open, readdir } from "node:fs/promises"
import * as path from "node:path"
import { Effect, Schema } from "effect"
import { defineTool } from "./defineTool.js"
import { fromFsError, validation } from "./ToolError.js"
import { displayPath, resolveInside } from "./Workspace.js"

const Input = Schema.Struct({
  query: Schema.String,
  path: Schema.optionalWith(Schema.String, { default: () => "." })
})

const SKIPPED_DIRS = new Set([".git", "node_modules"])
const LINE_CHARS = 240

interface Match {
  readonly path: string
  readonly line: number
  readonly text: string
}

const readSmallFile = async (file: string, maxBytes: number): Promise<Buffer | undefined> => {
  const handle = await open(file, "r")
  try {
    const stat = await handle.stat()
    if (!stat.isFile() || stat.size > maxBytes) return undefined
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}

export const FileSearch = defineTool({
  name: "file_search",
  summary: "find lines containing a text in the files under a folder of the workspace",
  input: Input,
  run: ({ query, path: requested }, ctx) =>
    Effect.gen(function* () {
      if (query.length === 0) return yield* validation("file_search needs a non-empty query")
      const root = yield* resolveInside(ctx.workspace, requested, { mustExist: true })
      const { limits } = ctx
      const result = yield* Effect.tryPromise({
        try: async (signal) => {
          const matches: Array<Match> = []
          let filesSearched = 0
          let stoppedEarly = false
          const queue: Array<string> = [root]
          walk: while (queue.length > 0) {
            if (signal.aborted) break
            const dir = queue.shift()!
            let entries
            try {
              entries = await readdir(dir, { withFileTypes: true })
            } catch (e) {
              if (dir === root) throw e // the folder asked for must be readable; below it, skip
              continue
            }
            entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
            for (const entry of entries) {
              const full = path.join(dir, entry.name)
              if (entry.isDirectory()) {
                if (!SKIPPED_DIRS.has(entry.name)) queue.push(full)
                continue
              }
              if (!entry.isFile()) continue // symlinks and special files are not followed
              if (filesSearched >= limits.searchFiles) {
                stoppedEarly = true
                break walk
              }
              filesSearched++
              const content = await readSmallFile(full, limits.searchFileBytes).catch(() => undefined)
              if (content === undefined || content.includes(0)) continue
              const lines = content.toString("utf8").split(/\r?\n/)
              for (let i = 0; i < lines.length; i++) {
                const line = lines[i]!
                if (!line.includes(query)) continue
                if (matches.length >= limits.searchMatches) {
                  stoppedEarly = true
                  break walk
                }
                const text = line.length > LINE_CHARS ? line.slice(0, LINE_CHARS) + "…" : line
                matches.push({ path: displayPath(ctx.workspace, full), line: i + 1, text })
              }
            }
          }
          return { matches, filesSearched, stoppedEarly }
        },
        catch: (e) => fromFsError(requested, e)
      })
      const shown = displayPath(ctx.workspace, root)
      const lines = result.matches.map((m) => `${m.path}:${m.line}: ${m.text}`)
      if (result.stoppedEarly) {
        lines.push(`… [truncated: stopped after ${result.matches.length} matches in ${result.filesSearched} files]`)
      }
      return {
        output: {
          query,
          path: shown,
          matches: result.matches,
          files_searched: result.filesSearched,
          truncated: result.stoppedEarly
        },
        text:
          result.matches.length === 0
            ? `No matches for ${JSON.stringify(query)} in ${shown} (${result.filesSearched} files searched)`
            : lines.join("\n")
      }
    })
})
