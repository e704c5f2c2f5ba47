import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { createFolders } from "./DatabaseFolder.js"

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "cratos-folder-"))

describe("createFolders", () => {
  it("creates every missing level with the mode whatever the umask, outermost first", () => {
    const root = tempDir()
    const dir = path.join(root, "a", "b", "c")
    const previous = process.umask(0o022)
    try {
      expect(createFolders(dir, 0o700)).toEqual([path.join(root, "a"), path.join(root, "a", "b"), dir])
    } finally {
      process.umask(previous)
    }
    for (const d of ["a", "a/b", "a/b/c"]) expect(fs.statSync(path.join(root, d)).mode & 0o777).toBe(0o700)
    expect(fs.statSync(root).mode & 0o777).toBe(0o700) // mkdtemp's; untouched
  })

  it("leaves an existing folder as it is", () => {
    const root = tempDir()
    fs.chmodSync(root, 0o755)
    expect(createFolders(root, 0o700)).toEqual([])
    expect(fs.statSync(root).mode & 0o777).toBe(0o755)
  })

  it("fails at once where no folder can be made, naming the level", () => {
    const file = path.join(tempDir(), "file")
    fs.writeFileSync(file, "")
    expect(() => createFolders(path.join(file, "x", "y"), 0o700)).toThrow(/ENOTDIR.*file\/x/)
  })

  it("fails at once under /proc, where a recursive mkdir loops", (ctx) => {
    ctx.skip(process.platform !== "linux", "needs Linux's /proc")
    expect(() => createFolders("/proc/nope/deeper", 0o700)).toThrow(/ENOENT.*'\/proc\/nope'/)
  })
})
