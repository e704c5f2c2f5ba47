import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { withRoutes } from "./routeTable.js"

describe("the README's route list", () => {
  it("is the one generated from the OpenAPI document (run pnpm docs:routes)", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")
    expect(readme).toBe(withRoutes(readme))
    expect(readme).toContain("`POST /api/v1/executions/{id}/events`")
  })
})
