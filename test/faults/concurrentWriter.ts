/**
 * A child process of concurrentWriters.test.ts: one of several processes writing one file at
 * once. After the parent creates `<go>` it writes for `<ms>` milliseconds, mixing
 *  - batches on executions of its own (started here; with and without an expected version),
 *  - single events on the shared execution with the version it just read as expected version
 *    (so writers conflict),
 * and prints one JSON line per outcome: `{"op":"ok",…}` for a write the store acknowledged,
 * `{"op":"error","tag":…,"code":…}` for a failure. The parent accepts only ConcurrencyError.
 *
 *   node --import tsx test/faults/concurrentWriter.ts <db file or postgres:// URL> <writer> <sharedId> <go> <ms>
 */
import type { ExecutionEvent } from "@cratos/domain"
import { Timestamp } from "@cratos/domain"
import { type DatabaseOpenError, EventStore, isPostgresUrl, type StorageError } from "@cratos/store"
import { Effect, type Layer } from "effect"
import { randomUUID } from "node:crypto"
import * as fs from "node:fs"
import { messageReceived } from "../store/helpers.js"
import { writeLine } from "../support/writeLine.js"

const [file, writer, sharedId, go, ms] = process.argv.slice(2)
if (file === undefined || writer === undefined || sharedId === undefined || go === undefined || ms === undefined) {
  throw new Error("usage: concurrentWriter <db> <writer> <sharedId> <go> <ms>")
}

const at = Timestamp.unsafeMake("2025-11-26T10:10:37.250Z")
const events = (batch: string, size: number): Array<ExecutionEvent> =>
  Array.from({ length: size }, (_, i) => ({
    type: "ToolInvoked" as const,
    tool: "exec",
    input: { batch, i, of: size },
    input_masked: { batch, i, of: size },
    timestamp: at
  }))

const program = Effect.gen(function* () {
  const store = yield* EventStore
  writeLine({ op: "ready" })
  while (!fs.existsSync(go)) yield* Effect.sleep("2 millis")
  const deadline = Date.now() + Number(ms)
  let n = 0
  let own = ""
  let ownVersion = 0
  while (Date.now() < deadline) {
    n++
    const batch = `${writer}-${n}`
    const kind = n % 4
    if (own === "" || n % 25 === 0) {
      own = randomUUID()
      const r = yield* Effect.either(store.startExecution(own, messageReceived({ text: `marker ${batch}` })))
      if (r._tag === "Left")
        writeLine({ op: "error", kind: "start", tag: r.left._tag, code: (r.left as { code?: string }).code })
      else {
        ownVersion = 1
        writeLine({ op: "ok", kind: "start", id: own, version: 1, positions: [r.right.position], batch, size: 1 })
      }
      continue
    }
    if (kind === 0 || kind === 1) {
      // The shared stream: read the version, append one event expecting it.
      const version = yield* Effect.either(store.streamVersion(sharedId))
      if (version._tag === "Left") {
        writeLine({ op: "error", kind: "read", tag: version.left._tag, code: version.left.code })
        continue
      }
      const r = yield* Effect.either(store.append(sharedId, events(batch, 1), { expectedVersion: version.right }))
      if (r._tag === "Left")
        writeLine({ op: "error", kind: "shared", tag: r.left._tag, code: (r.left as { code?: string }).code })
      else
        writeLine({
          op: "ok",
          kind: "shared",
          id: sharedId,
          version: r.right.version,
          positions: r.right.positions,
          batch,
          size: 1
        })
      continue
    }
    // An own execution: with an expected version (kind 2) or without one (kind 3).
    const size = 1 + (n % 5)
    const r = yield* Effect.either(
      store.append(own, events(batch, size), kind === 2 ? { expectedVersion: ownVersion } : {})
    )
    if (r._tag === "Left")
      writeLine({ op: "error", kind: "own", tag: r.left._tag, code: (r.left as { code?: string }).code })
    else {
      ownVersion = r.right.version
      writeLine({ op: "ok", kind: "own", id: own, version: r.right.version, positions: r.right.positions, batch, size })
    }
  }
  writeLine({ op: "done" })
})

const layer: Layer.Layer<EventStore, DatabaseOpenError | StorageError> = isPostgresUrl(file)
  ? EventStore.layerPostgres({ url: file })
  : EventStore.layer({ path: file })
Effect.runPromise(program.pipe(Effect.provide(layer))).catch((e: unknown) => {
  process.stderr.write(`concurrentWriter failed: ${String(e)}\n`)
  process.exit(1)
})
