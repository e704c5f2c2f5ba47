import { mkdir, readFile, writeFile } from "node:fs/promises"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { runTool, tempDir } from "./testing.js"

const withFiles = (files: Record<string, string | Buffer>) =>
  Effect.gen(function* () {
    const ws = yield* tempDir()
    yield* Effect.promise(async () => {
      for (const [name, content] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(ws, name)), { recursive: true })
        await writeFile(path.join(ws, name), content)
      }
    })
    return ws
  })

describe("file_read", () => {
  it.scoped("returns the text", () =>
    Effect.gen(function* () {
      const ws = yield* withFiles({ "a.txt": "hello\nworld\n" })
      const ok = Either.getOrThrow(yield* runTool("file_read", { path: "a.txt" }, { workspace: ws }))
      expect(ok.text).toBe("hello\nworld\n")
      expect(ok.output).toEqual({
        path: "a.txt",
        bytes: 12,
        binary: false,
        content: "hello\nworld\n",
        truncated: false
      })
    })
  )

  it.scoped("truncates at the output limit with a note, on a character boundary", () =>
    Effect.gen(function* () {
      const ws = yield* withFiles({ "big.txt": "é".repeat(100) }) // 200 bytes
      const ok = Either.getOrThrow(
        yield* runTool("file_read", { path: "big.txt" }, { workspace: ws, limits: { outputBytes: 51 } })
      )
      expect(ok.text).toBe("é".repeat(25) + "\n… [truncated: showing 50 of 200 bytes]")
      expect(ok.output).toMatchObject({ truncated: true, bytes: 200 })
    })
  )

  it.scoped("a missing file is a Validation error; a folder too; bad input too", () =>
    Effect.gen(function* () {
      const ws = yield* withFiles({ "d/x": "" })
      const missing = yield* runTool("file_read", { path: "nope.txt" }, { workspace: ws })
      expect(Either.isLeft(missing) && missing.left.errorType).toBe("Validation")
      expect(Either.isLeft(missing) && missing.left.reason).toContain("nope.txt")
      const dir = yield* runTool("file_read", { path: "d" }, { workspace: ws })
      expect(Either.isLeft(dir) && dir.left.errorType).toBe("Validation")
      const bad = yield* runTool("file_read", { file: "x", password: "hunter2" }, { workspace: ws })
      expect(Either.isLeft(bad) && bad.left.reason).toBe('invalid input for file_read: expected {"path": string}')
    })
  )

  it.scoped("does not show binary files", () =>
    Effect.gen(function* () {
      const ws = yield* withFiles({ "b.bin": Buffer.from([1, 0, 2]) })
      const ok = Either.getOrThrow(yield* runTool("file_read", { path: "b.bin" }, { workspace: ws }))
      expect(ok.output).toMatchObject({ binary: true, content: null })
    })
  )
})

describe("file_list", () => {
  it.scoped("lists sorted entries, folders with a slash, capped", () =>
    Effect.gen(function* () {
      const ws = yield* withFiles({ "b.txt": "", "a/x.txt": "", "c.txt": "" })
      const ok = Either.getOrThrow(yield* runTool("file_list", {}, { workspace: ws }))
      expect(ok.text).toBe("a/\nb.txt\nc.txt")
      const capped = Either.getOrThrow(
        yield* runTool("file_list", { path: "." }, { workspace: ws, limits: { listEntries: 2 } })
      )
      expect(capped.text).toBe("a/\nb.txt\n… [truncated: showing 2 of 3 entries]")
    })
  )
})

describe("file_search", () => {
  it.scoped("finds lines under a folder, skips node_modules and binary files", () =>
    Effect.gen(function* () {
      const ws = yield* withFiles({
        "src/a.ts": "const x = 1 // TODO one\nno\n",
        "src/deep/b.ts": "TODO two\n",
        "node_modules/m/index.js": "TODO hidden\n",
        "bin.dat": Buffer.concat([Buffer.from("TODO"), Buffer.from([0])]),
        "README.md": "TODO top\n"
      })
      const inSrc = Either.getOrThrow(yield* runTool("file_search", { query: "TODO", path: "src" }, { workspace: ws }))
      expect(inSrc.text).toBe("src/a.ts:1: const x = 1 // TODO one\nsrc/deep/b.ts:1: TODO two")
      const all = Either.getOrThrow(yield* runTool("file_search", { query: "TODO" }, { workspace: ws }))
      expect(all.text.split("\n")).toEqual([
        "README.md:1: TODO top",
        "src/a.ts:1: const x = 1 // TODO one",
        "src/deep/b.ts:1: TODO two"
      ])
      const none = Either.getOrThrow(yield* runTool("file_search", { query: "zzz" }, { workspace: ws }))
      expect(none.text).toMatch(/^No matches for "zzz" in \./)
      const capped = Either.getOrThrow(
        yield* runTool("file_search", { query: "TODO" }, { workspace: ws, limits: { searchMatches: 1 } })
      )
      expect(capped.text).toBe("README.md:1: TODO top\n… [truncated: stopped after 1 matches in 3 files]")
    })
  )
})

describe("file_write", () => {
  it.scoped("creates a file and its folders, then replaces it", () =>
    Effect.gen(function* () {
      const ws = yield* withFiles({})
      const created = Either.getOrThrow(
        yield* runTool("file_write", { path: "notes/today.md", content: "hi" }, { workspace: ws })
      )
      expect(created.text).toBe("Created notes/today.md (2 bytes)")
      const replaced = Either.getOrThrow(
        yield* runTool("file_write", { path: "notes/today.md", content: "bye!" }, { workspace: ws })
      )
      expect(replaced.text).toBe("Wrote notes/today.md (4 bytes)")
      expect(yield* Effect.promise(() => readFile(path.join(ws, "notes/today.md"), "utf8"))).toBe("bye!")
    })
  )

  it.scoped("refuses content over the write limit", () =>
    Effect.gen(function* () {
      const ws = yield* withFiles({})
      const big = yield* runTool(
        "file_write",
        { path: "x", content: "abc" },
        { workspace: ws, limits: { writeBytes: 2 } }
      )
      expect(Either.isLeft(big) && big.left.errorType).toBe("Validation")
    })
  )
})
