/**
 * W6: `cratos import` of an export file (5,000 executions of 11 events: 55,000), the whole
 * process timed from outside (start-up, parsing, validation, one transaction per execution, the
 * read model's catch-up at the end), against its ceiling: bench/rawImport.mjs, a process that
 * reads and parses the same file and writes the same rows with raw better-sqlite3, one
 * transaction per execution. Both start from a copy of the same empty migrated database.
 * Times come from bash's `times` (the children's user and system seconds) and a wall clock.
 */
import { encodeEvent, Events, type ExecutionEvent } from "@cratos/domain"
import { Either } from "effect"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { at, executionEvents, executionIdOf, userOf } from "../fixtures.js"
import { freshPath, removeDb } from "../lib/db.js"
import type { Timing } from "./append.js"

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")
const CRATOS = path.join(ROOT, "apps", "agent", "bin", "cratos.mjs")
const RAW = path.join(ROOT, "bench", "rawImport.mjs")

export const EVENTS_PER_IMPORTED_EXECUTION = 11

/**
 * Writes `executions` executions to `file` as export lines (the format `cratos export` writes and
 * `cratos import` reads), the events of execution `i` given by `eventsOf(i)`.
 */
export const writeExportFile = (
  file: string,
  executions: number,
  eventsOf: (i: number) => ReadonlyArray<ExecutionEvent>
): void => {
  const fd = fs.openSync(file, "w")
  for (let i = 0; i < executions; i++) {
    const lines = eventsOf(i).map((e, k) =>
      JSON.stringify({
        execution_id: executionIdOf(i),
        user_id: userOf(i),
        position: k + 1,
        event: Either.getOrThrow(encodeEvent(e))
      })
    )
    fs.writeSync(fd, `${lines.join("\n")}\n`)
  }
  fs.closeSync(fd)
}

/** Writes the export lines of `executions` executions (11 events each) to a file; returns its path. */
export const exportFile = (executions: number): string => {
  const file = freshPath("import").replace(/\.db$/, ".jsonl")
  writeExportFile(file, executions, (i) => {
    const events = executionEvents(i)
    // one more recoverable error before the response: 11 events, as the issue's workload
    events.splice(
      events.length - 1,
      0,
      Events.errorOccurred({ error: "retrying", error_type: "Network", recoverable: true, timestamp: at(i, 8) })
    )
    return events
  })
  return file
}

/** An empty database migrated by the store (`cratos import` of nothing creates one). */
export const emptyDatabase = (): string => {
  const file = freshPath("import-template")
  const r = spawnSync(process.execPath, [CRATOS, "import", "-", "--db", file], { input: "", encoding: "utf8" })
  if (r.status !== 0) throw new Error(`cannot create the template database: ${r.stderr}`)
  return file
}

const timed = (command: ReadonlyArray<string>, events: number): Timing => {
  const script = `${command.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ")} >/dev/null || exit 1; times`
  const start = performance.now()
  const r = spawnSync("bash", ["-c", script], { encoding: "utf8" })
  const seconds = (performance.now() - start) / 1000
  if (r.status !== 0) throw new Error(`${command.join(" ")} failed: ${r.stderr}`)
  // `times` prints the shell's then its children's user and system times: "0m1.234s 0m0.056s"
  const children = r.stdout.trim().split("\n").at(-1)!
  const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]))
  return { seconds, cpuSeconds: secs[0]! + secs[1]!, events }
}

const copyOf = (template: string): string => {
  const file = freshPath("import-run")
  fs.copyFileSync(template, file)
  return file
}

/** `cratos import FILE` into a copy of the template. */
export const cratosImport = (file: string, template: string, events: number): Timing => {
  const db = copyOf(template)
  try {
    return timed([process.execPath, CRATOS, "import", file, "--db", db], events)
  } finally {
    removeDb(db)
  }
}

/** The ceiling: bench/rawImport.mjs FILE into a copy of the template. */
export const rawImport = (file: string, template: string, events: number): Timing => {
  const db = copyOf(template)
  try {
    return timed([process.execPath, RAW, file, db], events)
  } finally {
    removeDb(db)
  }
}
