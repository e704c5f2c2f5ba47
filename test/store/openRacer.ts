/**
 * A child process of openRace.test.ts: waits for the go-file (barrier.ts), opens the store on a
 * file (creating, migrating or adopting it, as the first opener would), starts one execution
 * and appends to it. Exits 0 and prints "ok" when all of that worked.
 *
 *   node --import tsx test/store/openRacer.ts <db> <goFile>
 */
import { EventStore } from "@cratos/store"
import { Effect } from "effect"
import { awaitGo } from "./barrier.js"
import { messageReceived, newId, toolInvoked } from "./helpers.js"

const [file, goFile] = process.argv.slice(2)
if (file === undefined || goFile === undefined) throw new Error("usage: openRacer <db> <goFile>")

await awaitGo(goFile)

const program = Effect.gen(function* () {
  const store = yield* EventStore
  const id = newId()
  yield* store.startExecution(id, messageReceived())
  yield* store.append(id, [toolInvoked(1)], { expectedVersion: 1 })
  process.stdout.write("ok\n")
})

Effect.runPromise(program.pipe(Effect.provide(EventStore.layer({ path: file })))).catch((e) => {
  process.stderr.write(String(e) + "\n")
  process.exit(1)
})
