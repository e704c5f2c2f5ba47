/**
 * Child process of the RSS measurement: resets the status and summary projections on the file,
 * then catches the projector up from position 0 over the whole log, and prints one JSON line:
 * peak RSS (process.resourceUsage().maxRSS) after loading and opening (baseline) and after the
 * catch-up.
 */
import { Projector } from "@cratos/projector"
import { projectorRuntime } from "./workloads/project.js"

const file = process.argv[2]
if (file === undefined) throw new Error("usage: rssChild.ts FILE")
const rt = projectorRuntime(file)
const projector = await rt.runPromise(Projector)
await rt.runPromise(projector.reset())
const baseline = process.resourceUsage().maxRSS
const t0 = performance.now()
const result = await rt.runPromise(projector.catchUp)
const seconds = (performance.now() - t0) / 1000
const peak = process.resourceUsage().maxRSS
await rt.dispose()
process.stdout.write(
  JSON.stringify({ events: result.events, maxRssMb: peak / 1024, baselineRssMb: baseline / 1024, seconds }) + "\n"
)
