/**
 * An export file of N finished executions of 2 events each (MessageReceived, ResponseSent, from
 * bench/fixtures.ts), for `cratos import`: the database the web UI's list is timed on
 * (apps/web/scripts/firstRows.ts; 100,000 executions = 200,000 events, as issue 12 describes it).
 *
 *   pnpm exec tsx bench/listExport.ts 100000 /tmp/100k.jsonl && cratos import /tmp/100k.jsonl --db /tmp/100k.db
 */
import { encodeEvent } from "@cratos/domain"
import { Either } from "effect"
import * as fs from "node:fs"
import { executionEvents, executionIdOf, userOf } from "./fixtures.js"

const [count, file] = process.argv.slice(2)
if (count === undefined || file === undefined) throw new Error("usage: listExport.ts EXECUTIONS FILE")
const fd = fs.openSync(file, "w")
for (let i = 0; i < Number(count); i++) {
  const all = executionEvents(i)
  const lines = [all[0]!, all.at(-1)!].map((event, k) =>
    JSON.stringify({
      execution_id: executionIdOf(i),
      user_id: userOf(i),
      position: k + 1,
      event: Either.getOrThrow(encodeEvent(event))
    })
  )
  fs.writeSync(fd, `${lines.join("\n")}\n`)
}
fs.closeSync(fd)
