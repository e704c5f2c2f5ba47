/**
 * A child process of location.test.ts: opens the store's Database on a path and prints one JSON
 * line, `{ ok, tag, path, reason, ms }`, `ms` being how long opening took. Run in a child so
 * that an open that never returns is killed by the test's timeout instead of hanging the suite.
 *
 *   node --import tsx test/store/openPath.ts <db>
 */
import { Database } from "@cratos/store"
import { Effect, Exit } from "effect"

const [file] = process.argv.slice(2)
if (file === undefined) throw new Error("usage: openPath <db>")

const started = performance.now()
const exit = await Effect.runPromiseExit(Effect.scoped(Effect.provide(Effect.void, Database.layer({ path: file }))))
const ms = Math.round(performance.now() - started)
const line = Exit.match(exit, {
  onSuccess: () => ({ ok: true, ms }),
  onFailure: (cause) => {
    const error = cause._tag === "Fail" ? cause.error : undefined
    return error === undefined
      ? { ok: false, tag: "Defect", reason: String(cause), ms }
      : { ok: false, tag: error._tag, path: error.path, reason: error.reason, ms }
  }
})
process.stdout.write(`${JSON.stringify(line)}\n`)
