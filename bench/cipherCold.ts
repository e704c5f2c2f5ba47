/**
 * What one `node:crypto` AES-256-GCM call costs when the caches are cold (issue 14), beside the
 * work encryption off does for the same event: inside W1–W3 each seal or open runs between SQLite
 * statements, the masker and the JSON codec, which evict OpenSSL's code and tables, so a call
 * costs more than a tight loop (bench/sealMicro.ts) shows.
 *
 * Each sample sweeps `sweep` MB of memory (not timed), then times one call (process.hrtime);
 * the median of `samples` per variant, minus the median of timing nothing after the same sweep.
 * The payloads are a bench event's: the ciphertext of a ToolInvoked's patch and its associated
 * data as the store seals them, and the event's JSON as stored.
 *
 *   npx tsx bench/cipherCold.ts [samples=20000] [sweeps MB, e.g. 0,1,4,16]
 */
import * as crypto from "node:crypto"
import { encodeEventJson, type ExecutionEvent } from "@cratos/domain"
import { Either } from "effect"
import { counterNonce, openBytes, sealBytes } from "../packages/store/src/encryption/ContentCipher.js"
import { sealEvent } from "../packages/store/src/encryption/EventSealing.js"
import { executionEvents, executionIdOf } from "./fixtures.js"

const SAMPLES = Number(process.argv[2] ?? 20000)
const SWEEPS = (process.argv[3] ?? "0,1,4,16").split(",").map(Number)
const key = { userId: "u", keyId: crypto.randomBytes(12).toString("base64url"), key: crypto.randomBytes(32) }

// a ToolInvoked of the bench, sealed by the store's own sealing: its ciphertext's plaintext length
// and its associated data's length are the real ones
const id = executionIdOf(0)
const invoked = executionEvents(0).find((e) => e.type === "ToolInvoked") as ExecutionEvent
const sealedEvent = sealEvent(key, id, invoked)
const envelope = (sealedEvent as { readonly input: string }).input
const sealedPart = envelope.split(":")[4]!
const plaintext = "x".repeat(Buffer.from(sealedPart, "base64url").length - 28)
const aad = "a".repeat(240)
const sealed = sealBytes(key.key, plaintext, aad)
const storedJson = Either.getOrThrow(encodeEventJson(sealedEvent))
const plainJson = Either.getOrThrow(encodeEventJson(invoked))

const variants: ReadonlyArray<readonly [string, () => unknown]> = [
  ["nothing (subtracted)", () => 0],
  ["AES-GCM seal (the store's counter nonce)", () => sealBytes(key.key, plaintext, aad, counterNonce())],
  ["AES-GCM open", () => openBytes(key.key, sealed, aad)],
  ["JSON.parse of the event (off's read)", () => JSON.parse(plainJson)],
  ["JSON.stringify of the event (off's write)", () => JSON.stringify(invoked)]
]

let sink = 0
const sweepWith = (mb: number) => {
  if (mb === 0) return () => {}
  const buffer = Buffer.alloc(mb * 1024 * 1024)
  return () => {
    for (let j = 0; j < buffer.length; j += 64) buffer[j]!++
  }
}
const median = (xs: Array<number>) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

console.log(
  `plaintext ${plaintext.length} B, associated data ${aad.length} B, event ${plainJson.length} B ` +
    `(${storedJson.length} B sealed); ${SAMPLES} samples each, median µs per call`
)
for (const mb of SWEEPS) {
  const sweep = sweepWith(mb)
  const medians = new Map<string, number>()
  for (const [label, f] of variants) {
    for (let w = 0; w < 2000; w++) sink += f() === undefined ? 1 : 0
    const times: Array<number> = []
    for (let i = 0; i < SAMPLES; i++) {
      sweep()
      const t = process.hrtime.bigint()
      sink += f() === undefined ? 1 : 0
      times.push(Number(process.hrtime.bigint() - t) / 1000)
    }
    medians.set(label, median(times))
  }
  const none = medians.get("nothing (subtracted)")!
  console.log(`caches swept of ${mb} MB before each call:`)
  for (const [label, m] of medians)
    if (label !== "nothing (subtracted)") console.log(`  ${label.padEnd(42)} ${(m - none).toFixed(2)}`)
}
if (sink < 0) console.log(sink)
