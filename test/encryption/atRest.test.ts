/**
 * Encryption at rest against a real SQLite file (issue 14): events appended through
 * SealingEventStore leave no planted secret in the database file, its WAL or its SHM, read back
 * exactly with the key, read as `[encrypted]` (structure and masked copies intact) without it,
 * and stop opening for a forgotten user while other users' content still does.
 */
import { Events, maskSecrets, normalizeMessage } from "@cratos/domain"
import { ReadModel } from "@cratos/projector"
import { at } from "@cratos/domain/testing"
import {
  ContentKeys,
  ContentReader,
  Database,
  RECHECK_MS,
  EventStore,
  keyFingerprint,
  type MasterKey,
  makeContentKeys,
  newKey,
  SealingEventStore
} from "@cratos/store"
import { Context, Effect, Either, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"

const SECRETS = [
  "sk-proj-Q2x9Lr7VbN4mT8kP1wZ6yH3jD5fC0aS",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ3vK8pLm2",
  "ghp_R8kP2mX7nQ4vL9tB3wY6zH1jD5fC0aS2eU",
  "hunter2horse-Db-9"
]

const master = (): MasterKey => {
  const key = newKey()
  return { key, id: keyFingerprint(key), source: "test", created: false }
}

const exec = (n: number) => `0b7e0000-0000-4000-8000-00000000000${n}`

const record = (executionId: string, user: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const message = normalizeMessage({
      id: `5f0e0000-0000-4000-8000-00000000000${executionId.slice(-1)}` as never,
      channel_type: "cli",
      channel_id: "tty",
      user_id: user,
      message_id: "m",
      text: `read .env (my password is ${SECRETS[3]})`,
      timestamp: at(0)
    })
    yield* store.startExecution(executionId, Events.messageReceived(message) as never)
    const env = `OPENAI_API_KEY=${SECRETS[0]}\nAWS_SECRET_ACCESS_KEY=${SECRETS[1]}\nGITHUB_TOKEN=${SECRETS[2]}\nDATABASE_URL=postgres://app:${SECRETS[3]}@db/app`
    yield* store.append(
      executionId,
      [
        Events.toolInvoked({ tool: "file_read", input: { path: ".env" }, timestamp: at(1) }, maskSecrets),
        Events.toolCompleted(
          { tool: "file_read", output: { success: true, output: env, error: null }, duration_ms: 3, timestamp: at(2) },
          maskSecrets
        ),
        Events.responseSent({ text: env, channel: "cli", timestamp: at(3) })
      ],
      { expectedVersion: 1 }
    )
    return env
  })

const layerFor = (file: string, keys: Either.Either<MasterKey, never>) => {
  const db = Database.layer({ path: file })
  const contentKeys = Layer.effect(ContentKeys, makeContentKeys(keys)).pipe(Layer.provide(db))
  return SealingEventStore.layer().pipe(Layer.provideMerge(contentKeys), Layer.provideMerge(db))
}

const leaks = (file: string): Array<string> => {
  const found: Array<string> = []
  for (const suffix of ["", "-wal", "-shm"]) {
    if (!fs.existsSync(file + suffix)) continue
    const bytes = fs.readFileSync(file + suffix)
    for (const s of SECRETS)
      if (bytes.includes(Buffer.from(s))) found.push(`${s.slice(0, 6)}… in ${path.basename(file + suffix)}`)
  }
  return found
}

describe("encryption at rest on a SQLite file", () => {
  it("leaves no secret in the file, WAL or SHM, and reads back exactly with the key", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-at-rest-"))
    const file = path.join(dir, "cratos.db")
    const m = master()
    const env = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const env = yield* record(exec(1), "alice")
          yield* record(exec(2), "bob")
          // While the connection is open, the WAL holds the latest pages.
          expect(leaks(file)).toEqual([])
          return env
        }).pipe(Effect.provide(layerFor(file, Either.right(m))))
      )
    )
    expect(leaks(file)).toEqual([])

    const read = (keys: Either.Either<MasterKey, never>, id: string) =>
      Effect.runPromise(
        Effect.scoped(Effect.flatMap(EventStore, (s) => s.getEvents(id)).pipe(Effect.provide(layerFor(file, keys))))
      )

    const events = await read(Either.right(m), exec(1))
    const response = events.find((e) => e.type === "ResponseSent")
    expect(response?.type === "ResponseSent" && response.text).toBe(env)

    // Another master key (or none): the structure and the masked copies, never the content.
    const without = await read(Either.right(master()), exec(1))
    expect(without.map((e) => e.type)).toEqual(events.map((e) => e.type))
    const completed = without.find((e) => e.type === "ToolCompleted")
    expect(completed?.type === "ToolCompleted" && completed.output.output).toBe("[encrypted]")
    expect(completed?.type === "ToolCompleted" && JSON.stringify(completed.output_masked)).not.toContain(SECRETS[0])

    // Forget alice: her content no longer opens; bob's still does.
    await Effect.runPromise(
      Effect.scoped(
        Effect.flatMap(ContentKeys, (k) => k.forget("alice", "2026-12-01T17:00:00Z")).pipe(
          Effect.provide(layerFor(file, Either.right(m)))
        )
      )
    )
    const alice = await read(Either.right(m), exec(1))
    const aliceResponse = alice.find((e) => e.type === "ResponseSent")
    expect(aliceResponse?.type === "ResponseSent" && aliceResponse.text).toBe("[encrypted]")
    const bob = await read(Either.right(m), exec(2))
    const bobResponse = bob.find((e) => e.type === "ResponseSent")
    expect(bobResponse?.type === "ResponseSent" && bobResponse.text).toBe(env)
    expect(leaks(file)).toEqual([])
  })
})

describe("the keys a process holds, after a forget", () => {
  const envelopeKey = (text: string) => text.split(":")[3]

  it("seals and opens nothing more with a forgotten user's key, in the forgetting process and in another one", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-forget-cache-"))
    const file = path.join(dir, "cratos.db")
    const m = Either.right(master())
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          // a long-running process (the server) holding alice's and bob's keys
          const serverCtx = yield* Layer.build(layerFor(file, m))
          const server = Context.get(serverCtx, EventStore)
          const serverKeys = Context.get(serverCtx, ContentKeys)
          yield* Effect.provide(record(exec(1), "alice"), serverCtx)
          yield* Effect.provide(record(exec(2), "bob"), serverCtx)
          const aliceKey = serverKeys.cached("alice")
          const bobKey = serverKeys.cached("bob")
          expect(aliceKey).toBeDefined()

          // `cratos forget --user alice` in another process (another connection to the file)
          const cliCtx = yield* Layer.build(layerFor(file, m))
          expect((yield* Context.get(cliCtx, ContentKeys).forget("alice", "t1"))?.keyId).toBe(aliceKey!.keyId)
          // another process sees it within RECHECK_MS
          yield* Effect.sleep(RECHECK_MS + 20)

          // the server's next lookups see the forget: alice's old content no longer opens there
          expect(serverKeys.cached("alice")).toBeUndefined()
          expect(serverKeys.cachedById(aliceKey!.keyId)).toBeUndefined()
          const read = yield* server.getEvents(exec(1))
          const response = read.find((e) => e.type === "ResponseSent")
          expect(response?.type === "ResponseSent" && response.text).toBe("[encrypted]")
          // bob is untouched, still from the cache
          expect(serverKeys.cached("bob")).toBe(bobKey)
          const bobRead = (yield* server.getEvents(exec(2))).find((e) => e.type === "ResponseSent")
          expect(bobRead?.type === "ResponseSent" && bobRead.text).toContain(SECRETS[0])

          // alice's next event is sealed under a new key, never the forgotten one
          yield* server.append(exec(1), [Events.responseSent({ text: "after", channel: "cli", timestamp: at(9) })], {
            expectedVersion: 4
          })
          const stored = yield* Context.get(serverCtx, ContentReader).asStored.getEvents(exec(1))
          const last = stored.at(-1)!
          expect(last.type === "ResponseSent" && envelopeKey(last.text)).not.toBe(aliceKey!.keyId)
          const reread = (yield* server.getEvents(exec(1))).at(-1)!
          expect(reread.type === "ResponseSent" && reread.text).toBe("after")

          // and in the forgetting process itself
          const cli = Context.get(cliCtx, EventStore)
          const cliKeys = Context.get(cliCtx, ContentKeys)
          yield* Effect.provide(record(exec(3), "carol"), cliCtx)
          const carolKey = cliKeys.cached("carol")!
          yield* cliKeys.forget("carol", "t2")
          expect(cliKeys.cached("carol")).toBeUndefined()
          yield* cli.append(exec(3), [Events.responseSent({ text: "later", channel: "cli", timestamp: at(9) })], {
            expectedVersion: 4
          })
          const carol = (yield* Context.get(cliCtx, ContentReader).asStored.getEvents(exec(3))).at(-1)!
          expect(carol.type === "ResponseSent" && envelopeKey(carol.text)).not.toBe(carolKey.keyId)
        })
      )
    )
  })
})

describe("list --search over masked text only", () => {
  it.each(["on", "off"] as const)(
    "does not confirm a secret held in the clear by a row from before encryption (new writes with encryption %s)",
    async (mode) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-search-"))
      const file = path.join(dir, "cratos.db")
      const found = await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            // an older file: the plain store kept the message text, secret and all, in input_text
            yield* Effect.provide(record(exec(1), "alice"), EventStore.layer({ path: file }))
            const stored = yield* Effect.provide(
              Effect.map(Database, ({ connection }) =>
                connection.prepare("SELECT input_text FROM executions").pluck().get()
              ),
              Database.layer({ path: file })
            )
            expect(stored).toContain(SECRETS[3])
            // and a newer write, encrypted or not
            const layer = layerFor(file, Either.right(master()))
            yield* Effect.provide(record(exec(2), "bob"), mode === "on" ? layer : EventStore.layer({ path: file }))
            const list = (search: string) =>
              Effect.provide(
                Effect.flatMap(ReadModel, (rm) => rm.list({ search })),
                ReadModel.layer.pipe(Layer.provide(Database.layer({ path: file })))
              )
            return {
              secret: yield* list(SECRETS[3]!),
              part: yield* list(SECRETS[3]!.slice(0, 12)),
              words: yield* list("read .env")
            }
          })
        )
      )
      expect(found.secret).toEqual([])
      expect(found.part).toEqual([])
      expect(found.words.map((r) => r.id).sort()).toEqual([exec(1), exec(2)])
    }
  )
})
