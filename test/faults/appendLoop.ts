/**
 * A child process of killAppends.test.ts: appends batches of events to a file until it is
 * killed, and prints one line per acknowledged write AFTER the store returned it:
 *
 *   {"op":"start"|"append","id":…,"version":…,"positions":[…],"batch":…,"size":…}
 *
 * Every event of a batch carries the batch's marker (`{batch, i, of}` in a ToolInvoked input;
 * `batch` in the MessageReceived text), so the parent can tell a batch that is all there from
 * one that is half there. Lines are written with fs.writeSync: a line is on the pipe before
 * the next append starts, and a kill can at worst cut the line being written (the parent
 * ignores an unterminated last line).
 *
 *   node --import tsx test/faults/appendLoop.ts <db file or postgres:// URL> <runTag> [<executionId to continue>]
 */
import { type ExecutionEvent, type MessageReceived, Timestamp } from "@cratos/domain"
import { type DatabaseOpenError, EventStore, isPostgresUrl, type StorageError } from "@cratos/store"
import { Effect, type Layer } from "effect"
import { randomUUID } from "node:crypto"
import { messageReceived } from "../store/helpers.js"
import { writeLine } from "../support/writeLine.js"

const [file, runTag, continueId] = process.argv.slice(2)
if (file === undefined || runTag === undefined) throw new Error("usage: appendLoop <db> <runTag> [<executionId>]")

const at = Timestamp.unsafeMake("2025-11-26T10:10:37.250Z")
/** Some padding so batches span several WAL pages and a kill can land inside one. */
const pad = (n: number): string => "p".repeat((n * 7919) % 3000)

const batchEvents = (batch: string, size: number): Array<ExecutionEvent> =>
  Array.from({ length: size }, (_, i) => ({
    type: "ToolInvoked" as const,
    tool: "exec",
    input: { batch, i, of: size, pad: pad(i + size) },
    input_masked: { batch, i, of: size },
    timestamp: at
  }))

const program = Effect.gen(function* () {
  const store = yield* EventStore
  let n = 0
  let id: string
  let version: number
  if (continueId !== undefined && continueId !== "") {
    id = continueId
    version = yield* store.streamVersion(id)
  } else {
    id = ""
    version = 0
  }
  for (;;) {
    n++
    const batch = `${runTag}-${n}`
    if (id === "" || n % 9 === 0) {
      id = randomUUID()
      const event: MessageReceived = messageReceived({ text: `marker ${batch}` })
      const r = yield* store.startExecution(id, event)
      version = 1
      writeLine({ op: "start", id, version: 1, positions: [r.position], batch, size: 1 })
      continue
    }
    const size = 2 + (n % 4)
    const r = yield* store.append(id, batchEvents(batch, size), { expectedVersion: version })
    version = r.version
    writeLine({ op: "append", id, version: r.version, positions: r.positions, batch, size })
  }
})

const layer: Layer.Layer<EventStore, DatabaseOpenError | StorageError> = isPostgresUrl(file)
  ? EventStore.layerPostgres({ url: file })
  : EventStore.layer({ path: file })
Effect.runPromise(program.pipe(Effect.provide(layer))).catch((e: unknown) => {
  process.stderr.write(`appendLoop failed: ${String(e)}\n`)
  process.exit(1)
})
