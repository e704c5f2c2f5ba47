/**
 * The ceiling of the HTTP ingest benchmark: a bare `node:http` server that only parses each JSON
 * body and runs the store's SQL on raw prepared statements (the same statements as W2's ceiling:
 * `ceilingStatements`) — no auth, no schema decoding, no decider, no Effect.
 *
 *   tsx bench/httpCeiling.ts FILE   prints `listening PORT` on stdout
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import type { Execution } from "./fixtures.js"
import { openRaw } from "./lib/db.js"
import { ceilingStatements } from "./workloads/append.js"

const file = process.argv[2]!
const { db } = await openRaw(file)
const sql = ceilingStatements(db)
const versions = new Map<string, number>()
const users = new Map<string, unknown>()

const read = (req: http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

const server = http.createServer(async (req, res) => {
  const body = JSON.parse(await read(req)) as Record<string, any>
  const url = req.url ?? ""
  if (url === "/api/v1/executions") {
    const id = body["execution_id"] as string
    const first = body["event"]
    sql.start({ id, first, events: [first] } as unknown as Execution)
    users.set(id, first)
    res.writeHead(201, { "content-type": "application/json" })
    res.end(JSON.stringify({ execution_id: id, version: 1, position: 0 }))
    return
  }
  const id = url.split("/")[4]!
  const events = body["events"] as Array<unknown>
  const all = [users.get(id), ...events]
  sql.append({ id, first: all[0], events: all } as unknown as Execution, 1, all.length, 1, versions)
  versions.delete(id)
  users.delete(id)
  res.writeHead(200, { "content-type": "application/json" })
  res.end(JSON.stringify({ version: all.length, positions: [] }))
})
server.keepAliveTimeout = 5_000
server.listen(0, "127.0.0.1", () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`))
process.once("SIGTERM", () => server.close(() => process.exit(0)))
