/**
 * Where encryption at rest spends its time (issue 14), in CPU microseconds per event of the bench
 * fixtures (process.cpuUsage, best of 15 passes, so other processes on a shared machine count
 * less): sealing and opening whole events; what sealing spends on masking (each raw value without
 * a masked copy in the event gets one in its envelope); node:crypto's AES-256-GCM per value
 * (v1: one per raw value) and per event (v2: one per event, over all its values), and the cipher
 * set-up alone; beside the JSON encoding and decoding every event costs with encryption off.
 * "sealEvent" seals the same events every pass (the masker's and the JIT's best case); "sealEvent,
 * fresh events" seals other executions' events each pass, as a store meets them. Last, the
 * stored bytes of the sealed events ÷ their plaintext, by event type.
 *
 *   npx tsx bench/sealMicro.ts [executions=300]
 */
import * as crypto from "node:crypto"
import { encodeEventJson, type ExecutionEvent, mapRawContent, maskRawValue, rawValues } from "@cratos/domain"
import { Either } from "effect"
import { counterNonce, openBytes, sealBytes } from "../packages/store/src/encryption/ContentCipher.js"
import { openEvent, sealEvent } from "../packages/store/src/encryption/EventSealing.js"
import { executionEvents, executionIdOf } from "./fixtures.js"

const N = Number(process.argv[2] ?? 300)
// a key id as long as the store's (12 random bytes, base64url), so the envelopes are their real size
const key = { userId: "u", keyId: crypto.randomBytes(12).toString("base64url"), key: crypto.randomBytes(32) }
const eventsOf = (from: number, to: number) => {
  const out: Array<readonly [string, ExecutionEvent]> = []
  for (let i = from; i < to; i++) for (const e of executionEvents(i)) out.push([executionIdOf(i), e])
  return out
}
const items = eventsOf(0, N)
const values = items.flatMap(([, e]) => rawValues(e).map(([, v]) => JSON.stringify(v)))
// the first events a process seals: V8 has compiled nothing of the masker, the patch or the cipher yet
const coldStart = process.cpuUsage()
const sealed = items.map(([id, e]) => [id, sealEvent(key, id, e)] as const)
const coldCpu = process.cpuUsage(coldStart)
const json = items.map(([, e]) => JSON.stringify(e))
const aad = "cratos:v1\u0000execution\u0000ToolInvoked\u00002025-11-26T10:00:00.137000Z\u0000input"
const sealedValues = values.map((v) => sealBytes(key.key, v, aad))
/** Per event: the JSON array of its raw values (what one v2 ciphertext holds), if it has any. */
const perEvent = items.flatMap(([, e]) => {
  const v = rawValues(e).map(([, x]) => JSON.stringify(x))
  return v.length === 0 ? [] : [`[${v.join(",")}]`]
})
const sealedPerEvent = perEvent.map((v) => sealBytes(key.key, v, aad))
/** The raw values sealing masks (no masked copy in the event). */
const toMask: Array<unknown> = []
for (const [, e] of items) {
  mapRawContent(e, (value, _path, copied) => {
    if (!copied) toMask.push(value)
    return value
  })
}
const keyObject = crypto.createSecretKey(key.key)
const nonce = crypto.randomBytes(12)

const best = new Map<string, number>()
const time = (label: string, f: () => void) => {
  const t = process.cpuUsage()
  f()
  const d = process.cpuUsage(t)
  best.set(label, Math.min(best.get(label) ?? Number.POSITIVE_INFINITY, (d.user + d.system) / items.length))
}
for (let r = 0; r < 15; r++) {
  time("sealEvent", () => items.forEach(([id, e]) => sealEvent(key, id, e)))
  const fresh = eventsOf(N * (r + 1), N * (r + 2))
  time("sealEvent, fresh events", () => fresh.forEach(([id, e]) => sealEvent(key, id, e)))
  time("sealEvent deterministic", () => items.forEach(([id, e]) => sealEvent(key, id, e, true)))
  time("openEvent", () =>
    sealed.forEach(([id, e]) => {
      openEvent(() => key, id, e)
    })
  )
  time("  of which masking at write", () => toMask.forEach((v) => maskRawValue(v)))
  time("AES-GCM seal per raw value (v1)", () => values.forEach((v) => sealBytes(key.key, v, aad, counterNonce())))
  time("AES-GCM open per raw value (v1)", () => sealedValues.forEach((s) => openBytes(key.key, s, aad)))
  time("AES-GCM seal per event (v2)", () => perEvent.forEach((v) => sealBytes(key.key, v, aad, counterNonce())))
  time("AES-GCM open per event (v2)", () => sealedPerEvent.forEach((s) => openBytes(key.key, s, aad)))
  time("  of which createDecipheriv", () =>
    sealedPerEvent.forEach(() => crypto.createDecipheriv("aes-256-gcm", keyObject, nonce))
  )
  time("JSON.stringify event (off too)", () => items.forEach(([, e]) => JSON.stringify(e)))
  time("JSON.parse event (off too)", () => json.forEach((j) => JSON.parse(j)))
}
console.log(
  `${items.length} events, ${values.length} raw values (${(values.length / items.length).toFixed(2)} per event), ` +
    `${perEvent.length} events with any (${(perEvent.length / items.length).toFixed(2)} ciphertexts per event)`
)
console.log(
  `${"sealEvent, a process's first".padEnd(32)} ${((coldCpu.user + coldCpu.system) / items.length).toFixed(2)} µs CPU per event`
)
for (const [k, v] of best) console.log(`${k.padEnd(32)} ${v.toFixed(2)} µs CPU per event`)

const bytes = new Map<string, { plain: number; stored: number; sealed: number; n: number }>()
const text = (e: ExecutionEvent) => Either.getOrThrow(encodeEventJson(e))
items.forEach(([, e], i) => {
  const b = bytes.get(e.type) ?? { plain: 0, stored: 0, sealed: 0, n: 0 }
  b.plain += text(e).length
  b.stored += text(sealed[i]![1]).length
  b.sealed += sealed[i]![1] === e ? 0 : 1
  b.n++
  bytes.set(e.type, b)
})
let plain = 0
let stored = 0
for (const [type, b] of bytes) {
  plain += b.plain
  stored += b.stored
  console.log(`stored ÷ plaintext ${type.padEnd(16)} ${(b.stored / b.plain).toFixed(2)} (${b.sealed} of ${b.n} sealed)`)
}
console.log(`stored ÷ plaintext, all events      ${(stored / plain).toFixed(2)}`)
