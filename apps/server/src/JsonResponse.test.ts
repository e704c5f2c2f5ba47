import { EventsAppended, ExecutionCreated } from "@cratos/http"
import type { HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { jsonResponse, plainJsonResponse } from "./JsonResponse.js"

const bodyText = (response: HttpServerResponse.HttpServerResponse) => {
  const body = response.body
  if (body._tag !== "Uint8Array") throw new Error(`unexpected body ${body._tag}`)
  return new TextDecoder().decode(body.body)
}

describe("plainJsonResponse", () => {
  it.effect("writes the bytes the schema's encoder writes, for the ingest answers", () =>
    Effect.gen(function* () {
      const created = { execution_id: "5f0e0000-0000-4000-8000-000000000001", version: 1, position: 41 } as const
      const appended = { version: 10, positions: [42, 43, 44, 45, 46, 47, 48, 49, 50] }
      for (const [plain, full] of [
        [yield* plainJsonResponse(ExecutionCreated, created, 201), yield* jsonResponse(ExecutionCreated, created, 201)],
        [yield* plainJsonResponse(EventsAppended, appended), yield* jsonResponse(EventsAppended, appended)]
      ] as const) {
        expect(plain.status).toBe(full.status)
        expect(plain.headers).toEqual(full.headers)
        expect(bodyText(plain)).toBe(bodyText(full))
      }
    })
  )

  it("takes only schemas whose encoded form is their type", () => {
    // @ts-expect-error: a schema that transforms (string on the wire, number in code) is refused
    const refused = () => plainJsonResponse(Schema.NumberFromString, 1)
    expect(typeof refused).toBe("function")
  })
})
