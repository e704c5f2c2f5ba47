/**
 * The server's ingest shares transactions between concurrent requests (GroupedSealingStore: the
 * sealing store over the store's GroupCommit). Each request must still get the answer it would
 * have had alone: a request that fails inside the shared transaction (a trigger refusing one of
 * its rows, here), a stale expected version, a refusal of the decider, an unknown execution or an
 * existing id fails alone, writes nothing, and its neighbours in the same burst commit and are
 * answered as usual. A real server on 127.0.0.1:0, real HTTP, bursts of concurrent requests.
 */
import { Database } from "@cratos/store"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { append, create, json, message, recoverable, startTestServer, type TestServer } from "./support.js"

let s: TestServer
let admin: string

/** Rows whose own timestamp is in 2031 are refused by the database itself (the server cannot tell in advance). */
const POISON = "2031-01-01T00:00:00.000Z"

beforeAll(async () => {
  s = await startTestServer()
  admin = await s.token("read,ingest")
  await Effect.runPromise(
    Effect.gen(function* () {
      const { connection } = yield* Database
      connection.exec(`CREATE TRIGGER refuse_2031 BEFORE INSERT ON execution_events
        WHEN NEW.timestamp LIKE '2031-%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`)
    }).pipe(Effect.scoped, Effect.provide(Database.layer({ path: s.db })))
  )
})
afterAll(() => s.close())

const eventsOf = async (id: string) => {
  const r = await fetch(`${s.url}/api/v1/executions/${id}`, json(admin))
  return r.status === 404 ? undefined : ((await r.json()) as { events: unknown[] }).events.length
}

const poisoned = (text: string) => ({ ...recoverable(text), timestamp: POISON })

describe("concurrent ingest sharing transactions", () => {
  it("fails a request alone when its insert fails inside a shared transaction; the others commit", async () => {
    const before = await s.groupStats()
    for (let round = 0; round < 4; round++) {
      const good = await Promise.all(Array.from({ length: 10 }, () => create(s, admin)))
      const [half, stale, refused] = await Promise.all([create(s, admin), create(s, admin), create(s, admin)])
      const newId = crypto.randomUUID()
      const poisonedStart = crypto.randomUUID()
      const answers = await Promise.all([
        ...good.map((id) => append(s, admin, id, [recoverable("a"), recoverable("b")])),
        // its first event is written inside the transaction, its second is refused: nothing of it may stay
        append(s, admin, half, [recoverable("a"), poisoned("b")]),
        append(s, admin, stale, [recoverable("a")], { expected_version: 0 }),
        append(s, admin, refused, [message("user-1")]),
        append(s, admin, crypto.randomUUID(), [recoverable("a")]),
        fetch(
          `${s.url}/api/v1/executions`,
          json(admin, { execution_id: newId, user_id: "user-1", event: message("user-1") })
        ),
        fetch(
          `${s.url}/api/v1/executions`,
          json(admin, {
            execution_id: poisonedStart,
            user_id: "user-1",
            event: { ...message("user-1"), timestamp: POISON }
          })
        ),
        fetch(
          `${s.url}/api/v1/executions`,
          json(admin, { execution_id: good[0], user_id: "user-1", event: message("user-1") })
        )
      ])
      const statuses = answers.map((r) => r.status)
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200))
      expect(statuses.slice(10)).toEqual([500, 409, 422, 404, 201, 500, 409])
      for (const r of answers.slice(0, 10)) expect(((await r.json()) as { version: number }).version).toBe(3)
      for (const id of good) expect(await eventsOf(id)).toBe(3)
      expect(await eventsOf(half)).toBe(1)
      expect(await eventsOf(stale)).toBe(1)
      expect(await eventsOf(refused)).toBe(1)
      expect(await eventsOf(newId)).toBe(1)
      expect(await eventsOf(poisonedStart)).toBeUndefined()
      // the failed requests left the streams usable
      expect((await append(s, admin, half, [recoverable("again")], { expected_version: 1 })).status).toBe(200)
      const retried = await fetch(
        `${s.url}/api/v1/executions`,
        json(admin, { execution_id: poisonedStart, user_id: "user-1", event: message("user-1") })
      )
      expect(retried.status).toBe(201)
    }
    // the bursts did share transactions (else this test would not be about them)
    const after = await s.groupStats()
    expect(after.requests - before.requests).toBeGreaterThan(after.groups - before.groups)
  }, 60_000)
})
