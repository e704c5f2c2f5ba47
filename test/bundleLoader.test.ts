/**
 * The bins' code-cache loader (scripts/bundleLoader.cjs) runs the code that is on disk: a cache
 * saved for one build is never used for another, even when the rebuilt file has the same length
 * (V8's own check compares lengths only; a rebuilt entry.cjs naming other chunks keeps its length).
 */
import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const LOADER = path.resolve(import.meta.dirname, "../scripts/bundleLoader.cjs")

const run = (dir: string) => execFileSync(process.execPath, [path.join(dir, "main.cjs")], { encoding: "utf8" })

describe("the bins' code-cache loader", () => {
  it("runs a rebuilt chunk of the same length, not the cache of the previous build", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-loader-"))
    try {
      fs.copyFileSync(LOADER, path.join(dir, "main.cjs"))
      const entry = (chunk: string) => `"use strict";console.log(require("./chunk-${chunk}.cjs").name)\n`
      for (const chunk of ["AAAAAAAA", "BBBBBBBB"]) {
        fs.writeFileSync(path.join(dir, `chunk-${chunk}.cjs`), `module.exports = { name: "${chunk}" }\n`)
      }
      fs.writeFileSync(path.join(dir, "entry.cjs"), entry("AAAAAAAA"))
      expect(run(dir).trim()).toBe("AAAAAAAA")
      expect(fs.existsSync(path.join(dir, "entry.cjs.v8"))).toBe(true)
      expect(run(dir).trim()).toBe("AAAAAAAA")
      fs.writeFileSync(path.join(dir, "entry.cjs"), entry("BBBBBBBB"))
      expect(run(dir).trim()).toBe("BBBBBBBB")
      expect(run(dir).trim()).toBe("BBBBBBBB")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
