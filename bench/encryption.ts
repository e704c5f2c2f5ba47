/**
 * What encryption at rest costs (issue 14): W1–W4 through the store with encryption off (the
 * sealing store with `seal: false`, as `cratos --encryption off` builds it) and on (the sealing
 * store and its ContentKeys, as `cratos` builds it by default), alternated in the same run on the
 * same fixtures. With `--baseline none` "off" is instead `EventStore.layer`, the store without any
 * encryption code, as this bench measured it until the ninth session (bench/lib/db.ts,
 * `Encryption`). The figure is on/off (events/s); the target is ≥ 0.85 (on within 15% of off).
 * Beside it, the same ratio in events per CPU second of the timed sections (process.cpuUsage): on
 * a shared machine the wall time also counts the time other processes held the cores, the CPU
 * time does not. "best per CPU s" compares each mode's best run (the run least slowed by other
 * processes' cache traffic).
 *
 *   [BENCH_SECRET_SHARE=1] pnpm tsx bench/encryption.ts [--sizes 20000] [--runs 3] [--baseline off|none] [--json]
 *
 * `BENCH_SECRET_SHARE` (bench/fixtures.ts, default 1: every execution) is the share of executions
 * whose tool calls carry credentials: what "on" costs follows the share of events it seals.
 *
 * W1 and W2 append onto fresh files; W3 reads and W4 projects the log W2 wrote last in the same
 * mode (so "on" reads and projects sealed rows).
 *
 * W3m is the read `show`, the API and the web UI make by default: `readStream` of every execution
 * and each event in the masked view (`ContentReader.masked`, or with `--baseline none`
 * `ContentReader.plain`'s: `maskRawContent` of each event). A v3 envelope carries its masked copy
 * and the tool input and output have theirs in the event, so "on" opens nothing there.
 */
import * as os from "node:os"
import { EVENTS_PER_EXECUTION } from "./fixtures.js"
import { type Encryption, removeDb } from "./lib/db.js"
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
const baseline = option("--baseline") ?? "off"
if (baseline !== "off" && baseline !== "none") {
  console.error(
    `--baseline takes off (cratos --encryption off) or none (the store without encryption code), not ${baseline}`
  )
  process.exit(2)
}
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
const maskedRead = async (file: string, executions: number, encryption: Encryption): Promise<Timing> => {
  const rt = ManagedRuntime.make(storeLayer(file, "NORMAL", encryption))
  const store = await rt.runPromise(EventStore)
  // the sealing store's reader; without one (`--baseline none`) the plain reader (as stored, masked)
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
  console.error(
    `load average at start: ${load.map((l) => l.toFixed(2)).join(" ")}; ${os.cpus().length} CPUs; ` +
      `off is ${baseline === "off" ? "cratos --encryption off" : "the store without encryption code (--baseline none)"}`
  )
  for (const n of sizes) {
    const executions = n / EVENTS_PER_EXECUTION
    const figures: Record<
      string,
      { off: Array<number>; on: Array<number>; offCpu: Array<number>; onCpu: Array<number> }
    > = Object.fromEntries(["W1", "W2", "W3", "W3m", "W4"].map((w) => [w, { off: [], on: [], offCpu: [], onCpu: [] }]))
    for (let r = 0; r < runs; r++) {
      // alternate which mode goes first, so a drift in the machine's load hits both
      for (const mode of r % 2 === 0 ? (["off", "on"] as const) : (["on", "off"] as const)) {
        const encryption: Encryption = mode === "on" ? "on" : baseline
        const record = (w: string, t: Timing) => {
          figures[w]![mode].push(rate(t))
          figures[w]![mode === "on" ? "onCpu" : "offCpu"].push(cpuRate(t))
        }
        record("W1", await storeAppend("single", executions, false, "NORMAL", encryption))
        const w2 = await storeAppend("batch", executions, true, "NORMAL", encryption)
        record("W2", w2)
        record("W3", await storeRead(w2.path, executions, encryption))
        record("W3m", await maskedRead(w2.path, executions, encryption))
        record("W4", await Projection.store(w2.path, encryption))
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
          // rounded down, so a ratio just under the target never prints as the target
          (Math.floor(ratio * 100) / 100).toFixed(2),
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
