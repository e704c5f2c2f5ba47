import { EventStore } from "@cratos/store"
import { LOG_LOCK_KEY } from "@cratos/store/postgres"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Context, Effect, Fiber, Layer, Stream } from "effect"
import pg from "pg"
import { postgresAvailable, postgresDatabase } from "../support/postgresCluster.js"
import { messageReceived, newId, toolInvoked } from "../store/helpers.js"

const openFailure = (url: string) =>
  Effect.flip(Effect.scoped(Layer.build(EventStore.layerPostgres({ url, connectTimeoutMs: 3000 }))))

/** A store on a fresh database with one execution `a`, and an admin connection beside it (closed with the scope). */
const storeWithAdmin = (name: string) =>
  Effect.gen(function* () {
    const url = yield* Effect.promise(() => postgresDatabase(name))
    const store = Context.get(yield* Layer.build(EventStore.layerPostgres({ url })), EventStore)
    const a = newId()
    yield* store.startExecution(a, messageReceived())
    const admin = new pg.Client({ connectionString: url })
    yield* Effect.promise(() => admin.connect())
    yield* Effect.addFinalizer(() => Effect.promise(() => admin.end()))
    return { store, admin, a }
  })

describe.skipIf(!postgresAvailable())("the PostgreSQL store", () => {
  it.effect(
    "fails to open with one line naming the URL without its password: no server, wrong password, no database",
    () =>
      Effect.gen(function* () {
        const url = yield* Effect.promise(() => postgresDatabase("open"))
        const u = new URL(url)
        const secret = decodeURIComponent(u.password)

        const down = yield* openFailure(`postgres://cratos:${secret}@127.0.0.1:1/x`)
        const wrong = yield* openFailure(url.replace(/:[^:@/]+@/, ":not-the-password@"))
        const missing = yield* openFailure(url.replace(/\/[^/]+$/, "/no_such_database"))
        expect(down).toMatchObject({
          _tag: "DatabaseOpenError",
          reason: "no server is listening there (connection refused)"
        })
        expect(wrong._tag).toBe("DatabaseOpenError")
        expect(wrong.message).toMatch(/refused the credentials/)
        expect(missing.message).toMatch(/database does not exist/)
        for (const e of [down, wrong, missing]) {
          expect(e.message).not.toContain(secret)
          expect(e.message).not.toContain("not-the-password")
          expect(e.message).toContain("***@127.0.0.1")
          expect(e.message).not.toContain("\n")
        }
      })
  )

  it.scopedLive(
    "reports a failed statement with the server's SQLSTATE and message, never the query's parameters (drizzle's wrapper unwrapped)",
    () =>
      Effect.gen(function* () {
        const { store, admin, a } = yield* storeWithAdmin("failure")
        // The append path's function is gone: every append now fails on the server (42883).
        yield* Effect.promise(() =>
          admin.query(
            "ALTER FUNCTION cratos_append(text, text, text, integer, text[], text[], text[], text) RENAME TO gone"
          )
        )
        const event = toolInvoked(7, { command: "input-that-must-not-show" })
        const failure = yield* Effect.flip(store.append(a, [event], { idempotencyKey: "key-that-must-not-show" }))
        expect(failure).toMatchObject({ _tag: "StorageError", operation: "EventStore.append", code: "PG_42883" })
        const text = `${failure.message} ${JSON.stringify(failure)}`
        expect(text).toMatch(/cratos_append/)
        expect(text).not.toContain("key-that-must-not-show")
        expect(text).not.toContain("input-that-must-not-show")
        expect(text).not.toMatch(/Failed query|params:/)
      })
  )

  it.scopedLive(
    "retries a serialization failure and a deadlock up to five tries in all, then fails with the SQLSTATE and writes nothing; other failures are not retried",
    () =>
      Effect.gen(function* () {
        const { store, admin, a } = yield* storeWithAdmin("retries")
        const sql = (text: string) => Effect.promise(() => admin.query(text))
        // Every event insert counts its try (a sequence is not rolled back) and fails while the
        // budget lasts with the SQLSTATE in flaky_code.
        yield* sql(`CREATE SEQUENCE tries; CREATE TABLE flaky (budget integer, code text);
          CREATE FUNCTION flaky_insert() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE f flaky%ROWTYPE; BEGIN
            SELECT * INTO f FROM flaky;
            IF nextval('tries') <= f.budget THEN RAISE EXCEPTION 'injected' USING ERRCODE = f.code; END IF;
            RETURN NEW;
          END $$;
          CREATE TRIGGER flaky BEFORE INSERT ON execution_events FOR EACH ROW EXECUTE FUNCTION flaky_insert();`)
        const attempt = (budget: number, code: string, expectedVersion: number) =>
          Effect.gen(function* () {
            yield* sql(
              `DELETE FROM flaky; INSERT INTO flaky VALUES (${budget}, '${code}'); SELECT setval('tries', 1, false)`
            )
            const out = yield* Effect.either(store.append(a, [toolInvoked(expectedVersion)], { expectedVersion }))
            const tries = Number((yield* sql("SELECT last_value FROM tries")).rows[0].last_value)
            return { out, tries }
          })

        // Four failures then a success: one append, version 2.
        const serialization = yield* attempt(4, "40001", 1)
        expect(serialization.tries).toBe(5)
        expect(serialization.out._tag === "Right" && serialization.out.right.version).toBe(2)
        const deadlock = yield* attempt(2, "40P01", 2)
        expect(deadlock.tries).toBe(3)
        expect(deadlock.out._tag === "Right" && deadlock.out.right.version).toBe(3)
        // Five failures: five tries, then the failure, and nothing written.
        const exhausted = yield* attempt(5, "40001", 3)
        expect(exhausted.tries).toBe(5)
        expect(exhausted.out._tag === "Left" && exhausted.out.left).toMatchObject({
          _tag: "StorageError",
          code: "PG_40001"
        })
        // A check violation is not retried.
        const other = yield* attempt(1, "23514", 3)
        expect(other.tries).toBe(1)
        expect(other.out._tag === "Left" && other.out.left).toMatchObject({ _tag: "StorageError", code: "PG_23514" })
        expect(yield* store.streamVersion(a)).toBe(3)
      })
  )

  it.scopedLive(
    "makes ids visible in id order: an append waits while an earlier insert is in flight, and a reader never passes it",
    () =>
      Effect.gen(function* () {
        const url = yield* Effect.promise(() => postgresDatabase("order"))
        const store = Context.get(yield* Layer.build(EventStore.layerPostgres({ url })), EventStore)
        const a = newId()
        const b = newId()
        yield* store.startExecution(a, messageReceived())
        yield* store.startExecution(b, messageReceived())

        // Another writer inserts an event the way the store does and holds its transaction open.
        const held = new pg.Client({ connectionString: url })
        yield* Effect.promise(() => held.connect())
        yield* Effect.addFinalizer(() => Effect.promise(() => held.end()))
        yield* Effect.promise(() => held.query("BEGIN"))
        yield* Effect.promise(() => held.query("SELECT pg_advisory_xact_lock($1)", [LOG_LOCK_KEY]))
        const heldId = Number(
          (yield* Effect.promise(() =>
            held.query(
              `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp)
             SELECT id, user_id, 'ToolInvoked', $2, '2025-11-26T10:10:37.250Z' FROM executions WHERE id = $1 RETURNING id`,
              [a, JSON.stringify(toolInvoked(99))]
            )
          )).rows[0].id
        )

        const appending = yield* Effect.fork(store.append(b, [toolInvoked(1)]))
        yield* Effect.sleep("300 millis")
        // The later append has not gone past the lock; the log ends before the held id.
        expect(yield* Fiber.poll(appending)).toMatchObject({ _tag: "None" })
        const before = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readLog()))
        expect(before.map((e) => (e._tag === "Event" ? e.stored.position : -1))).toEqual([1, 2])

        yield* Effect.promise(() => held.query("COMMIT"))
        const appended = yield* Fiber.join(appending)
        expect(appended.positions[0]).toBeGreaterThan(heldId)
        const after = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readLog({ after: 2 })))
        expect(after.map((e) => (e._tag === "Event" ? e.stored.position : -1))).toEqual([heldId, appended.positions[0]])
      })
  )
})
