/**
 * `list` marks executions that completed although some steps failed, `list --has-failures` lists
 * only those, and `show --full` prints the timeline without "…" cuts (issue 15).
 */
import { Events } from "@cratos/domain"
import { beforeAll, describe, expect, it } from "@effect/vitest"
import * as path from "node:path"
import { at, cratos, ID, lines, message, sampleHistories, seed, tempDir } from "./harness.js"

const PARTIAL = "55555555-5555-4555-8555-555555555555"
const LONG = `summarise ${"every chapter of the very long book ".repeat(6)}THE-END`
const OUTPUT = `${"chapter text ".repeat(20)}LAST-WORDS`

const partial = {
  id: PARTIAL,
  events: [
    message(PARTIAL, "dora", LONG, 400),
    Events.toolInvoked({ tool: "file_read", input: { path: "a.txt" }, timestamp: at(401) }),
    Events.toolCompleted({
      tool: "file_read",
      output: { success: false, output: null, error: "no such file: a.txt" },
      duration_ms: 2,
      timestamp: at(402)
    }),
    Events.toolInvoked({ tool: "file_read", input: { path: "b.txt" }, timestamp: at(403) }),
    Events.toolCompleted({
      tool: "file_read",
      output: { success: true, output: OUTPUT, error: null },
      duration_ms: 2,
      timestamp: at(404)
    }),
    Events.responseSent({ text: "read b.txt; a.txt is missing", channel: "cli", timestamp: at(405) })
  ]
}

let db = ""
beforeAll(async () => {
  db = path.join(tempDir("cratos-failures-"), "f.db")
  await seed(db, [...sampleHistories(), partial])
})

describe("completed with failed steps", () => {
  it("list marks only the execution that completed although a step failed, with a note under the table", async () => {
    const r = await cratos(["list"], { db })
    expect(r.code).toBe(0)
    const out = lines(r.stdout)
    const rowOf = (id: string) => out.find((l) => l.startsWith(id))!
    expect(rowOf(PARTIAL)).toMatch(/ completed\* /)
    expect(rowOf(ID.read)).toMatch(/ completed /)
    expect(rowOf(ID.failed)).toMatch(/ failed /)
    expect(out.at(-1)).toBe("* completed, but some steps failed (list --has-failures shows only these)")
  })

  it("list --has-failures lists only those (a failed execution with a failed step is not one)", async () => {
    const r = await cratos(["list", "--has-failures", "--json"], { db })
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.stdout)
    expect(rows.map((row: { id: string }) => row.id)).toEqual([PARTIAL])
    expect(rows[0]).toMatchObject({ status: "completed", tool_failures: 1, tool_calls: 2 })
    const none = await cratos(["list", "--has-failures", "--user", "alice"], { db })
    expect(none.stdout.trim()).toBe("(no executions)")
  })

  it("show cuts long texts with …; show --full prints them whole", async () => {
    const cut = await cratos(["show", PARTIAL], { db })
    expect(cut.stdout).toContain("…")
    expect(cut.stdout).not.toContain("THE-END")
    const full = await cratos(["show", PARTIAL, "--full"], { db })
    expect(full.code).toBe(0)
    expect(full.stdout).not.toContain("…")
    expect(full.stdout).toContain(`message:   ${LONG}`)
    expect(full.stdout).toContain(`message from dora via cli: ${LONG}`)
    expect(full.stdout).toContain(`file_read ok in 2ms → ${OUTPUT}`)
    expect(lines(full.stdout).length).toBe(lines(cut.stdout).length)
  })
})
