/** Shared pieces of the store's integration tests: fixtures, events, temp files, backends. */
import {
  decodeEventJson,
  type ExecutionEvent,
  type MessageReceived,
  Timestamp,
  type ToolInvoked
} from "@cratos/domain"
import { Database, EventStore, migrationsFolder } from "@cratos/store"
import { Either, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url))
export const fixturesDir = path.join(repoRoot, "test/fixtures/serde")

export interface SerdeCase {
  readonly name: string
  readonly event_type: string
  readonly text: string
}

/** The 15 serde cases (text as the Rust program wrote it). */
export const serdeCases = (): ReadonlyArray<SerdeCase> =>
  fs
    .readFileSync(path.join(fixturesDir, "cases.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as SerdeCase)

export const decode = (text: string): ExecutionEvent =>
  Either.getOrThrowWith(decodeEventJson(text), (e) => new Error(e.message))

export const fixtureEvent = (name: string): ExecutionEvent => decode(fs.readFileSync(path.join(fixturesDir, `${name}.json`), "utf8"))

/** A MessageReceived of user `userId` (the fixture's, with another user/text when given). */
export const messageReceived = (overrides: { userId?: string; text?: string; at?: string } = {}): MessageReceived => {
  const base = fixtureEvent("message_received_plain") as MessageReceived
  const at = overrides.at === undefined ? base.timestamp : Timestamp.unsafeMake(overrides.at)
  return {
    ...base,
    message: {
      ...base.message,
      user_id: overrides.userId ?? base.message.user_id,
      text: overrides.text ?? base.message.text,
      timestamp: at
    },
    timestamp: at
  }
}

/** A small ToolInvoked whose input says which one it is. */
export const toolInvoked = (n: number, input: unknown = { n }): ToolInvoked => ({
  type: "ToolInvoked",
  tool: "exec",
  input,
  input_masked: input,
  timestamp: Timestamp.unsafeMake("2025-11-26T10:10:37.250Z")
})

let counter = 0
/** A fresh execution id. */
export const newId = (): string => `00000000-0000-4000-8000-${String(++counter + process.pid * 1000).padStart(12, "0")}`

/** A fresh temp folder (removed at process exit). */
export const tempDir = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-store-"))
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

export const tempDbPath = (): string => path.join(tempDir(), "cratos.db")

export { SEED_DDL } from "../support/seedDdl.js"

/** The seed's `get_events` query. */
export const SEED_GET_EVENTS = `SELECT event_data FROM execution_events
        WHERE execution_id = ?
        ORDER BY timestamp ASC`

export interface Backend {
  readonly name: string
  /** A fresh store (and its Database) on a new database of this kind. */
  readonly layer: () => Layer.Layer<EventStore | Database, unknown>
}

export const backends: ReadonlyArray<Backend> = [
  { name: "in-memory SQLite", layer: () => EventStore.layerMemory },
  { name: "a temp file", layer: () => EventStore.layer({ path: tempDbPath() }) }
]

/** How many migrations the journal holds (the baseline and those after it). */
export const journalEntries = (
  JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] }
).entries.length
