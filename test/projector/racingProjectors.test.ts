/**
 * Two projectors on two connections to one file (the worker and a CLI's catch-up), racing over
 * the same batches while a writer appends: the checkpoint guard applies every event once.
 */
import { Projector } from "@cratos/projector"
import { Database, EventStore } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Logger, LogLevel } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { checkpointConsistency, readModelOf, rebuiltReadModelOf } from "./killHelpers.js"
import { writeLargeLog } from "./largeLog.js"

const projectorOn = (file: string, batchSize: number) =>
  Projector.layer({ batchSize }).pipe(Layer.provideMerge(EventStore.layer({ path: file })))

describe("two projectors on one database", () => {
  it("apply every event exactly once, even racing over the same batches", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-race-"))
    const file = path.join(dir, "cratos.db")
    try {
      await Effect.runPromise(
        writeLargeLog({ events: 3_000, seed: 1 }).pipe(Effect.provide(Database.layer({ path: file })))
      )
      const catchUpOn = (batchSize: number, rounds: number) =>
        Effect.gen(function* () {
          const projector = yield* Projector
          for (let i = 0; i < rounds; i++) {
            yield* projector.catchUp
            yield* Effect.yieldNow()
          }
        }).pipe(Effect.provide(projectorOn(file, batchSize)))
      const writer = Effect.gen(function* () {
        for (let i = 0; i < 5; i++) {
          yield* writeLargeLog({ events: 400, seed: 100 + i, active: 8 })
          yield* Effect.yieldNow()
        }
      }).pipe(Effect.provide(Database.layer({ path: file })))
      await Effect.runPromise(
        Effect.all([catchUpOn(7, 30), catchUpOn(13, 30), writer], { concurrency: "unbounded" }).pipe(
          Logger.withMinimumLogLevel(LogLevel.None)
        )
      )
      await Effect.runPromise(catchUpOn(500, 1).pipe(Logger.withMinimumLogLevel(LogLevel.None)))
      expect(checkpointConsistency(file)).toEqual([])
      expect(readModelOf(file)).toEqual(await rebuiltReadModelOf(file))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
