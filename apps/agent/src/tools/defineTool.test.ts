import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import { defineTool, inputShapeOf } from "./defineTool.js"
import { Tools } from "./Tools.js"

const ctx = { workspace: "/nonexistent", limits: Tools.make().limits }

describe("defineTool", () => {
  it("describes an input from its Schema: required and optional fields, arrays, literals, numbers", () => {
    expect(inputShapeOf(Schema.Struct({ path: Schema.String }))).toBe('{"path": string}')
    expect(
      inputShapeOf(
        Schema.Struct({
          query: Schema.String.pipe(Schema.minLength(1)),
          path: Schema.optionalWith(Schema.String, { default: () => "." }),
          depth: Schema.optional(Schema.Int),
          tags: Schema.Array(Schema.String),
          mode: Schema.Literal("fast", "full"),
          nested: Schema.Struct({ on: Schema.Boolean })
        })
      )
    ).toBe(
      '{"query": string, "path"?: string, "depth"?: number, "tags": Array<string>, "mode": "fast" | "full", "nested": {"on": boolean}}'
    )
  })

  it.effect("decodes the input before running, and a rejected input names the expected shape, not the input", () =>
    Effect.gen(function* () {
      const echo = defineTool({
        name: "echo_test",
        risk: "Read",
        summary: "echoes",
        input: Schema.Struct({ text: Schema.String, times: Schema.optionalWith(Schema.Number, { default: () => 1 }) }),
        run: ({ text, times }) => Effect.succeed({ output: { text, times }, text: text.repeat(times) })
      })
      expect(echo.inputShape).toBe('{"text": string, "times"?: number}')
      expect(echo.risk).toBe("Read")
      const ok = yield* echo.run({ text: "ab" }, ctx)
      expect(ok).toEqual({ output: { text: "ab", times: 1 }, text: "ab" })
      const bad = yield* Effect.either(echo.run({ text: 42, secret: "sk-live-123" }, ctx))
      expect(Either.isLeft(bad) && bad.left.reason).toBe(
        'invalid input for echo_test: expected {"text": string, "times"?: number}'
      )
      expect(Either.isLeft(bad) && bad.left.errorType).toBe("Validation")
    })
  )

  it("takes the risk from the domain's registry when none is given", () => {
    const byName = Object.fromEntries(Tools.make().tools.map((t) => [t.name, t.risk]))
    expect(byName).toEqual({
      file_read: "Read",
      file_list: "Read",
      file_search: "Read",
      file_write: "Write",
      http_get: "Read",
      exec: "Destructive"
    })
  })
})
