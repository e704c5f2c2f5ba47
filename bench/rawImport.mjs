// W6's ceiling, as its own process (process start included, as for `cratos import`): reads an
// export file line by line, parses each line, and writes the same rows as the store with raw
// better-sqlite3 prepared statements, one BEGIN IMMEDIATE transaction per execution (exists
// check, the executions row, its events). Usage: node bench/rawImport.mjs FILE DB
import { createRequire } from "node:module"
import * as fs from "node:fs"
import * as readline from "node:readline"

const [file, dbFile] = process.argv.slice(2)
const Sqlite = createRequire(import.meta.url)("better-sqlite3")
const db = new Sqlite(dbFile)
db.pragma("journal_mode = WAL")
db.pragma("synchronous = NORMAL")
const begin = db.prepare("BEGIN IMMEDIATE")
const commit = db.prepare("COMMIT")
const exists = db.prepare("SELECT 1 FROM executions WHERE id = ?").pluck(true)
const insertExecution = db.prepare(
  "INSERT INTO executions (id, user_id, channel, input_text, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)"
)
const insertEvent = db.prepare(
  "INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, ?, ?, ?, ?)"
)
const flush = (id, user, events) => {
  begin.run()
  if (exists.get(id) !== undefined) throw new Error(`exists: ${id}`)
  const m = events[0].message
  insertExecution.run(id, user, m.channel_type, m.text, events[0].timestamp)
  for (const e of events) insertEvent.run(id, user, e.type, JSON.stringify(e), e.timestamp)
  commit.run()
}
let current
let user
let events = []
for await (const line of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) {
  if (line === "") continue
  const row = JSON.parse(line)
  if (row.execution_id !== current && current !== undefined) {
    flush(current, user, events)
    events = []
  }
  current = row.execution_id
  user = row.user_id
  events.push(row.event)
}
if (current !== undefined) flush(current, user, events)
db.close()
