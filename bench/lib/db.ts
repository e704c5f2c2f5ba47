/**
 * Temp databases for the benchmarks: one folder per harness run (removed at exit), a fresh file
 * per write run, opened through the store's own Database layer so that the store and its
 * ceiling see the same schema, triggers and pragmas (WAL, synchronous=NORMAL, foreign_keys).
 */
import { ContentKeys, Database, encryptedEventStore, EventStore, type Synchronous } from "@cratos/store"
import type BetterSqlite3 from "better-sqlite3"
import { Effect, Layer, Logger, LogLevel, ManagedRuntime, Option } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { USERS, userOf } from "../fixtures.js"

let root: string | undefined
let counter = 0

const cleanup = () => {
  if (root !== undefined) fs.rmSync(root, { recursive: true, force: true })
  root = undefined
}

/** The harness's temp folder (under $TMPDIR, or BENCH_TMPDIR). */
export const tempRoot = (): string => {
  if (root === undefined) {
    const base = process.env["BENCH_TMPDIR"] ?? os.tmpdir()
    root = fs.mkdtempSync(path.join(base, "cratos-bench-"))
    process.on("exit", cleanup)
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      process.once(sig, () => {
        cleanup()
        process.exit(130)
      })
    }
  }
  return root
}

/** A path for a new database file. */
export const freshPath = (label: string): string => path.join(tempRoot(), `${label}-${++counter}.db`)

/** Removes a database file and its WAL/SHM companions. */
export const removeDb = (file: string): void => {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true })
}

/** Size of the file and its WAL, in bytes. */
export const dbBytes = (file: string): number => {
  let n = 0
  for (const suffix of ["", "-wal"]) {
    try {
      n += fs.statSync(file + suffix).size
    } catch {
      // absent
    }
  }
  return n
}

export type StoreRuntime = ManagedRuntime.ManagedRuntime<EventStore | Database, unknown>

/** The master key the sealed runs use (a fixed bench key: never a user's). */
export const BENCH_MASTER_KEY = Buffer.alloc(32, 0x5a).toString("base64")

/**
 * Which store a bench builds (issue 14, encryption at rest):
 * - "none": `EventStore.layer`, the store without any encryption code (every bench before issue 14);
 * - "off": what `cratos --encryption off` builds: the sealing store with `seal: false`, which
 *   stores writes as given and still opens, on every read, what earlier writes sealed;
 * - "on": what `cratos` builds by default: the sealing store, sealing every write.
 * Both sealing stores get the master key as CRATOS_MASTER_KEY.
 */
export type Encryption = "none" | "off" | "on"

/** The EventStore on its Database, as `encryption` says. */
export const storeLayer = (file: string, synchronous: Synchronous = "NORMAL", encryption: Encryption = "none") =>
  encryption === "none"
    ? EventStore.layer({ path: file, synchronous }).pipe(Layer.provideMerge(quiet))
    : encryptedEventStore({ seal: encryption === "on", env: { CRATOS_MASTER_KEY: BENCH_MASTER_KEY } }).pipe(
        Layer.provideMerge(Database.layer({ path: file, synchronous })),
        Layer.provideMerge(quiet)
      )

/**
 * Makes the data key of every fixture user on a sealing store (`openStore(…, "on")`), before a run's
 * timed section, and says what one cost: a database in use, where each user's first write made
 * that user's key once. Without it a fresh file per run would time the first write of all 200
 * users in every 2,000 executions (issue 14, BENCHMARKS.md "Eighth session").
 */
export const timedUsersKeys = async (
  rt: StoreRuntime
): Promise<{ readonly users: number; readonly cpuMicros: number; readonly wallMicros: number }> => {
  const keys = Option.getOrThrowWith(
    await rt.runPromise(Effect.serviceOption(ContentKeys)),
    () => new Error("not a sealed store")
  )
  const users = Array.from({ length: USERS }, (_, i) => userOf(i))
  const cpu = process.cpuUsage()
  const wall = performance.now()
  await rt.runPromise(Effect.forEach(users, (u) => keys.forUser(u, "2025-11-26T10:00:00.000000Z"), { discard: true }))
  const spent = process.cpuUsage(cpu)
  return {
    users: users.length,
    cpuMicros: (spent.user + spent.system) / users.length,
    wallMicros: ((performance.now() - wall) * 1000) / users.length
  }
}

/** The EventStore (and its Database) on a file, as an application would build it. */
export const openStore = (
  file: string,
  synchronous: Synchronous = "NORMAL",
  encryption: Encryption = "none"
): StoreRuntime => ManagedRuntime.make(storeLayer(file, synchronous, encryption))

/**
 * Info logs (a projection reset) would interleave with the table: warnings and errors only, on
 * stderr (stdout carries the table, or the JSON with --json).
 */
export const quiet = Layer.merge(
  Logger.minimumLogLevel(LogLevel.Warning),
  Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger))
)

/** The raw connection of the store's Database layer on a file (migrated, same pragmas). */
export const openRaw = async (
  file: string
): Promise<{ readonly db: BetterSqlite3.Database; readonly close: () => Promise<void> }> => {
  const rt = ManagedRuntime.make(Database.layer({ path: file }).pipe(Layer.provideMerge(quiet)))
  const { connection } = await rt.runPromise(Database)
  return { db: connection, close: () => rt.dispose() }
}
