/**
 * What encryption at rest costs (issue 14): W1–W4 through the store with encryption off (the
 * plain `EventStore`, as `--encryption off` builds it) and on (the sealing store and its
 * ContentKeys, as `cratos` builds it by default), alternated in the same run on the same fixtures.
 * The figure is on/off (events/s); the target is ≥ 0.85 (on within 15% of off). Beside it, the same
 * ratio in events per CPU second of the timed sections (process.cpuUsage): on a shared machine the
 * wall time also counts the time other processes held the cores, the CPU time does not. "best per
 * CPU s" compares each mode's best run (the run least slowed by other processes' cache traffic).
 *
 *   [BENCH_SECRET_SHARE=1] pnpm tsx bench/encryption.ts [--sizes 20000] [--runs 3] [--json]
 *
 * `BENCH_SECRET_SHARE` (bench/fixtures.ts, default 1: every execution) is the share of executions
 * whose tool calls carry credentials: what "on" costs follows the share of events it seals.
 *
 * W1 and W2 append onto fresh files; W3 reads and W4 projects the log W2 wrote last in the same
 * mode (so "on" reads and projects sealed rows).
 *
 * W3m is the read `show`, the API and the web UI make by default: `readStream` of every execution
 * and each event in the masked view (`maskRawContent` with the store's `maskedText`). Both modes
 * do exactly that; "on" also opens the text fields that have no masked copy (message, response,
 * error text), and leaves the tool input and output sealed, as `ContentReader.masked` does.
 */
import * as os from "node:os"
import { EVENTS_PER_EXECUTION } from "./fixtures.js"
import { removeDb } from "./lib/db.js"
import { median, num, size as sizeLabel, table } from "./lib/stats.js"
import { ContentReader, type ContentReaderShape, EventStore } from "@cratos/store"
import { Effect, ManagedRuntime, Option } from "effect"
import { executionIdOf } from "./fixtures.js"
import { storeLayer } from "./lib/db.js"
import { breathe, Stopwatch } from "./lib/stopwatch.js"
import { storeAppend, type Timing } from "./workloads/append.js"
import * as Projection from "./workloads/project.js"
import { storeRead } from "./workloads/read.js"

const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(name)
  return i === -1 ? undefined : process.argv[i + 1]
}
const sizes = (option("--sizes") ?? "20000").split(",").map(Number)
const runs = Number(option("--runs") ?? 3)
const TARGET = 0.85

interface Row {
  readonly id: string
  readonly what: string
  readonly size: number
  readonly off: ReadonlyArray<number>
  readonly on: ReadonlyArray<number>
  readonly offCpu: ReadonlyArray<number>
  readonly onCpu: ReadonlyArray<number>
}

/** W3m: every execution read in the masked view, 1000 executions per timed block. */
const maskedRead = async (file: string, executions: number, sealed: boolean): Promise<Timing> => {
  const rt = ManagedRuntime.make(storeLayer(file, "NORMAL", sealed))
  const store = await rt.runPromise(EventStore)
  // off: the plain reader (reads as stored, masks); on: the sealing store's reader
  const reader: ContentReaderShape = Option.getOrElse(await rt.runPromise(Effect.serviceOption(ContentReader)), () =>
    ContentReader.plain(store)
  )
  let n = 0
  const watch = new Stopwatch()
  for (let from = 0; from < executions; from += 1000) {
    const to = Math.min(executions, from + 1000)
    watch.start()
    n += rt.runSync(
      Effect.gen(function* () {
        let count = 0
        for (let i = from; i < to; i++) {
          count += (yield* reader.masked(yield* reader.asStored.readStream(executionIdOf(i)))).length
        }
        return count
      })
    )
    watch.stop()
    await breathe()
  }
  await rt.dispose()
  return { seconds: watch.seconds, cpuSeconds: watch.cpuSeconds, events: n }
}

const rate = (t: Timing) => t.events / t.seconds
const cpuRate = (t: Timing) => t.events / t.cpuSeconds

const main = async () => {
  const rows: Array<Row> = []
  const load = os.loadavg()
  console.error(`load average at start: ${load.map((l) => l.toFixed(2)).join(" ")}; ${os.cpus().length} CPUs`)
  for (const n of sizes) {
    const executions = n / EVENTS_PER_EXECUTION
    const figures: Record<
      string,
      { off: Array<number>; on: Array<number>; offCpu: Array<number>; onCpu: Array<number> }
    > = Object.fromEntries(["W1", "W2", "W3", "W3m", "W4"].map((w) => [w, { off: [], on: [], offCpu: [], onCpu: [] }]))
    for (let r = 0; r < runs; r++) {
      // alternate which mode goes first, so a drift in the machine's load hits both
      for (const sealed of r % 2 === 0 ? [false, true] : [true, false]) {
        const mode = sealed ? "on" : "off"
        const record = (w: string, t: Timing) => {
          figures[w]![mode].push(rate(t))
          figures[w]![sealed ? "onCpu" : "offCpu"].push(cpuRate(t))
        }
        record("W1", await storeAppend("single", executions, false, "NORMAL", sealed))
        const w2 = await storeAppend("batch", executions, true, "NORMAL", sealed)
        record("W2", w2)
        record("W3", await storeRead(w2.path, executions, sealed))
        record("W3m", await maskedRead(w2.path, executions, sealed))
        record("W4", await Projection.store(w2.path, sealed))
        removeDb(w2.path)
        console.error(
          `${sizeLabel(n)} run ${r + 1}/${runs} encryption ${mode}: ` +
            ["W1", "W2", "W3", "W3m", "W4"].map((w) => `${w} ${num(figures[w]![mode].at(-1)!)}`).join(", ") +
            " events/s"
        )
      }
    }
    const what: Record<string, string> = {
      W1: "append, 1 event per tx",
      W2: "startExecution + append of 9",
      W3: "getEvents of every execution (full open)",
      W3m: "readStream + masked view (show/API)",
      W4: "projector catch-up from 0"
    }
    for (const [id, f] of Object.entries(figures)) rows.push({ id, what: what[id]!, size: n, ...f })
  }
  const loadEnd = os.loadavg()
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify({ load: { start: load, end: loadEnd }, rows }, null, 2))
    return
  }
  console.log(
    table(
      [
        "",
        "workload",
        "size",
        "runs",
        "off events/s (median)",
        "on events/s (median)",
        "on/off",
        "target",
        "on/off per CPU s",
        "best per CPU s"
      ],
      rows.map((r) => {
        const ratio = median(r.on) / median(r.off)
        return [
          r.id,
          r.what,
          sizeLabel(r.size),
          String(r.on.length),
          num(median(r.off)),
          num(median(r.on)),
          ratio.toFixed(2),
          `≥ ${TARGET}${ratio >= TARGET ? "" : " MISSED"}`,
          (median(r.onCpu) / median(r.offCpu)).toFixed(2),
          (Math.max(...r.onCpu) / Math.max(...r.offCpu)).toFixed(2)
        ]
      })
    )
  )
  console.log(
    `load average: start ${load.map((l) => l.toFixed(2)).join(" ")}, end ${loadEnd.map((l) => l.toFixed(2)).join(" ")}`
  )
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
