/**
 * The worker SIGKILLed in the middle of its catch-up, several times over, then restarted: the
 * read model it ends with equals a full rebuild, and right after every kill each projection's
 * tables hold exactly the events up to its checkpoint.
 */
import { Database } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import {
  checkpointConsistency,
  killRepeatedly,
  killWhenCheckpointReaches,
  readModelOf,
  rebuiltReadModelOf,
  runWorkerToEnd
} from "./killHelpers.js"
import { prng, writeLargeLog } from "./largeLog.js"

const EVENTS = 50_000

describe("the projector worker killed during catch-up", () => {
  it("ends, after restarts, with the read model of a full rebuild", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-kill-"))
    const file = path.join(dir, "cratos.db")
    try {
      const log = await Effect.runPromise(
        writeLargeLog({ events: EVENTS, seed: 11 }).pipe(Effect.provide(Database.layer({ path: file })))
      )
      const { killedAt, problems, end } = await killRepeatedly(file, {
        kills: 3,
        lastPosition: log.lastPosition,
        random: prng(5)
      })
      expect(killedAt, "every kill landed before the end of the catch-up").toHaveLength(3)
      expect(killedAt.every((k) => k > 0 && k < log.lastPosition)).toBe(true)
      expect(problems).toEqual([])
      expect(end.code, end.stderr).toBe(0)
      const model = readModelOf(file)
      expect(model.checkpoints.every((c) => c.position === log.lastPosition)).toBe(true)
      expect(model.deadLetters).toEqual([])
      expect(model).toEqual(await rebuiltReadModelOf(file))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 180_000)

  it("killed during a --rebuild, resumes the rebuild without it and ends equal to a full rebuild", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-kill-"))
    const file = path.join(dir, "cratos.db")
    try {
      const log = await Effect.runPromise(
        writeLargeLog({ events: 20_000, seed: 3 }).pipe(Effect.provide(Database.layer({ path: file })))
      )
      expect((await runWorkerToEnd(file)).code).toBe(0)
      const before = readModelOf(file)
      // The rebuild first resets every checkpoint to 0; kill once it is back past a third.
      const killed = await killWhenCheckpointReaches(file, Math.floor(log.lastPosition / 3), {
        args: ["--rebuild", "--once", "--batch-size", "200"],
        armBelow: true
      })
      expect(killed.exited.signal, killed.exited.stderr).toBe("SIGKILL")
      expect(killed.seen).toBeLessThan(log.lastPosition)
      expect(readModelOf(file)).not.toEqual(before)
      expect(checkpointConsistency(file)).toEqual([])
      const end = await runWorkerToEnd(file)
      expect(end.code, end.stderr).toBe(0)
      expect(readModelOf(file)).toEqual(before)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 180_000)
})
