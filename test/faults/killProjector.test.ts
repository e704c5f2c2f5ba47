/**
 * Kill -9 of the projector mid-batch (issue #7): the worker (apps/projector/bin/cratos-projector.mjs
 * --once) is SIGKILLed in the middle of its catch-up, at least 20 times, with more events
 * appended between rounds so there is always work in flight. After every kill each projection's
 * tables hold exactly the events up to its checkpoint; after every fifth kill and at the end a
 * restart runs to the head and the read model equals a full rebuild from position 0.
 * Reuses the projector engineer's helpers (test/projector/killHelpers.ts, largeLog.ts).
 */
import { Database } from "@cratos/store"
import { Effect } from "effect"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import {
  checkpointConsistency,
  killWhenCheckpointReaches,
  readModelOf,
  rebuiltReadModelOf,
  runWorkerToEnd
} from "../projector/killHelpers.js"
import { writeLargeLog } from "../projector/largeLog.js"
import { prng, tempDir } from "./children.js"

const KILLS = 22
const INITIAL_EVENTS = 6_000
const EVENTS_PER_ROUND = 1_000

const appendEvents = (file: string, events: number, seed: number) =>
  Effect.runPromise(writeLargeLog({ events, seed }).pipe(Effect.provide(Database.layer({ path: file }))))

const lastPositionOf = (file: string) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const { connection } = yield* Database
      return connection.prepare("SELECT coalesce(max(id), 0) FROM execution_events").pluck().get() as number
    }).pipe(Effect.scoped, Effect.provide(Database.layer({ path: file })))
  )

describe("kill -9 of the projector mid-batch", () => {
  it(`after ${KILLS} SIGKILLs the read model equals a full rebuild`, async () => {
    const file = path.join(tempDir(), "cratos.db")
    await appendEvents(file, INITIAL_EVENTS, 101)
    const random = prng(7)
    let kills = 0
    let finishedFirst = 0
    let comparisons = 0
    let last = 0
    for (let round = 0; kills < KILLS && round < KILLS * 3; round++) {
      await appendEvents(file, EVENTS_PER_ROUND, 1000 + round)
      const head = await lastPositionOf(file)
      // A threshold inside what is left, so the kill lands in the middle of a batch.
      const threshold = last + Math.max(1, Math.floor((head - last) * (0.05 + 0.35 * random())))
      const batchSize = [50, 200, 500][round % 3]!
      const result = await killWhenCheckpointReaches(file, threshold, {
        args: ["--once", "--batch-size", String(batchSize)]
      })
      if (result.finishedFirst) {
        expect(result.exited.code, result.exited.stderr).toBe(0)
        finishedFirst++
      } else kills++
      // Right after the kill: every projection holds exactly the events up to its checkpoint.
      expect(checkpointConsistency(file), `after kill ${kills} (round ${round})`).toEqual([])
      last = result.seen
      if (!result.finishedFirst && kills % 5 === 0) {
        const end = await runWorkerToEnd(file)
        expect(end.code, end.stderr).toBe(0)
        const model = readModelOf(file)
        expect(model.checkpoints.every((c) => c.position === head)).toBe(true)
        expect(model).toEqual(await rebuiltReadModelOf(file))
        comparisons++
        last = head
      }
    }
    const end = await runWorkerToEnd(file)
    expect(end.code, end.stderr).toBe(0)
    const head = await lastPositionOf(file)
    const model = readModelOf(file)
    expect(model.checkpoints.every((c) => c.position === head)).toBe(true)
    expect(model.deadLetters).toEqual([])
    expect(model).toEqual(await rebuiltReadModelOf(file))
    comparisons++
    console.log(
      `kill -9 of the projector: ${kills} kills mid-catch-up survived (${finishedFirst} runs finished before their kill point), ` +
        `checkpoint consistency held after every kill, read model equal to a full rebuild ${comparisons}/${comparisons} times; ` +
        `log ${head} events`
    )
    expect(kills).toBeGreaterThanOrEqual(KILLS)
  }, 300_000)
})
