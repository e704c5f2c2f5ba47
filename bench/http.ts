/**
 * HTTP benchmarks of `cratos serve` (issue 11), each against a ceiling measured in the same run:
 *
 * - HTTP ingest of W2's workload (per execution: one create with its MessageReceived, then one
 *   append of its other 9 events) from 16 keep-alive clients on loopback, to `cratos-serve`
 *   (its own process, `--projector off`: the ceiling does not project either) and to the ceiling
 *   (`httpCeiling.ts`: a bare node:http server, JSON.parse + W2's prepared statements). Events/s,
 *   the ratio, and p50/p99 per request of each.
 * - SSE fan-out: 100 subscribers of `/api/v1/events`; executions appended one at a time; the
 *   delay from an append's answer to each subscriber's frame of it (p50/p99 over all pairs).
 *
 * Each server is a fresh process on a fresh file. Before the measured ingest, both sides take a
 * warm-up of other executions of the same workload (`--warmup`, default 300 executions, untimed):
 * a server runs for days, and what a cold one pays once (V8 compiling the routes, the codec, the
 * masker and the cipher; a data key created for each of the fixtures' 200 users) is not its
 * steady state. `--warmup 0` measures a cold process, as the fourth and fifth sessions' rows did.
 *
 *   pnpm bench:http [--executions N] [--runs R] [--warmup N] [--fanout-executions N] [--only ingest|fanout]
 *                   [--cpu-prof DIR]   (each server writes V8 CPU profiles into DIR/serve, DIR/ceiling)
 *                   [--serve-entry FILE]   (run FILE, e.g. an unminified bundle of apps/server/src/main.ts,
 *                                           instead of apps/server/bin/cratos-serve.mjs)
 *                   [--baseline-entry FILE]   (also measure FILE, e.g. a bundle of the code before a change, in
 *                                              each run: an A/B under the same load)
 *   (bench/serveBundle.mjs builds such bundles.)
 * The client is this process (fetch, undici's keep-alive pool): its cost is part of both sides.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process"
import { readFileSync } from "node:fs"
import { loadavg } from "node:os"
import { encodeEvent } from "@cratos/domain"
import { createToken, TokenStore } from "@cratos/server"
import { Database } from "@cratos/store"
import { Effect, Either } from "effect"
import { chunk } from "./fixtures.js"
import { freshPath, removeDb } from "./lib/db.js"
import { num, percentile, spread, table } from "./lib/stats.js"

const argv = process.argv.slice(2)
const option = (name: string) => {
  const i = argv.indexOf(name)
  return i === -1 ? undefined : argv[i + 1]
}
const EXECUTIONS = Number(option("--executions") ?? 2_000)
const RUNS = Number(option("--runs") ?? 3)
const WARMUP = Number(option("--warmup") ?? 300)
const CLIENTS = 16
const SUBSCRIBERS = 100
const FANOUT_EXECUTIONS = Number(option("--fanout-executions") ?? 100)
const root = new URL("..", import.meta.url).pathname
const ONLY = option("--only")
const CPU_PROF = option("--cpu-prof")
const SERVE_ENTRY = option("--serve-entry") ?? `${root}apps/server/bin/cratos-serve.mjs`
const BASELINE_ENTRY = option("--baseline-entry")
/** Node's flags for a V8 CPU profile of a child into DIR/NAME (one file per thread: the tsx loader has its own). */
const profileArgs = (name: string) =>
  CPU_PROF === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", `${CPU_PROF}/${name}`]

const wire = (e: Parameters<typeof encodeEvent>[0]) => Either.getOrThrow(encodeEvent(e))

interface Request {
  readonly create: string
  readonly append: string
  readonly id: string
}

/** The measured requests, or (`warmup`) as many others, of executions after the measured ones. */
const requests = (warmup = false): Array<Request> =>
  (warmup ? chunk(EXECUTIONS, EXECUTIONS + WARMUP) : chunk(0, EXECUTIONS)).map((x) => ({
    id: x.id,
    create: JSON.stringify({ execution_id: x.id, user_id: x.first.message.user_id, event: wire(x.first) }),
    append: JSON.stringify({ events: x.rest.map(wire) })
  }))

const startChild = (
  command: string,
  args: ReadonlyArray<string>,
  pattern: RegExp
): Promise<{ child: ChildProcess; port: number }> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] })
    let text = ""
    const on = (d: Buffer) => {
      text += d.toString()
      const m = pattern.exec(text)
      if (m?.[1] !== undefined) resolve({ child, port: Number(m[1]) })
    }
    child.stdout!.on("data", on)
    child.stderr!.on("data", on)
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${text}`)))
  })

const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100

/** User and system CPU seconds from a /proc stat file (NaN where there is none). */
const statTimes = (file: string): { readonly user: number; readonly system: number } => {
  try {
    const stat = readFileSync(file, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return { user: Number(fields[11]) / ticksPerSecond, system: Number(fields[12]) / ticksPerSecond }
  } catch {
    return { user: Number.NaN, system: Number.NaN }
  }
}

/**
 * The CPU seconds a child has used so far: in all (every thread, user + system), in the kernel, and
 * on its main thread (the JavaScript; the others are V8's compiler and GC helpers, libuv's pool).
 */
const cpuTimes = (child: ChildProcess) => {
  const all = statTimes(`/proc/${child.pid}/stat`)
  const main = statTimes(`/proc/${child.pid}/task/${child.pid}/stat`)
  return { total: all.user + all.system, system: all.system, main: main.user + main.system }
}

/**
 * `ingest` against a child server, after its warm-up, with the CPU seconds the server spent on the
 * measured part (all, in the kernel, main thread).
 */
const measured = async (child: ChildProcess, run: () => ReturnType<typeof ingest>, warmup: () => Promise<unknown>) => {
  await warmup()
  const before = cpuTimes(child)
  const result = await run()
  const after = cpuTimes(child)
  return {
    ...result,
    cpuSeconds: after.total - before.total,
    systemSeconds: after.system - before.system,
    mainSeconds: after.main - before.main
  }
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once("exit", () => resolve())
    child.kill("SIGTERM")
  })

const tokenFor = (db: string, scopes: string) =>
  Effect.runPromise(
    createToken({ name: `bench-${scopes.replace(/,/g, "-")}`, scopes }).pipe(
      Effect.provide(TokenStore.layer),
      Effect.provide(Database.layer({ path: db }))
    )
  )

/** 16 clients ingest every execution; events/s and per-request latencies (ms). */
const ingest = async (base: string, token: string | null, reqs: ReadonlyArray<Request>) => {
  const headers: Record<string, string> = { "content-type": "application/json" }
  if (token !== null) headers["authorization"] = `Bearer ${token}`
  const latencies: number[] = []
  let next = 0
  const post = async (url: string, body: string, want: number) => {
    const t = performance.now()
    const r = await fetch(url, { method: "POST", headers, body })
    await r.arrayBuffer()
    latencies.push(performance.now() - t)
    if (r.status !== want) throw new Error(`${url}: ${r.status}`)
  }
  const start = performance.now()
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < reqs.length) {
        const x = reqs[next++]!
        await post(`${base}/api/v1/executions`, x.create, 201)
        await post(`${base}/api/v1/executions/${x.id}/events`, x.append, 200)
      }
    })
  )
  const seconds = (performance.now() - start) / 1000
  return { eventsPerSecond: (reqs.length * 10) / seconds, latencies }
}

const serveArgs = (entry: string, db: string, extra: ReadonlyArray<string> = []) => [
  ...profileArgs(entry === SERVE_ENTRY ? "serve" : "baseline"),
  entry,
  "--port",
  "0",
  "--db",
  db,
  "--rate-per-second",
  "1000000",
  "--max-streams",
  "1000",
  ...extra
]

const cpuNotes: string[] = []

const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/

interface Side {
  readonly eventsPerSecond: number[]
  readonly latencies: number[]
  readonly cpu: number[]
  /** of which on the main thread */
  readonly main: number[]
}
const side = (): Side => ({ eventsPerSecond: [], latencies: [], cpu: [], main: [] })
const record = (into: Side, r: Awaited<ReturnType<typeof measured>>) => {
  into.eventsPerSecond.push(r.eventsPerSecond)
  into.latencies.push(...r.latencies)
  into.cpu.push(r.cpuSeconds)
  into.main.push(r.mainSeconds)
}

/** One measured ingest by `cratos serve` run from `entry` on a fresh file. */
const ingestServed = async (entry: string, reqs: ReadonlyArray<Request>, warm: ReadonlyArray<Request>) => {
  const db = freshPath("http-serve")
  const token = await tokenFor(db, "read,ingest")
  const s = await startChild(process.execPath, serveArgs(entry, db, ["--projector", "off"]), LISTENING)
  const base = `http://127.0.0.1:${s.port}`
  const r = await measured(
    s.child,
    () => ingest(base, token, reqs),
    () => ingest(base, token, warm)
  )
  await stop(s.child)
  removeDb(db)
  return r
}

const ingestRows = async () => {
  const reqs = requests()
  const warm = requests(true)
  const served = side()
  const ceiling = side()
  const baseline = side()
  for (let run = 0; run < RUNS; run++) {
    const cdb = freshPath("http-ceiling")
    const c = await startChild(
      process.execPath,
      [...profileArgs("ceiling"), "--import", "tsx", `${root}bench/httpCeiling.ts`, cdb],
      /listening (\d+)/
    )
    const cbase = `http://127.0.0.1:${c.port}`
    const cr = await measured(
      c.child,
      () => ingest(cbase, null, reqs),
      () => ingest(cbase, null, warm)
    )
    await stop(c.child)
    removeDb(cdb)
    record(ceiling, cr)
    const sr = await ingestServed(SERVE_ENTRY, reqs, warm)
    record(served, sr)
    const br = BASELINE_ENTRY === undefined ? undefined : await ingestServed(BASELINE_ENTRY, reqs, warm)
    if (br !== undefined) record(baseline, br)
    const line = (r: Awaited<ReturnType<typeof measured>>) =>
      `${num(r.eventsPerSecond)} events/s (server CPU ${r.cpuSeconds.toFixed(2)} s: ` +
      `${r.mainSeconds.toFixed(2)} s main thread, ${r.systemSeconds.toFixed(2)} s system)`
    console.error(
      `run ${run + 1}/${RUNS}: cratos serve ${line(sr)}, ceiling ${line(cr)}${br === undefined ? "" : `, baseline ${line(br)}`}`
    )
  }
  const perThousand = (x: Side, of: "cpu" | "main" = "cpu") => (spread(x[of]).median / (EXECUTIONS * 10)) * 1e6
  for (const [what, of] of [
    ["server CPU", "cpu"],
    ["server main-thread CPU", "main"]
  ] as const) {
    cpuNotes.push(
      `${what} per 1,000 events (median of runs): cratos serve ${perThousand(served, of).toFixed(0)} ms, ` +
        `ceiling ${perThousand(ceiling, of).toFixed(0)} ms (ratio ${(perThousand(ceiling, of) / perThousand(served, of)).toFixed(2)})` +
        (BASELINE_ENTRY === undefined ? "" : `, baseline ${perThousand(baseline, of).toFixed(0)} ms`)
    )
  }
  const row = (name: string, x: Side) => {
    const s = spread(x.eventsPerSecond)
    const c = spread(ceiling.eventsPerSecond)
    const ratios = x.eventsPerSecond.map((v, i) => v / ceiling.eventsPerSecond[i]!)
    return [
      name,
      `${EXECUTIONS * 10}`,
      `${num(s.median)} [${num(s.min)}–${num(s.max)}]`,
      `${num(c.median)} [${num(c.min)}–${num(c.max)}]`,
      `${spread(ratios).median.toFixed(2)} (target ≥ 0.5)`,
      `${percentile(x.latencies, 50).toFixed(1)} / ${percentile(x.latencies, 99).toFixed(1)}`,
      `${percentile(ceiling.latencies, 50).toFixed(1)} / ${percentile(ceiling.latencies, 99).toFixed(1)}`
    ]
  }
  return [
    row("HTTP ingest (W2, 16 clients)", served),
    ...(BASELINE_ENTRY === undefined ? [] : [row(`  baseline: ${BASELINE_ENTRY.split("/").pop()}`, baseline)])
  ]
}

/** 100 SSE subscribers of the whole log; append → frame delay per subscriber. */
const fanout = async () => {
  const db = freshPath("http-fanout")
  const token = await tokenFor(db, "read,ingest")
  const s = await startChild(process.execPath, serveArgs(SERVE_ENTRY, db, ["--projector", "off"]), LISTENING)
  const base = `http://127.0.0.1:${s.port}`
  const arrivals: Array<Map<number, number>> = []
  const controllers: AbortController[] = []
  await Promise.all(
    Array.from({ length: SUBSCRIBERS }, async () => {
      const controller = new AbortController()
      controllers.push(controller)
      const seen = new Map<number, number>()
      arrivals.push(seen)
      const r = await fetch(`${base}/api/v1/events`, {
        headers: { authorization: `Bearer ${token}` },
        signal: controller.signal
      })
      void (async () => {
        const decoder = new TextDecoder()
        let buffer = ""
        try {
          for await (const c of r.body as unknown as AsyncIterable<Uint8Array>) {
            const now = performance.now()
            buffer += decoder.decode(c, { stream: true })
            let end: number
            while ((end = buffer.indexOf("\n\n")) !== -1) {
              const m = /^id: (\d+)/m.exec(buffer.slice(0, end))
              if (m !== null) seen.set(Number(m[1]), now)
              buffer = buffer.slice(end + 2)
            }
          }
        } catch {
          // aborted
        }
      })()
    })
  )
  const answered = new Map<number, number>()
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` }
  for (const x of requests().slice(0, FANOUT_EXECUTIONS)) {
    const r = await fetch(`${base}/api/v1/executions`, { method: "POST", headers, body: x.create })
    const t = performance.now()
    answered.set(((await r.json()) as { position: number }).position, t)
  }
  await new Promise((r) => setTimeout(r, 2_000))
  const delays: number[] = []
  let missing = 0
  for (const seen of arrivals) {
    for (const [position, at] of answered) {
      const got = seen.get(position)
      if (got === undefined) missing++
      else delays.push(Math.max(0, got - at))
    }
  }
  for (const c of controllers) c.abort()
  await stop(s.child)
  removeDb(db)
  return [
    [
      `SSE fan-out (${SUBSCRIBERS} subscribers)`,
      `${FANOUT_EXECUTIONS} appends`,
      `${delays.length} deliveries, ${missing} missing`,
      "",
      "",
      `${percentile(delays, 50).toFixed(1)} / ${percentile(delays, 99).toFixed(1)}`,
      ""
    ]
  ]
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")
console.error(`load average at start: ${load()}`)
console.error(
  WARMUP > 0
    ? `each server takes a warm-up of ${WARMUP} other executions before the measured ${EXECUTIONS} (--warmup 0: cold)`
    : `cold: each server is measured from its first request (--warmup 0)`
)
const rows = [
  ...(ONLY === undefined || ONLY === "ingest" ? await ingestRows() : []),
  ...(ONLY === undefined || ONLY === "fanout" ? await fanout() : [])
]
console.log(
  table(
    [
      "workload",
      "events",
      "cratos serve (events/s)",
      "ceiling (events/s)",
      "ratio",
      "p50 / p99 ms",
      "ceiling p50 / p99 ms"
    ],
    rows
  )
)
for (const note of cpuNotes) console.log(note)
console.log(`load average at the end: ${load()}`)
