import type { EventOf, ExecutionEvent } from "@cratos/domain"
import type { StoredEvent } from "@cratos/store"
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { ALL_EVENT_TYPES, defineProjection, type Projection } from "./Projection.js"

describe("Projection<T>", () => {
  it("gives handlers only the StoredEvents of the types in canHandle", () => {
    const seen: Array<number> = []
    const completed = defineProjection({
      name: "t",
      version: 1,
      canHandle: ["ToolCompleted"],
      handle: (events) => {
        expectTypeOf(events).toEqualTypeOf<ReadonlyArray<StoredEvent<EventOf<"ToolCompleted">>>>()
        for (const { event } of events) seen.push(event.duration_ms)
      },
      reset: () => {}
    })
    expectTypeOf(completed).toEqualTypeOf<Projection<"ToolCompleted">>()
    // A projection of some types is a projection: one list holds them all.
    const all: ReadonlyArray<Projection> = [completed]
    expect(all[0]?.canHandle).toEqual(["ToolCompleted"])
  })

  it("gives a projection of every type the whole ExecutionEvent union", () => {
    const any = defineProjection({
      name: "a",
      version: 1,
      canHandle: ALL_EVENT_TYPES,
      handle: () => {},
      reset: () => {}
    })
    expectTypeOf<Parameters<typeof any.handle>[0][number]["event"]>().toEqualTypeOf<ExecutionEvent>()
    expect(any.canHandle).toHaveLength(8)
  })
})
