/**
 * Property: however the log was projected (batches of any size, interleaved with appends,
 * corrupt rows in between), the read model equals the one a rebuild from position 0 makes, and
 * every status is the domain's fold of its history.
 */
import {
  deriveStatus,
  type ExecutionEvent,
  MessageReceived,
  ExecutionEvent as ExecutionEventSchema
} from "@cratos/domain"
import { Projector } from "@cratos/projector"
import { Database, EventStore } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Chunk, Effect, FastCheck as fc, Logger, LogLevel, Stream } from "effect"
import { insertRaw, memoryLayer, record, snapshot } from "./harness.js"

type Op =
  | { readonly _tag: "Append"; readonly stream: number; readonly events: ReadonlyArray<ExecutionEvent> }
  | { readonly _tag: "Corrupt"; readonly stream: number }
  | { readonly _tag: "Project" }

const message = Arbitrary.make(MessageReceived)
const event = Arbitrary.make(ExecutionEventSchema)

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      _tag: fc.constant("Append" as const),
      stream: fc.nat(4),
      events: fc.array(event, { minLength: 1, maxLength: 6 })
    })
  },
  { weight: 1, arbitrary: fc.record({ _tag: fc.constant("Corrupt" as const), stream: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.constant({ _tag: "Project" as const }) }
)

const scenario = fc.record({
  firsts: fc.array(message, { minLength: 5, maxLength: 5 }),
  ops: fc.array(op, { maxLength: 25 }),
  batchSize: fc.integer({ min: 1, max: 7 })
})

const run = ({
  firsts,
  ops,
  batchSize
}: fc.RecordValue<{ firsts: Array<MessageReceived>; ops: Array<Op>; batchSize: number }>) =>
  Effect.gen(function* () {
    const { connection: db } = yield* Database
    const projector = yield* Projector
    const started = new Set<number>()
    for (const o of ops) {
      if (o._tag === "Project") {
        yield* projector.catchUp
      } else if (o._tag === "Corrupt") {
        if (started.has(o.stream)) insertRaw(db, `exec-${o.stream}`, "ToolCompleted", `{"type":"ToolCompleted","tool":`)
      } else {
        const events = started.has(o.stream) ? o.events : [firsts[o.stream]!, ...o.events]
        started.add(o.stream)
        yield* record(`exec-${o.stream}`, events)
      }
    }
    yield* projector.catchUp
    const incremental = snapshot(db)

    // Every status is the domain's fold of the execution's decodable events.
    const store = yield* EventStore
    for (const row of incremental.executions) {
      const history = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readLog())).flatMap((e) =>
        e._tag === "Event" && e.stored.executionId === row.id ? [e.stored.event] : []
      )
      const folded = deriveStatus(history)
      expect({ status: row.status, completed_at: row.completed_at }).toEqual(folded)
    }

    yield* projector.rebuild()
    expect(snapshot(db)).toEqual(incremental)
  }).pipe(Effect.provide(memoryLayer({ batchSize })), Logger.withMinimumLogLevel(LogLevel.None))

describe("rebuild equals incremental", () => {
  it("holds for generated histories projected in random batches between appends", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, (s) => Effect.runPromise(run(s))),
      { numRuns: 60 }
    )
  }, 120_000)
})
