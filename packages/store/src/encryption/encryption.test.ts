import { describe, expect, it } from "@effect/vitest"
import {
  associatedData,
  copiedMaskedOf,
  decodeEventJson,
  encodeEventJson,
  type ExecutionEvent,
  Events,
  ExecutionEvent as ExecutionEventSchema,
  isEnvelope,
  mapRawContent,
  maskRawContent,
  maskRawValue,
  maskSecrets,
  parseEnvelope,
  rawValues
} from "@cratos/domain"
import { at, sample, sampleMessage } from "@cratos/domain/testing"
import { Arbitrary, Effect, Either, FastCheck as fc, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Database } from "../Database.js"
import { keyFingerprint, newKey, sealBytes } from "./ContentCipher.js"
import { ContentKeys, type ContentKeysShape, type DataKey, makeContentKeys } from "./ContentKeys.js"
import { EventStore } from "../EventStore.js"
import { ContentReader, sealingEventStore } from "./SealingEventStore.js"
import { ENCRYPTED_PLACEHOLDER, openEvent, sealEvent } from "./EventSealing.js"
import { type MasterKey, resolveMasterKey } from "./MasterKey.js"
import { encryptionEnabled, rotateMasterKey } from "./rotateMasterKey.js"

const fixtures: ReadonlyArray<{ name: string; text: string }> = fs
  .readFileSync(path.join(__dirname, "../../../../test/fixtures/serde/cases.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as { name: string; text: string })

const decode = (text: string): ExecutionEvent => Either.getOrThrow(decodeEventJson(text))
const encode = (event: ExecutionEvent): string => Either.getOrThrow(encodeEventJson(event))

const dataKey = (userId = "user-1"): DataKey => ({ userId, keyId: `k${userId}`, key: newKey() })
const master = (): MasterKey => {
  const key = newKey()
  return { key, id: keyFingerprint(key), source: "test", created: false }
}

const EXEC = "0b7e0000-0000-4000-8000-000000000001"

describe("sealing events", () => {
  it("seals every raw field masking changes in every serde fixture, still decodes as a serde event, and opens back exactly", () => {
    const key = dataKey()
    let sealedFields = 0
    for (const { name, text } of fixtures) {
      const event = decode(text)
      const sealed = sealEvent(key, EXEC, event)
      const stored = encode(sealed)
      const reread = decode(stored)
      // one v3 ciphertext per event, in its first sealed field; each sealed field its masked copy,
      // none for the tool input and output (input_masked and output_masked are theirs); a field
      // whose masked copy equals it stays as it is
      const copied = new Map<string, boolean>()
      const changed = new Set<string>()
      mapRawContent(event, (value, path, isCopied) => {
        copied.set(path, isCopied)
        const masked = isCopied ? (copiedMaskedOf(event, path) ?? null) : maskRawValue(value)
        if (JSON.stringify(masked) !== JSON.stringify(value)) changed.add(path)
        return value
      })
      const stays = new Map(rawValues(event))
      const envelopes = rawValues(reread).flatMap(([path, value]) => {
        if (!changed.has(path)) {
          expect(value, `${name} ${path}`).toEqual(stays.get(path))
          return []
        }
        const envelope = parseEnvelope(value as string)
        expect(envelope?.version, `${name} ${path}`).toBe(3)
        if (envelope?.version !== 3) return []
        expect(envelope.masked === "", `${name} ${path}`).toBe(copied.get(path))
        return [[path, envelope] as const]
      })
      sealedFields += envelopes.length
      expect(envelopes.filter(([, e]) => e.sealed !== "=").map(([p]) => p)).toEqual(
        envelopes.slice(0, 1).map(([p]) => p)
      )
      // Outside the masked copies (which are meant to be readable), no raw value that masking
      // changes is left.
      const { input_masked: _i, output_masked: _o, ...rest } = JSON.parse(stored) as Record<string, unknown>
      for (const [path, value] of rawValues(event)) {
        const plain = typeof value === "string" ? value : JSON.stringify(value)
        if (plain.length >= 6 && changed.has(path)) expect(JSON.stringify(rest), `${name} ${path}`).not.toContain(plain)
      }
      const opened = openEvent((id) => (id === key.keyId ? key : undefined), EXEC, reread)
      expect(opened.unreadable, name).toEqual([])
      expect(encode(opened.event), name).toBe(encode(event))
    }
    // the fixtures hold secrets: something was sealed
    expect(sealedFields).toBeGreaterThan(0)
  })

  it("opens what it sealed for any JSON tool input, plan and response text (property)", () => {
    const key = dataKey()
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), fc.string(), fc.jsonValue(), (input, text, goal, stepInput) => {
        const events = [
          Events.toolInvoked({ tool: "shell", input, timestamp: at(1) }),
          Events.responseSent({ text, channel: "cli", timestamp: at(2) }),
          Events.planGenerated({
            plan: {
              goal,
              steps: [{ description: text, tool: "shell", input: stepInput, depends_on: [] }],
              estimated_risk: "Read",
              requires_approval: false
            },
            model_used: "m",
            tokens_used: 1,
            timestamp: at(3)
          })
        ]
        for (const event of events) {
          const sealed = decode(encode(sealEvent(key, EXEC, event)))
          const opened = openEvent(() => key, EXEC, sealed)
          expect(opened.unreadable).toEqual([])
          expect(encode(opened.event)).toBe(encode(event))
        }
      })
    )
  })

  it("gives each value its own nonce; deterministic sealing (idempotent retries) the same envelope for the same value", () => {
    const key = dataKey()
    const nonceOf = (e: ExecutionEvent, deterministic: boolean) => {
      const text = (sealEvent(key, EXEC, e, deterministic) as { text: string }).text
      return Buffer.from(parseEnvelope(text)!.sealed, "base64url").subarray(0, 12).toString("hex")
    }
    const event = Events.responseSent({ text: "token=sk-same-secret-1234", channel: "cli", timestamp: at(1) })
    expect(encode(sealEvent(key, EXEC, event))).not.toBe(encode(sealEvent(key, EXEC, event)))
    expect(encode(sealEvent(key, EXEC, event, true))).toBe(encode(sealEvent(key, EXEC, event, true)))
    const nonces = [
      nonceOf(event, false),
      nonceOf(event, false),
      nonceOf(event, true),
      nonceOf({ ...event, text: "token=sk-other-secret-5678" }, true),
      nonceOf({ ...event, timestamp: at(2) }, true)
    ]
    expect(new Set(nonces).size).toBe(nonces.length)
    const opened = openEvent(() => key, EXEC, sealEvent(key, EXEC, event, true))
    expect(opened.unreadable).toEqual([])
    expect(opened.event).toEqual(event)
  })

  it("does not open an event's envelopes moved to another execution, or with a flipped byte, and names its fields", () => {
    const key = dataKey()
    const event = Events.toolCompleted(
      {
        tool: "shell",
        output: { success: false, output: { api_key: "sk-secret-output" }, error: "password=hunter2horse" },
        duration_ms: 1,
        timestamp: at(3)
      },
      maskSecrets
    )
    const sealed = sealEvent(key, EXEC, event)
    const moved = openEvent(() => key, "another-execution", sealed)
    expect(moved.unreadable).toEqual([
      { path: "output.output", reason: "corrupted" },
      { path: "output.error", reason: "corrupted" }
    ])
    if (sealed.type !== "ToolCompleted") throw new Error("unreachable")
    // one ciphertext per event: a flipped byte in it, a second ciphertext, a field dropped from
    // the event, a field of another key, or a changed masked copy in the event (what a v3 patch
    // applies to) make every sealed field of the event unreadable
    const carrier = sealed.output.output as string
    const flipped = `${carrier.slice(0, 40)}${carrier.slice(40, 41) === "A" ? "B" : "A"}${carrier.slice(41)}`
    const variants: Array<ExecutionEvent> = [
      { ...sealed, output: { ...sealed.output, output: flipped } },
      { ...sealed, output: { ...sealed.output, error: carrier } },
      { ...sealed, output: { ...sealed.output, error: null } },
      { ...sealed, output: { ...sealed.output, error: sealed.output.error!.replace(`:${key.keyId}:`, ":kother:") } },
      { ...sealed, output_masked: { ...sealed.output_masked, error: "password=changed" } }
    ]
    for (const variant of variants) {
      const opened = openEvent(() => key, EXEC, variant)
      expect(opened.unreadable.map((u) => u.reason)).toContain("corrupted")
      if (opened.event.type !== "ToolCompleted") throw new Error("unreachable")
      expect(JSON.stringify(opened.event.output)).not.toMatch(/hunter2horse|sk-secret-output/)
    }
    // the event's other rows are other events: they still open
    const other = sealEvent(key, EXEC, Events.responseSent({ text: "still here", channel: "cli", timestamp: at(4) }))
    expect(openEvent(() => key, EXEC, other).unreadable).toEqual([])
  })

  it("seals an event already holding v3 envelopes field by field in v1 (one ciphertext per event)", () => {
    const key = dataKey()
    const plain = sample.message(0)
    if (plain.type !== "MessageReceived") throw new Error("unreachable")
    const message = { ...plain, message: { ...plain.message, text: "deploy with token=sk-abcdef987654" } }
    const sealed = sealEvent(key, EXEC, message)
    if (sealed.type !== "MessageReceived") throw new Error("unreachable")
    // a hand-edited import: arguments added in the clear beside the sealed text
    const args = "args with token=sk-abcdef123456"
    const mixed = { ...sealed, message: { ...sealed.message, command_args: args } }
    const withArgs = { ...message, message: { ...message.message, command_args: args } }
    const resealed = sealEvent(key, EXEC, mixed)
    if (resealed.type !== "MessageReceived") throw new Error("unreachable")
    expect(resealed.message.text).toBe(sealed.message.text)
    expect(resealed.message.command_args?.startsWith("cratos:enc:v1:")).toBe(true)
    const opened = openEvent(() => key, EXEC, resealed)
    expect(opened.unreadable).toEqual([])
    expect(opened.event).toEqual(withArgs)
  })

  it("opens and masks a v1 row as the first release sealed it (rows are never rewritten)", () => {
    const key = { userId: "user-1", keyId: "kvector", key: Buffer.alloc(32, 7) }
    const event = Events.responseSent({ text: "sk-secret-response ünïcode", channel: "cli", timestamp: at(1) })
    // the first release's deterministic envelope of this value, byte for byte
    const v1 = "cratos:enc:v1:kvector:mIe5Ya1UqnimbzgH16aX7gOYdWfZCyOmRHSOzZ0srvh_mBtKtbXqOr2jUbK3hHJKW7-STc1QGjQT8w"
    const stored = { ...event, text: v1 } as ExecutionEvent
    expect(openEvent(() => key, EXEC, stored)).toEqual({ event, unreadable: [] })
    // no key: the masked view of a v1 field needs opening, so it reads [encrypted], never the envelope
    expect(maskRawContent(stored)).toEqual({ ...event, text: ENCRYPTED_PLACEHOLDER })
  })

  it("seals a value deterministically to the same v3 bytes (a retried append still matches), sealing only the secret", () => {
    const key = { userId: "user-1", keyId: "kvector", key: Buffer.alloc(32, 7) }
    const event = Events.responseSent({ text: "token=sk-secret-response ünïcode", channel: "cli", timestamp: at(1) })
    const sealed = sealEvent(key, EXEC, event, true) as { text: string }
    expect(sealed.text).toBe((sealEvent(key, EXEC, event, true) as { text: string }).text)
    expect(sealed.text.startsWith("cratos:enc:v3:kvector:")).toBe(true)
    const envelope = parseEnvelope(sealed.text)
    expect(envelope?.version === 3 && envelope.masked).toBe(JSON.stringify(maskRawValue(event.text)))
    expect(sealed.text).not.toContain("sk-secret-response")
    // nonce, tag, and the patch [6, 9, "sk-secret-response"]: not the whole text
    const patch = JSON.stringify([[6, 9, "sk-secret-response"]])
    expect(Buffer.from(envelope!.sealed, "base64url").length).toBe(12 + Buffer.byteLength(patch) + 16)
    expect(openEvent(() => key, EXEC, sealed as ExecutionEvent).event).toEqual(event)
  })

  it("opens a v2 row as the second release sealed it: the whole value in the event's ciphertext", () => {
    const key = { userId: "user-1", keyId: "kvector", key: Buffer.alloc(32, 7) }
    const event = Events.responseSent({ text: "token=sk-secret-response ünïcode", channel: "cli", timestamp: at(1) })
    // the second release's deterministic envelope of this value, byte for byte
    const v2 =
      'cratos:enc:v2:kvector:9T_4lM6XxUhG7F2eKX7AuVb6LvGhYNNZTMcNdFj0CSbXdyOiIFUYXOZ5mqMZa-P7T3JsXZgMrxhzd1IfWEch-UPV:"token=***MASKED*** ünïcode"'
    const stored = { ...event, text: v2 } as ExecutionEvent
    expect(openEvent(() => key, EXEC, stored)).toEqual({ event, unreadable: [] })
    expect(maskRawContent(stored)).toEqual({ ...event, text: "token=***MASKED*** ünïcode" })
    // a v2 envelope's masked copy is bound as v2's associated data, not v3's
    const relabelled = { ...event, text: v2.replace("cratos:enc:v2:", "cratos:enc:v3:") } as ExecutionEvent
    expect(openEvent(() => key, EXEC, relabelled).unreadable).toEqual([{ path: "text", reason: "corrupted" }])
  })

  it("does not open a v3 envelope whose masked copy was changed (it is associated data)", () => {
    const key = dataKey()
    const event = Events.responseSent({ text: "my password is hunter2horse", channel: "cli", timestamp: at(1) })
    const sealed = sealEvent(key, EXEC, event) as { text: string } & ExecutionEvent
    const parts = parseEnvelope(sealed.text)
    if (parts?.version !== 3) throw new Error("not a v3 envelope")
    expect(parts.masked).not.toContain("hunter2horse")
    for (const masked of [JSON.stringify("my password is not secret"), `${parts.masked} `, "", "{"]) {
      const tampered = { ...sealed, text: `cratos:enc:v3:${parts.keyId}:${parts.sealed}:${masked}` }
      expect(openEvent(() => key, EXEC, tampered).unreadable, masked).toEqual([{ path: "text", reason: "corrupted" }])
    }
    // moving the ciphertext into a v1 envelope (dropping the masked copy) does not open either
    const asV1 = { ...sealed, text: `cratos:enc:v1:${parts.keyId}:${parts.sealed}` }
    expect(openEvent(() => key, EXEC, asV1).unreadable).toEqual([{ path: "text", reason: "corrupted" }])
    expect(openEvent(() => key, EXEC, sealed).event).toEqual(event)
  })

  it("does not open an envelope with a character outside base64url inserted, or with no key id", () => {
    const key = dataKey()
    const event = Events.responseSent({ text: "token=sk-secret-response", channel: "cli", timestamp: at(1) })
    const sealed = sealEvent(key, EXEC, event)
    if (sealed.type !== "ResponseSent") throw new Error("unreachable")
    // Buffer.from(…, "base64url") skips such characters: the envelope must still read as corrupted
    for (const bad of ["!", " ", "=", "\n"]) {
      const text = `${sealed.text.slice(0, 40)}${bad}${sealed.text.slice(40)}`
      expect(openEvent(() => key, EXEC, { ...sealed, text }).unreadable).toEqual([
        { path: "text", reason: "corrupted" }
      ])
    }
    const noKeyId = sealed.text.replace(`:${key.keyId}:`, "::")
    expect(openEvent(() => key, EXEC, { ...sealed, text: noKeyId }).unreadable).toEqual([
      { path: "text", reason: "corrupted" }
    ])
    expect(openEvent(() => key, EXEC, sealed).event).toEqual(event)
  })

  it("reads plaintext rows from before encryption as they are", () => {
    const event = Events.responseSent({ text: "old plaintext", channel: "cli", timestamp: at(1) })
    expect(openEvent(() => undefined, EXEC, event)).toEqual({ event, unreadable: [] })
  })
})

const withKeys = (m: Either.Either<MasterKey, never>) =>
  Layer.effect(ContentKeys, makeContentKeys(m)).pipe(Layer.provideMerge(Database.layerMemory))

describe("ContentKeys", () => {
  const m1 = master()

  it.effect("creates one data key per user, stored wrapped, and finds it again by its id", () =>
    Effect.gen(function* () {
      const keys = yield* ContentKeys
      const a = yield* keys.forUser("alice", "2026-12-01T00:00:00Z")
      const again = yield* keys.forUser("alice", "2026-12-01T00:00:01Z")
      const b = yield* keys.forUser("bob", "2026-12-01T00:00:00Z")
      expect(again.keyId).toBe(a.keyId)
      expect(b.keyId).not.toBe(a.keyId)
      const { connection } = yield* Database
      const row = connection.prepare("SELECT wrapped FROM content_keys WHERE user_id = 'alice'").get() as {
        wrapped: string
      }
      expect(Buffer.from(row.wrapped, "base64url").includes(a.key)).toBe(false)
      const fresh = yield* makeContentKeys(Either.right(m1))
      expect((yield* fresh.byId(a.keyId))?.key.equals(a.key)).toBe(true)
    }).pipe(Effect.provide(withKeys(Either.right(m1))))
  )

  it.effect("forgets a user: their content no longer opens, other users' does, and the forget is recorded", () =>
    Effect.gen(function* () {
      const keys = yield* ContentKeys
      const alice = yield* keys.forUser("alice", "t0")
      const bob = yield* keys.forUser("bob", "t0")
      const event = Events.responseSent({ text: "alice's password is hunter2horse", channel: "cli", timestamp: at(1) })
      const sealedA = sealEvent(alice, EXEC, event)
      // a text masking leaves as it is is not sealed: its masked copy, which stays, is the same text
      const plainA = Events.responseSent({ text: "alice's plans for friday", channel: "cli", timestamp: at(2) })
      expect(sealEvent(alice, EXEC, plainA)).toEqual(plainA)
      const sealedB = sealEvent(bob, EXEC, event)
      const forgotten = yield* keys.forget("alice", "2026-12-01T10:00:00Z")
      expect(forgotten).toEqual({ userId: "alice", keyId: alice.keyId, forgottenAt: "2026-12-01T10:00:00Z" })
      expect(yield* keys.forgotten).toEqual([forgotten])
      const fresh = yield* makeContentKeys(Either.right(m1))
      expect(yield* fresh.byId(alice.keyId)).toBeUndefined()
      const bobKey = yield* fresh.byId(bob.keyId)
      expect(openEvent((id) => (id === bob.keyId ? bobKey : undefined), EXEC, sealedB).unreadable).toEqual([])
      const afterForget = openEvent(() => undefined, EXEC, sealedA)
      expect(afterForget.unreadable).toEqual([{ path: "text", reason: "no-key" }])
      expect(JSON.stringify(afterForget.event)).not.toContain("hunter2horse")
      expect(maskRawContent(sealedA)).toEqual({ ...event, text: "alice's password is ***MASKED***" })
      expect(yield* keys.forget("nobody", "t1")).toBeUndefined()
    }).pipe(Effect.provide(withKeys(Either.right(m1))))
  )

  it.effect("rotates: a new master key re-wraps every data key, and the old one no longer opens them", () =>
    Effect.gen(function* () {
      const keys = yield* ContentKeys
      const alice = yield* keys.forUser("alice", "t0")
      yield* keys.forUser("bob", "t0")
      const m2 = master()
      expect(yield* keys.rotate(m2)).toBe(2)
      const withNew = yield* makeContentKeys(Either.right(m2))
      expect((yield* withNew.byId(alice.keyId))?.key.equals(alice.key)).toBe(true)
      const withOld = yield* makeContentKeys(Either.right(m1))
      expect(yield* withOld.byId(alice.keyId)).toBeUndefined()
    }).pipe(Effect.provide(withKeys(Either.right(m1))))
  )
})

describe("the master key", () => {
  it("is created 0600 in CRATOS_HOME by the first writing command and read back by the next", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-key-"))
    const env = { CRATOS_HOME: home }
    const none = resolveMasterKey({ create: false, env })
    expect(Either.isLeft(none) && none.left.message).toMatch(/^master key: no key file at .*master\.key/)
    const first = Either.getOrThrow(resolveMasterKey({ create: true, env }))
    expect(first.created).toBe(true)
    expect(fs.statSync(path.join(home, "master.key")).mode & 0o777).toBe(0o600)
    const second = Either.getOrThrow(resolveMasterKey({ create: true, env }))
    expect(second.id).toBe(first.id)
    expect(second.created).toBe(false)
  })

  it("takes CRATOS_MASTER_KEY, and says in one line (without the value) when it is not a 32-byte key", () => {
    const key = newKey()
    const given = Either.getOrThrow(
      resolveMasterKey({ create: true, env: { CRATOS_MASTER_KEY: key.toString("base64") } })
    )
    expect(given.key.equals(key)).toBe(true)
    const bad = resolveMasterKey({ create: true, env: { CRATOS_MASTER_KEY: "c2hvcnQ=" } })
    expect(Either.isLeft(bad) && bad.left.message).toBe(
      "master key: CRATOS_MASTER_KEY does not hold a 32-byte key in base64"
    )
  })
})

describe("key rotation on the default key file", () => {
  it.effect("re-wraps the data keys under a new key file and keeps the old key beside it", () =>
    Effect.gen(function* () {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-rotate-"))
      const env = { CRATOS_HOME: home }
      const file = path.join(home, "master.key")
      const first = Either.getOrThrow(resolveMasterKey({ create: true, env }))
      const keys = yield* makeContentKeys(Either.right(first))
      const alice = yield* keys.forUser("alice", "t0").pipe(Effect.provideService(ContentKeys, keys))
      const result = yield* rotateMasterKey(file).pipe(Effect.provideService(ContentKeys, keys))
      expect(result.rewrapped).toBe(1)
      expect(fs.statSync(file).mode & 0o777).toBe(0o600)
      expect(fs.readFileSync(result.oldKeyFile, "utf8")).toBe(`${first.key.toString("base64")}\n`)
      const now = Either.getOrThrow(resolveMasterKey({ create: false, env }))
      expect(now.id).toBe(result.newKeyId)
      const reopened = yield* makeContentKeys(Either.right(now))
      expect((yield* reopened.byId(alice.keyId))?.key.equals(alice.key)).toBe(true)
    }).pipe(Effect.provide(Database.layerMemory))
  )

  it("is on by default and off with --encryption off or CRATOS_ENCRYPTION=off", () => {
    expect(encryptionEnabled(undefined, {})).toBe(true)
    expect(encryptionEnabled("off", {})).toBe(false)
    expect(encryptionEnabled(undefined, { CRATOS_ENCRYPTION: "off" })).toBe(false)
    expect(encryptionEnabled("on", { CRATOS_ENCRYPTION: "off" })).toBe(true)
  })
})

describe("the masked read (show, the API, the web UI)", () => {
  const m1 = master()

  it.effect(
    "gives for every serde fixture, sealed or not, what masking the opened event gives, and looks up no key",
    () =>
      Effect.gen(function* () {
        const keys = yield* ContentKeys
        const key = yield* keys.forUser("user-1", "t0")
        let lookups = 0
        const counting: ContentKeysShape = {
          ...keys,
          cachedById: (id) => {
            lookups++
            return keys.cachedById(id)
          },
          byId: (id) => {
            lookups++
            return keys.byId(id)
          }
        }
        const { reader } = sealingEventStore(yield* EventStore.make, counting, () => Effect.succeed(undefined))
        const plain = ContentReader.plain(yield* EventStore.make)
        for (const { name, text } of fixtures) {
          const event = decode(text)
          for (const stored of [event, sealEvent(key, EXEC, event)]) {
            const items = [{ executionId: EXEC, event: stored }]
            const [opened] = yield* reader.open(items)
            lookups = 0
            const [masked] = yield* reader.masked(items)
            expect(lookups, name).toBe(0)
            expect(encode(masked!.event), name).toBe(encode(maskRawContent(opened!.event)))
            // the masked view of a stored event is the same without any key
            expect(encode(maskRawContent(stored)), name).toBe(encode(masked!.event))
            if (stored === event) expect((yield* plain.masked(items))[0]!.event, name).toEqual(masked!.event)
          }
        }
      }).pipe(Effect.provide(withKeys(Either.right(m1))))
  )

  it.effect("equals masking the fully opened event for any event (property), and opens v1 rows to mask them", () =>
    Effect.gen(function* () {
      const keys = yield* ContentKeys
      const key = yield* keys.forUser("user-1", "t0")
      const { reader } = sealingEventStore(yield* EventStore.make, keys, () => Effect.succeed(undefined))
      const secret = fc.constantFrom("", "password=hunter2horse ", "ghp_0123456789abcdefghijABCDEFGHIJ012345 ")
      const arb = fc.tuple(Arbitrary.make(ExecutionEventSchema), secret)
      fc.assert(
        fc.property(arb, ([generated, s]) => {
          const event = generated.type === "ResponseSent" ? { ...generated, text: s + generated.text } : generated
          const stored = sealEvent(key, EXEC, event)
          const items = [{ executionId: EXEC, event: decode(encode(stored)) }]
          const [opened] = Effect.runSync(reader.open(items))
          const [masked] = Effect.runSync(reader.masked(items))
          expect(encode(opened!.event)).toBe(encode(event))
          expect(encode(masked!.event)).toBe(encode(maskRawContent(event)))
        }),
        { numRuns: 300 }
      )
      // a v1 row of a field with no masked copy (sealed before v2) is opened to be masked
      const event = Events.errorOccurred({
        error: "failed: password=hunter2horse",
        error_type: "Internal",
        recoverable: false,
        timestamp: at(4)
      })
      const v1 = {
        ...event,
        error: `cratos:enc:v1:${key.keyId}:${sealBytes(key.key, JSON.stringify(event.error), associatedData(EXEC, event, "error"))}`
      }
      const [opened] = yield* reader.open([{ executionId: EXEC, event: v1 }])
      expect(opened!.event).toEqual(event)
      const [masked] = yield* reader.masked([{ executionId: EXEC, event: v1 }])
      expect(masked!.event).toEqual(maskRawContent(event))
      expect(JSON.stringify(masked!.event)).not.toContain("hunter2horse")
    }).pipe(Effect.provide(withKeys(Either.right(m1))))
  )
})

describe("the sealing store's refusals", () => {
  it.effect(
    "refuses a tool input nested past serde's limit as an InvalidEvent, even one deeper than the stack, sealing nothing",
    () =>
      Effect.gen(function* () {
        const keys = yield* ContentKeys
        const inner = yield* EventStore.make
        const store = sealingEventStore(inner, keys, () => Effect.succeed("user-1"))
        const message = sample.message(0)
        if (message.type !== "MessageReceived") throw new Error("unreachable")
        yield* store.startExecution(EXEC, message)
        for (const depth of [200, 20_000]) {
          let input: unknown = "token=sk-deep-secret-0001"
          for (let i = 0; i < depth; i++) input = { a: input }
          const deep = Events.toolInvoked({ tool: "shell", input, timestamp: at(5) }, maskSecrets)
          const refused = yield* Effect.flip(store.append(EXEC, [deep]))
          expect(refused._tag, `${depth}`).toBe("InvalidEvent")
        }
        expect(yield* inner.getEvents(EXEC)).toHaveLength(1)
      }).pipe(Effect.provide(withKeys(Either.right(master()))))
  )
})

describe("the sealing store's memory of users", () => {
  it.effect(
    "remembers a bounded number of executions' users: an append to one it forgot asks userOf again and seals under that user's key",
    () =>
      Effect.gen(function* () {
        const keys = yield* ContentKeys
        const inner = yield* EventStore.make
        const owners = new Map<string, string>()
        const asked: Array<string> = []
        const userOf = (executionId: string) =>
          Effect.sync(() => {
            asked.push(executionId)
            return owners.get(executionId)
          })
        const store = sealingEventStore(inner, keys, userOf, { rememberedExecutions: 2 })
        const ids = ["a", "b", "c"].map((x) => `0b7e0000-0000-4000-8000-00000000000${x}`)
        for (const [i, id] of ids.entries()) {
          const user = `user-${i}`
          owners.set(id, user)
          yield* store.startExecution(id, Events.messageReceived({ ...sampleMessage(), user_id: user }))
        }
        const secret = Events.toolInvoked(
          { tool: "shell", input: { password: "hunter2horse" }, timestamp: at(4) },
          maskSecrets
        )
        // the two newest are remembered; the oldest was forgotten when the third started
        for (const id of [ids[2]!, ids[1]!, ids[0]!, ids[0]!]) yield* store.append(id, [secret])
        expect(asked).toEqual([ids[0]])
        for (const [i, id] of ids.entries()) {
          const stored = (yield* inner.getEvents(id))[1]
          const input = stored?.type === "ToolInvoked" ? stored.input : undefined
          const keyId = typeof input === "string" ? parseEnvelope(input)?.keyId : undefined
          expect(keyId, id).toBe((yield* keys.forUser(`user-${i}`, "t0")).keyId)
        }
      }).pipe(Effect.provide(withKeys(Either.right(master()))))
  )
})

describe("--encryption off (seal: false)", () => {
  it.effect(
    "keeps a plaintext message's text in the executions row as given, and an imported sealed message's masked text",
    () =>
      Effect.gen(function* () {
        const keys = yield* ContentKeys
        const { connection } = yield* Database
        const inner = yield* EventStore.make
        const userOf = () => Effect.succeed("user-1")
        const off = sealingEventStore(inner, keys, userOf, { seal: false })
        const on = sealingEventStore(inner, keys, userOf)
        const inputText = (id: string) =>
          connection.prepare<[string], string>("SELECT input_text FROM executions WHERE id = ?").pluck().get(id)
        const text = "deploy it, my password is hunter2horse"
        const message = Events.messageReceived(sampleMessage(text))
        const [plain, sealed, imported] = ["1", "2", "3"].map((x) => `0b7e0000-0000-4000-8000-00000000010${x}`)

        yield* off.startExecution(plain!, message)
        expect(inputText(plain!)).toBe(text)

        // an encrypted export imported with --encryption off: the row gets the envelope's masked copy
        yield* on.startExecution(sealed!, message)
        const stored = (yield* inner.getEvents(sealed!))[0]!
        expect(stored.type === "MessageReceived" && isEnvelope(stored.message.text)).toBe(true)
        yield* off.startExecution(imported!, stored as typeof message)
        expect(inputText(imported!)).toBe(maskRawValue(text))
        expect(inputText(imported!)).not.toContain("hunter2horse")
      }).pipe(Effect.provide(withKeys(Either.right(master()))))
  )
})
