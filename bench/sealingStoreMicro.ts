/**
 * The sealing store's own CPU cost per event (issue 14), without SQLite: `sealingEventStore`
 * around an in-memory inner store that keeps nothing and answers at once. "write" is W2's calls
 * (startExecution, then one append of the other nine events), "write, one event per append" W1's,
 * "read" is W3's (`getEvents` of
 * events sealed as the store seals them). Best of `passes` over 1,000 executions, µs of CPU per
 * event. What this leaves out (SQLite, the caches SQLite's work evicts) is what
 * bench/encryptionFloor.ts measures.
 *
 *   [BENCH_SECRET_SHARE=1] npx tsx bench/sealingStoreMicro.ts [passes=40]
 */
import * as crypto from "node:crypto"
import type { ExecutionEvent } from "@cratos/domain"
import { Effect, Either } from "effect"
import type { ContentKeysShape } from "../packages/store/src/encryption/ContentKeys.js"
import { sealEvent } from "../packages/store/src/encryption/EventSealing.js"
import { sealingEventStore } from "../packages/store/src/encryption/SealingEventStore.js"
import type { EventStoreShape } from "../packages/store/src/EventStoreShape.js"
import { chunk } from "./fixtures.js"

const PASSES = Number(process.argv[2] ?? 40)
const key = { userId: "u", keyId: crypto.randomBytes(12).toString("base64url"), key: crypto.randomBytes(32) }
const xs = chunk(0, 1000)
const stored = new Map<string, ReadonlyArray<ExecutionEvent>>(
  xs.map((x) => [x.id, x.events.map((e) => sealEvent(key, x.id, e))])
)

/** Only what W2 and W3 call; every call answers at once. */
const inner = {
  startExecution: (executionId: string) => Effect.succeed({ executionId, position: 1, version: 1 as const }),
  append: (executionId: string, events: ReadonlyArray<ExecutionEvent>) =>
    Effect.succeed({
      executionId,
      version: 1 + events.length,
      positions: events.map((_, i) => i + 2),
      deduplicated: false
    }),
  getEvents: (executionId: string) => Effect.succeed(stored.get(executionId) ?? [])
} as unknown as EventStoreShape
/** Every user's key held, as in a process that has written before. */
const keys = {
  master: Either.left(undefined),
  cached: () => key,
  cachedById: () => key,
  forUser: () => Effect.succeed(key),
  byId: () => Effect.succeed(key)
} as unknown as ContentKeysShape
const store = sealingEventStore(inner, keys, () => Effect.succeed(key.userId))

const best = new Map<string, number>()
const time = (label: string, f: () => void) => {
  const t = process.cpuUsage()
  f()
  const d = process.cpuUsage(t)
  best.set(label, Math.min(best.get(label) ?? Number.POSITIVE_INFINITY, (d.user + d.system) / (xs.length * 10)))
}
for (let r = 0; r < PASSES; r++) {
  time("write", () =>
    Effect.runSync(
      Effect.forEach(xs, (x) =>
        Effect.zipRight(store.startExecution(x.id, x.first), store.append(x.id, x.rest, { expectedVersion: 1 }))
      )
    )
  )
  time("write, one event per append", () =>
    Effect.runSync(
      Effect.forEach(xs, (x) =>
        Effect.zipRight(
          store.startExecution(x.id, x.first),
          Effect.forEach(x.rest, (e, k) => store.append(x.id, [e], { expectedVersion: k + 1 }), { discard: true })
        )
      )
    )
  )
  time("read", () => Effect.runSync(Effect.forEach(xs, (x) => store.getEvents(x.id))))
}
console.log(
  `BENCH_SECRET_SHARE=${process.env["BENCH_SECRET_SHARE"] ?? 1}: ` +
    [...best].map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ") +
    ` µs of CPU per event (best of ${PASSES})`
)
