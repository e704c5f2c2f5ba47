import { Events, normalizeMessage, Timestamp, type Uuid } from "@cratos/domain"
import { Database, EventStore } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { ExecutionWorkspaces } from "./ExecutionWorkspaces.js"

const ID = "55555555-5555-4555-8555-555555555555"
const layer = ExecutionWorkspaces.layer.pipe(
  Layer.provideMerge(EventStore.layerFromDatabase()),
  Layer.provideMerge(Database.layerMemory)
)

const start = Effect.gen(function* () {
  yield* (yield* EventStore).startExecution(
    ID,
    Events.messageReceived(
      normalizeMessage({
        id: ID as Uuid.Uuid,
        channel_type: "cli",
        channel_id: "tty",
        user_id: "u",
        message_id: "m",
        text: "read notes.txt",
        timestamp: Timestamp.fromEpochNanos(1_700_000_000_000_000_000n)
      })
    )
  )
})

describe("ExecutionWorkspaces", () => {
  it.effect("records an execution's workspace, replaces it, and has none for another", () =>
    Effect.gen(function* () {
      yield* start
      const workspaces = yield* ExecutionWorkspaces
      expect(yield* workspaces.get(ID)).toEqual(Option.none())
      yield* workspaces.record(ID, "/home/a/notes")
      expect(yield* workspaces.get(ID)).toEqual(Option.some("/home/a/notes"))
      yield* workspaces.record(ID, "/home/a/other")
      expect(yield* workspaces.get(ID)).toEqual(Option.some("/home/a/other"))
    }).pipe(Effect.provide(layer))
  )

  it.effect("refuses a workspace for an execution that does not exist (a foreign key)", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip((yield* ExecutionWorkspaces).record("no-such-execution", "/x"))
      expect(error._tag).toBe("StorageError")
      expect(error.code).toMatch(/^SQLITE_CONSTRAINT/)
    }).pipe(Effect.provide(layer))
  )
})
