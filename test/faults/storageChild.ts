/**
 * A child process of readOnlyFile.test.ts, run so that file modes apply to it (root ignores them):
 * opens the store on a file (read-write or `readonly`), tries an append and a start, and
 * prints what happened as one JSON line: `{open, append, start, version}`, each outcome
 * `{ok: true}` or `{ok: false, error: {_tag, code, path, message}}`.
 *
 *   node --import tsx test/faults/storageChild.ts <db> <rw|ro> <executionId>
 */
import { Database, EventStore } from "@cratos/store"
import { Context, Effect, Layer } from "effect"
import { messageReceived, toolInvoked } from "../store/helpers.js"

const [file, mode, executionId] = process.argv.slice(2)
if (file === undefined || mode === undefined || executionId === undefined)
  throw new Error("usage: storageChild <db> <rw|ro> <id>")

const describeError = (e: unknown) => {
  const r = e as { _tag?: string; code?: string; path?: string; message?: string }
  return { _tag: r._tag, code: r.code, path: r.path, message: r.message }
}

const layer =
  mode === "ro"
    ? EventStore.layerFromDatabase().pipe(Layer.provideMerge(Database.layer({ path: file, readonly: true })))
    : EventStore.layer({ path: file })

const program = Effect.gen(function* () {
  const built = yield* Effect.either(Layer.build(layer))
  if (built._tag === "Left") return { open: { ok: false, error: describeError(built.left) } }
  const store = Context.get(built.right, EventStore)
  const append = yield* Effect.either(store.append(executionId, [toolInvoked(99)]))
  const start = yield* Effect.either(store.startExecution(`${executionId}-new`, messageReceived()))
  const version = yield* Effect.either(store.streamVersion(executionId))
  return {
    open: { ok: true },
    append: append._tag === "Right" ? { ok: true } : { ok: false, error: describeError(append.left) },
    start: start._tag === "Right" ? { ok: true } : { ok: false, error: describeError(start.left) },
    version: version._tag === "Right" ? version.right : null
  }
})

Effect.runPromise(Effect.scoped(program)).then(
  (r) => process.stdout.write(JSON.stringify(r) + "\n"),
  (e: unknown) => {
    process.stderr.write(`storageChild failed: ${String(e)}\n`)
    process.exit(1)
  }
)
