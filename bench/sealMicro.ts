/**
 * Where encryption at rest spends its time (issue 14), in CPU microseconds per event of the bench
 * fixtures (process.cpuUsage, best of 15 passes, so other processes on a shared machine count
 * less): sealing and opening whole events; what sealing spends on masking (each raw value without
 * a masked copy in the event gets one in its envelope); node:crypto's AES-256-GCM per value
 * (v1: one per raw value) and per event (v2: one per event, over all its values), and the cipher
 * set-up alone; beside the JSON encoding and decoding every event costs with encryption off.
 *
 *   npx tsx bench/sealMicro.ts [executions=300]
 */
import * as crypto from "node:crypto"
import { type ExecutionEvent, mapRawContent, maskRawValue, rawValues } from "@cratos/domain"
import { counterNonce, openBytes, sealBytes } from "../packages/store/src/encryption/ContentCipher.js"
import { openEvent, sealEvent } from "../packages/store/src/encryption/EventSealing.js"
import { executionEvents, executionIdOf } from "./fixtures.js"

const N = Number(process.argv[2] ?? 300)
const key = { userId: "u", keyId: "k1", key: crypto.randomBytes(32) }
const items: Array<readonly [string, ExecutionEvent]> = []
for (let i = 0; i < N; i++) for (const e of executionEvents(i)) items.push([executionIdOf(i), e])
const values = items.flatMap(([, e]) => rawValues(e).map(([, v]) => JSON.stringify(v)))
const sealed = items.map(([id, e]) => [id, sealEvent(key, id, e)] as const)
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
for (const [k, v] of best) console.log(`${k.padEnd(32)} ${v.toFixed(2)} µs CPU per event`)
