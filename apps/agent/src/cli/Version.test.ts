import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import { VERSION } from "./Version.js"

describe("VERSION", () => {
  it("is the version apps/agent/package.json declares", () => {
    const pkg = JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string
    }
    expect(VERSION).toBe(pkg.version)
  })
})
