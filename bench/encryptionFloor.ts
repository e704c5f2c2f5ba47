/**
 * What encryption at rest must cost on W1 and W2 (issue 14), measured inside their own loops:
 * CPU µs per event (process.cpuUsage of the timed sections, best of `rounds`), each variant on a
 * fresh file, alternating; beside it the wall time per event (median), what the target is judged by.
 *
 *   off        the store as `cratos --encryption off` builds it (the sealing store with
 *              `seal: false`: writes stored as given), plaintext events
 *   presealed  off, the events sealed before the timed section: what storing sealed rows costs,
 *              without sealing them
 *   +mask      off, plus masking each raw value sealing masks (the ones with no masked copy in the
 *              event: the message text, whose masked copy is also the executions row's
 *              `input_text`, where off stores the raw text; plan goal, steps and inputs; response
 *              and error text), discarding the result
 *   +cipher    off, plus one AES-256-GCM seal per event that "on" seals, of its real sizes
 *              (plaintext and associated data), discarding the result
 *   +both      off, plus both: the work no implementation of the issue can skip (masked copies
 *              readable without a key, the raw content under AES-GCM), in the loop's own cache state
 *   on         the sealing store (`cratos`'s default), its users' data keys made before the timed
 *              section (a database in use; each key is made once, on its user's first write)
 *
 * W3 (the full open) likewise: off, +cipher (one AES-256-GCM open per sealed event, of its real
 * sizes) and on. Each section gives each variant's ratio off ÷ variant, the figure the issue's
 * target (≥ 0.85) applies to. Figures are printed, never asserted.
 *
 *   [FLOOR_MODES=read,single,batch] [BENCH_SECRET_SHARE=1] npx tsx bench/encryptionFloor.ts [executions=2000] [rounds=3] [variants, e.g. off,+both,on]
 *
 * `BENCH_SECRET_SHARE` (bench/fixtures.ts) is the share of executions holding secrets; the first
 * line printed says how many of the events "on" seals.
 */
import * as crypto from "node:crypto"
import {
  associatedDataV3,
  copiedMaskedOf,
  type ExecutionEvent,
  type JsonValue,
  type MessageReceived,
  mapRawContent,
  maskRawValue,
  parseEnvelope,
  SEALED_WITH_EVENT
} from "@cratos/domain"
import { EventStore } from "@cratos/store"
import { Effect } from "effect"
import { openBytes, sealBytes } from "../packages/store/src/encryption/ContentCipher.js"
import { sealEvent } from "../packages/store/src/encryption/EventSealing.js"
import { chunk, type Execution, executionIdOf } from "./fixtures.js"
import { freshPath, openStore, removeDb, timedUsersKeys } from "./lib/db.js"
import { breathe, Stopwatch } from "./lib/stopwatch.js"
import { storeAppend } from "./workloads/append.js"

const N = Number(process.argv[2] ?? 2000)
const R = Number(process.argv[3] ?? 3)
const CHUNK = 1000
const key = { userId: "u", keyId: crypto.randomBytes(12).toString("base64url"), key: crypto.randomBytes(32) }

type Variant = "off" | "presealed" | "+mask" | "+cipher" | "+both" | "on"
const ALL: ReadonlyArray<Variant> = ["off", "presealed", "+mask", "+cipher", "+both", "on"]
const VARIANTS = process.argv[4] === undefined ? ALL : ALL.filter((v) => process.argv[4]!.split(",").includes(v))
const MODES = (process.env["FLOOR_MODES"] ?? "single,batch")
  .split(",")
  .filter((m): m is "single" | "batch" => m === "single" || m === "batch")

/** The raw values sealing masks in `event` (those with no masked copy elsewhere in it). */
const toMask = (event: ExecutionEvent): Array<JsonValue> => {
  const out: Array<JsonValue> = []
  mapRawContent(event, (value, _path, copied) => {
    if (!copied) out.push(value)
    return value
  })
  return out
}

/**
 * The one ciphertext `sealed` holds, as what to seal again: a plaintext of its byte length and the
 * event's exact associated data (`associatedDataV3` of its fields' masked copies, as sealing
 * built it); undefined when the event holds none.
 */
const cipherInputs = (executionId: string, sealed: ExecutionEvent): { plaintext: string; aad: string } | undefined => {
  let body = 0
  const fields: Array<{ path: string; masked: string }> = []
  mapRawContent(sealed, (value, path) => {
    const envelope = typeof value === "string" ? parseEnvelope(value) : undefined
    if (envelope === undefined || envelope.version !== 3) return value
    if (envelope.sealed !== SEALED_WITH_EVENT) body = Buffer.from(envelope.sealed, "base64url").length - 28
    // "" is a copy the event holds elsewhere (the tool input and output)
    const masked = envelope.masked === "" ? JSON.stringify(copiedMaskedOf(sealed, path) ?? null) : envelope.masked
    fields.push({ path, masked })
    return value
  })
  return body === 0 ? undefined : { plaintext: "x".repeat(body), aad: associatedDataV3(executionId, sealed, fields) }
}

interface Prepared {
  readonly x: Execution
  readonly events: ReadonlyArray<ExecutionEvent>
  readonly masks: ReadonlyArray<ReadonlyArray<JsonValue>>
  readonly ciphers: ReadonlyArray<{ plaintext: string; aad: string } | undefined>
}

const prepare = (x: Execution, variant: Variant): Prepared => {
  const sealed = x.events.map((e) => sealEvent(key, x.id, e))
  return {
    x,
    events: variant === "presealed" ? sealed : x.events,
    masks: x.events.map(toMask),
    ciphers: sealed.map((s, k) => (s === x.events[k] ? undefined : cipherInputs(x.id, s)))
  }
}

/** µs per event of a run: CPU (this process) and wall. */
interface Micros {
  readonly cpu: number
  readonly wall: number
}
const micros = (watch: Stopwatch): Micros => ({
  cpu: (watch.cpuSeconds / (N * 10)) * 1e6,
  wall: (watch.seconds / (N * 10)) * 1e6
})

/** Each variant's best CPU and median wall µs per event, and off ÷ each, as printed lines. */
const report = <V extends string>(title: string, variants: ReadonlyArray<V>, runs: Map<V, Array<Micros>>): string => {
  const best = (v: V) => Math.min(...runs.get(v)!.map((m) => m.cpu))
  const medianWall = (v: V) => {
    const w = runs
      .get(v)!
      .map((m) => m.wall)
      .sort((a, b) => a - b)
    return w[Math.floor(w.length / 2)]!
  }
  const off = variants[0]!
  const lines = [`${title} (${N * 10} events, ${R} runs): µs per event, CPU (best) and wall (median), and off ÷ it`]
  for (const v of variants) {
    lines.push(
      `  ${v.padEnd(10)} CPU ${best(v).toFixed(1).padStart(6)}  ${(best(off) / best(v)).toFixed(2)}   ` +
        `wall ${medianWall(v).toFixed(1).padStart(6)}  ${(medianWall(off) / medianWall(v)).toFixed(2)}`
    )
  }
  return lines.join("\n")
}

let counter = 0
const prefix = crypto.randomBytes(8)
/** A fresh nonce as the store makes them (ContentCipher's counter construction). */
const nonce = () => {
  const n = Buffer.allocUnsafe(12)
  prefix.copy(n, 0)
  n.writeUInt32BE(counter++, 8)
  return n
}

const run = async (variant: Variant, mode: "single" | "batch"): Promise<Micros> => {
  const file = freshPath(`floor-${mode}`)
  const rt = openStore(file, "NORMAL", variant === "on" ? "on" : "off")
  const store = await rt.runPromise(EventStore)
  if (variant === "on") await timedUsersKeys(rt)
  const mask = variant === "+mask" || variant === "+both"
  const cipher = variant === "+cipher" || variant === "+both"
  let sink = 0
  const extra = (p: Prepared, k: number) => {
    if (mask) for (const v of p.masks[k]!) sink += maskRawValue(v) === v ? 0 : 1
    const c = p.ciphers[k]
    if (cipher && c !== undefined) sink += sealBytes(key.key, c.plaintext, c.aad, nonce()).length
  }
  const watch = new Stopwatch()
  for (let from = 0; from < N; from += CHUNK) {
    const xs = chunk(from, Math.min(N, from + CHUNK)).map((x) => prepare(x, variant))
    watch.time(() =>
      rt.runSync(
        Effect.gen(function* () {
          for (const p of xs) {
            const [first, ...rest] = p.events
            extra(p, 0)
            yield* store.startExecution(p.x.id, first as MessageReceived)
            if (mode === "batch") {
              for (let k = 1; k < p.events.length; k++) extra(p, k)
              yield* store.append(p.x.id, rest, { expectedVersion: 1 })
            } else {
              for (let k = 1; k < p.events.length; k++) {
                extra(p, k)
                yield* store.append(p.x.id, [p.events[k]!], { expectedVersion: k })
              }
            }
          }
        })
      )
    )
    await breathe()
  }
  await rt.dispose()
  removeDb(file)
  if (sink < 0) console.error(sink)
  return micros(watch)
}

type ReadVariant = "off" | "+cipher" | "on"
const READ_VARIANTS: ReadonlyArray<ReadVariant> = ["off", "+cipher", "on"]

/**
 * W3, `getEvents` of every execution (the full open): off reads a plaintext file with the store
 * `--encryption off` builds, +cipher does the same and opens one AES-256-GCM ciphertext of the
 * real sizes per event "on" stores sealed, on reads a sealed file with the sealing store.
 */
const readRun = async (variant: ReadVariant, file: string): Promise<Micros> => {
  const rt = openStore(file, "NORMAL", variant === "on" ? "on" : "off")
  const store = await rt.runPromise(EventStore)
  let sink = 0
  const watch = new Stopwatch()
  for (let from = 0; from < N; from += CHUNK) {
    const to = Math.min(N, from + CHUNK)
    const ciphers =
      variant === "+cipher"
        ? chunk(from, to).map((x) =>
            prepare(x, "off").ciphers.flatMap((c) =>
              c === undefined ? [] : [{ sealed: sealBytes(key.key, c.plaintext, c.aad, nonce()), aad: c.aad }]
            )
          )
        : []
    watch.time(() =>
      rt.runSync(
        Effect.gen(function* () {
          for (let i = from; i < to; i++) {
            sink += (yield* store.getEvents(executionIdOf(i))).length
            for (const c of ciphers[i - from] ?? []) sink += openBytes(key.key, c.sealed, c.aad)?.length ?? 0
          }
        })
      )
    )
    await breathe()
  }
  await rt.dispose()
  if (sink < 0) console.error(sink)
  return micros(watch)
}

const main = async () => {
  let sealedEvents = 0
  for (const x of chunk(0, N)) for (const e of x.events) sealedEvents += sealEvent(key, x.id, e) === e ? 0 : 1
  console.log(
    `${sealedEvents} of ${N * 10} events hold something to seal (BENCH_SECRET_SHARE=${process.env["BENCH_SECRET_SHARE"] ?? 1})`
  )
  const file = freshPath("floor-keys")
  const rt = openStore(file, "NORMAL", "on")
  const keys = await timedUsersKeys(rt)
  await rt.dispose()
  removeDb(file)
  console.log(
    `each user's data key, made once on the user's first write (before the timed sections): ` +
      `${keys.cpuMicros.toFixed(0)} µs CPU, ${keys.wallMicros.toFixed(0)} µs wall (${keys.users} users)`
  )
  if (process.env["FLOOR_MODES"] === undefined || process.env["FLOOR_MODES"].includes("read")) {
    const plain = await storeAppend("batch", N, true, "NORMAL", "off")
    const sealed = await storeAppend("batch", N, true, "NORMAL", "on")
    const runs = new Map<ReadVariant, Array<Micros>>()
    for (let r = 0; r < R; r++) {
      for (const v of r % 2 === 0 ? READ_VARIANTS : [...READ_VARIANTS].reverse()) {
        const m = await readRun(v, v === "on" ? sealed.path : plain.path)
        runs.set(v, [...(runs.get(v) ?? []), m])
      }
    }
    removeDb(plain.path)
    removeDb(sealed.path)
    console.log(report("W3", READ_VARIANTS, runs))
  }
  for (const mode of MODES) {
    const runs = new Map<Variant, Array<Micros>>()
    for (let r = 0; r < R; r++) {
      for (const v of r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
        const m = await run(v, mode)
        runs.set(v, [...(runs.get(v) ?? []), m])
      }
    }
    console.log(report(mode === "single" ? "W1" : "W2", VARIANTS, runs))
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
