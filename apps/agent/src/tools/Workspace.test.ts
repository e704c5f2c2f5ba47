import { mkdir, readFile, symlink, writeFile } from "node:fs/promises"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { runTool, tempDir } from "./testing.js"
import { isInside } from "./Workspace.js"

/** A workspace `ws` with a file inside, and a secret file beside it (outside). */
const fixture = Effect.gen(function* () {
  const base = yield* tempDir()
  const ws = path.join(base, "ws")
  yield* Effect.promise(async () => {
    await mkdir(path.join(ws, "sub"), { recursive: true })
    await writeFile(path.join(ws, "sub", "inside.txt"), "inside text")
    await writeFile(path.join(base, "secret.txt"), "outside secret")
    await mkdir(path.join(base, "ws-evil"))
    await writeFile(path.join(base, "ws-evil", "x.txt"), "prefix trick")
  })
  return { base, ws }
})

const errorOf = <A, E extends { errorType: string }>(result: Either.Either<A, E>) =>
  Either.isLeft(result) ? result.left.errorType : "no error"

describe("workspace confinement", () => {
  it("compares prefixes with a separator", () => {
    expect(isInside("/a/ws", "/a/ws")).toBe(true)
    expect(isInside("/a/ws", "/a/ws/x")).toBe(true)
    expect(isInside("/a/ws", "/a/ws-evil/x")).toBe(false)
    expect(isInside("/", "/etc")).toBe(true)
  })

  it.scoped("refuses .. out of the workspace", () =>
    Effect.gen(function* () {
      const { ws } = yield* fixture
      expect(errorOf(yield* runTool("file_read", { path: "../secret.txt" }, { workspace: ws }))).toBe("Permission")
      expect(errorOf(yield* runTool("file_read", { path: "sub/../../secret.txt" }, { workspace: ws }))).toBe(
        "Permission"
      )
      expect(errorOf(yield* runTool("file_list", { path: ".." }, { workspace: ws }))).toBe("Permission")
      expect(errorOf(yield* runTool("file_read", { path: "../ws-evil/x.txt" }, { workspace: ws }))).toBe("Permission")
    })
  )

  it.scoped("refuses absolute paths outside and accepts absolute paths inside", () =>
    Effect.gen(function* () {
      const { base, ws } = yield* fixture
      expect(errorOf(yield* runTool("file_read", { path: path.join(base, "secret.txt") }, { workspace: ws }))).toBe(
        "Permission"
      )
      expect(errorOf(yield* runTool("file_read", { path: "/etc/passwd" }, { workspace: ws }))).toBe("Permission")
      const inside = yield* runTool("file_read", { path: path.join(ws, "sub", "inside.txt") }, { workspace: ws })
      expect(Either.getOrThrow(inside).text).toBe("inside text")
    })
  )

  it.scoped("refuses a symlink that points out, for reading, listing, searching and writing", () =>
    Effect.gen(function* () {
      const { base, ws } = yield* fixture
      yield* Effect.promise(async () => {
        await symlink(path.join(base, "secret.txt"), path.join(ws, "link-out.txt"))
        await symlink(base, path.join(ws, "dir-out"))
      })
      expect(errorOf(yield* runTool("file_read", { path: "link-out.txt" }, { workspace: ws }))).toBe("Permission")
      expect(errorOf(yield* runTool("file_read", { path: "dir-out/secret.txt" }, { workspace: ws }))).toBe("Permission")
      expect(errorOf(yield* runTool("file_list", { path: "dir-out" }, { workspace: ws }))).toBe("Permission")
      expect(errorOf(yield* runTool("file_search", { query: "secret", path: "dir-out" }, { workspace: ws }))).toBe(
        "Permission"
      )
      expect(errorOf(yield* runTool("file_write", { path: "link-out.txt", content: "pwned" }, { workspace: ws }))).toBe(
        "Permission"
      )
      expect(
        errorOf(yield* runTool("file_write", { path: "dir-out/new.txt", content: "pwned" }, { workspace: ws }))
      ).toBe("Permission")
      expect(yield* Effect.promise(() => readFile(path.join(base, "secret.txt"), "utf8"))).toBe("outside secret")
    })
  )

  it.scoped("refuses writing through a dangling symlink (its target could be anywhere)", () =>
    Effect.gen(function* () {
      const { base, ws } = yield* fixture
      yield* Effect.promise(() => symlink(path.join(base, "not-yet.txt"), path.join(ws, "dangling")))
      expect(errorOf(yield* runTool("file_write", { path: "dangling", content: "x" }, { workspace: ws }))).toBe(
        "Permission"
      )
    })
  )

  it.scoped("follows a symlink that stays inside", () =>
    Effect.gen(function* () {
      const { ws } = yield* fixture
      yield* Effect.promise(async () => {
        await symlink(path.join(ws, "sub", "inside.txt"), path.join(ws, "link-in.txt"))
        await symlink("sub", path.join(ws, "dir-in"))
      })
      const read = yield* runTool("file_read", { path: "link-in.txt" }, { workspace: ws })
      expect(Either.getOrThrow(read).text).toBe("inside text")
      const listed = yield* runTool("file_list", { path: "dir-in" }, { workspace: ws })
      expect(Either.getOrThrow(listed).text).toBe("inside.txt")
      const written = yield* runTool("file_write", { path: "dir-in/new.txt", content: "ok" }, { workspace: ws })
      expect(Either.isRight(written)).toBe(true)
      expect(yield* Effect.promise(() => readFile(path.join(ws, "sub", "new.txt"), "utf8"))).toBe("ok")
    })
  )

  it.scoped("a workspace given through a symlink is resolved first", () =>
    Effect.gen(function* () {
      const { base, ws } = yield* fixture
      yield* Effect.promise(() => symlink(ws, path.join(base, "ws-link")))
      const read = yield* runTool("file_read", { path: "sub/inside.txt" }, { workspace: path.join(base, "ws-link") })
      expect(Either.getOrThrow(read).text).toBe("inside text")
    })
  )
})
