import type { EventOf, ExecutionEvent } from "@cratos/domain"
import type { StoredEvent } from "@cratos/store"
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { ALL_EVENT_TYPES, defineProjection, noRows, type Projection } from "./Projection.js"

const tables = {
  sqlite: { load: noRows.sqlite, write: () => {}, reset: () => {} },
  postgres: { load: noRows.postgres, write: async () => {}, reset: async () => {} }
}

describe("Projection<T>", () => {
  it("gives fold only the StoredEvents of the types in canHandle", () => {
    const completed = defineProjection({
      name: "t",
      version: 1,
      canHandle: ["ToolCompleted"],
      fold: (events) => {
        expectTypeOf(events).toEqualTypeOf<ReadonlyArray<StoredEvent<EventOf<"ToolCompleted">>>>()
        return events.map(({ event }) => event.duration_ms)
      },
      ...tables
    })
    expectTypeOf(completed).toEqualTypeOf<Projection<"ToolCompleted", never, Array<number>>>()
    // A projection of some types is a projection: one list holds them all.
    const all: ReadonlyArray<Projection> = [completed]
    expect(all[0]?.canHandle).toEqual(["ToolCompleted"])
  })

  it("gives a projection of every type the whole ExecutionEvent union", () => {
    const any = defineProjection({
      name: "a",
      version: 1,
      canHandle: ALL_EVENT_TYPES,
      fold: () => undefined,
      ...tables
    })
    expectTypeOf<Parameters<typeof any.fold>[0][number]["event"]>().toEqualTypeOf<ExecutionEvent>()
    expect(any.canHandle).toHaveLength(8)
  })
})
