/**
 * A child process of concurrency.test.ts: appends one event at a time to one execution of a
 * shared file, each with the version it just read as expected version, until the stream
 * reaches a target version. Prints what it won and lost as one JSON line.
 *
 * Both processes open the file, then wait for the go-file (barrier.ts) to start together.
 *
 *   node --import tsx test/store/raceAppender.ts <db file or postgres:// URL> <executionId> <targetVersion> <goFile>
 */
import { type DatabaseOpenError, EventStore, isPostgresUrl, type StorageError } from "@cratos/store"
import { Effect, type Layer } from "effect"
import { awaitGo } from "./barrier.js"
import { toolInvoked } from "./helpers.js"

const [file, executionId, target, goFile] = process.argv.slice(2)
if (file === undefined || executionId === undefined || target === undefined || goFile === undefined) {
  throw new Error("usage: raceAppender <db> <executionId> <targetVersion> <goFile>")
}

const program = Effect.gen(function* () {
  const store = yield* EventStore
  const wins: Array<{ version: number; position: number }> = []
  let conflicts = 0
  let busy = 0
  yield* Effect.promise(() => awaitGo(goFile))
  for (;;) {
    const version = yield* store.streamVersion(executionId)
    if (version >= Number(target)) break
    const r = yield* Effect.either(store.append(executionId, [toolInvoked(version)], { expectedVersion: version }))
    if (r._tag === "Right") wins.push({ version: r.right.version, position: r.right.positions[0]! })
    else if (r.left._tag === "ConcurrencyError") conflicts++
    else if (r.left._tag === "StorageError" && r.left.code.startsWith("SQLITE_BUSY")) busy++
    else return yield* Effect.fail(r.left)
  }
  process.stdout.write(JSON.stringify({ pid: process.pid, wins, conflicts, busy }) + "\n")
})

const layer: Layer.Layer<EventStore, DatabaseOpenError | StorageError> = isPostgresUrl(file)
  ? EventStore.layerPostgres({ url: file })
  : EventStore.layer({ path: file })
Effect.runPromise(program.pipe(Effect.provide(layer))).catch((e) => {
  process.stderr.write(String(e) + "\n")
  process.exit(1)
})
