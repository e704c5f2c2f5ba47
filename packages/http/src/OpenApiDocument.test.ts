import { Validator } from "@seriousme/openapi-schema-validator"
import { describe, expect, it } from "vitest"
import { openApiDocument } from "./OpenApiDocument.js"

describe("openApiDocument", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const doc = openApiDocument()
    const result = await new Validator().validate(doc as never)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(doc.openapi).toBe("3.1.0")
  })

  it("lists every route of the contract with its problems", () => {
    const doc = openApiDocument()
    const paths = doc.paths as Record<
      string,
      Record<string, { responses: Record<string, unknown>; security?: unknown }>
    >
    expect(Object.keys(paths).sort()).toEqual(
      [
        "/api/v1/approvals",
        "/api/v1/events",
        "/api/v1/executions",
        "/api/v1/executions/{id}",
        "/api/v1/executions/{id}/approval",
        "/api/v1/executions/{id}/events",
        "/api/v1/executions/{id}/history",
        "/api/v1/executions/{id}/reruns",
        "/api/v1/log",
        "/api/v1/openapi.json",
        "/api/v1/stats",
        "/api/v1/stats/series",
        "/healthz",
        "/metrics"
      ].sort()
    )
    const append = paths["/api/v1/executions/{id}/events"]?.["post"]
    expect(Object.keys(append?.responses ?? {}).sort()).toEqual(
      ["200", "400", "401", "403", "404", "409", "413", "422", "429", "500", "503"].sort()
    )
    expect(append?.security).toEqual([{ bearer: [] }, { session: [] }])
    expect(paths["/healthz"]?.["get"]?.security ?? []).toEqual([])
    const history = paths["/api/v1/executions/{id}/history"]?.["get"]
    expect(Object.keys(history?.responses ?? {}).sort()).toEqual(
      ["200", "400", "401", "403", "404", "429", "500", "503"].sort()
    )
    const created = paths["/api/v1/executions"]?.["post"]?.responses["201"]
    expect(created).toBeDefined()
  })
})
