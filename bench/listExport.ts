/**
 * An export file of N finished executions of 2 events each (MessageReceived, ResponseSent, from
 * bench/fixtures.ts), for `cratos import`: the database the web UI's list is timed on
 * (apps/web/scripts/firstRows.ts; 100,000 executions = 200,000 events, as issue 12 describes it).
 *
 *   pnpm exec tsx bench/listExport.ts 100000 /tmp/100k.jsonl && cratos import /tmp/100k.jsonl --db /tmp/100k.db
 */
import { executionEvents } from "./fixtures.js"
import { writeExportFile } from "./workloads/cliImport.js"

const [count, file] = process.argv.slice(2)
if (count === undefined || file === undefined) throw new Error("usage: listExport.ts EXECUTIONS FILE")
writeExportFile(file, Number(count), (i) => {
  const all = executionEvents(i)
  return [all[0]!, all.at(-1)!]
})
