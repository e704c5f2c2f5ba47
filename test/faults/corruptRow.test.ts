/**
 * A corrupt event_data row written straight into the file (issue #7), as a crash of another
 * program or a hand edit could leave it. With real processes:
 *  - `cratos show <that execution>` reports the row (its position and execution) with exit 1,
 *    without echoing the row's content;
 *  - `cratos show` of other executions, `cratos list` and `cratos export` of others keep working;
 *  - the projector worker under the dead-letter policy (default) records the row, skips it and
 *    goes on to the end of the log (events after it projected); under `--poison stop` it exits
 *    non-zero naming the position, and stops there again when restarted.
 */
import { Database } from "@cratos/store"
import BetterSqlite3 from "better-sqlite3"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { ID, message, sampleHistories, seed } from "../cli/harness.js"
import { repoRoot, tempDir } from "./children.js"

const CORRUPT_ID = "55555555-5555-4555-8555-555555555555"
const LATER_ID = "66666666-6666-4666-8666-666666666666"
const LEAK = "CORRUPT-ROW-CONTENT-do-not-echo"

const run = (bin: string, args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const env = { ...process.env }
    delete env["CRATOS_DB"]
    delete env["CRATOS_HOME"]
    const child = spawn(process.execPath, [path.join(repoRoot, bin), ...args], {
      cwd: repoRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })
const cratos = (args: ReadonlyArray<string>) => run("apps/agent/bin/cratos.mjs", args)
const projector = (args: ReadonlyArray<string>) => run("apps/projector/bin/cratos-projector.mjs", args)

describe("a corrupt event_data row", () => {
  it("show reports it (exit 1, position named, content not echoed); everything else keeps working", async () => {
    const dir = tempDir()
    const db = path.join(dir, "cratos.db")
    await seed(db, [
      ...sampleHistories(),
      { id: CORRUPT_ID, events: [message(CORRUPT_ID, "dave", "this one gets a corrupt row", 400)] }
    ])
    // The corrupt row, then a good execution after it in the log.
    const corruptPosition = await Effect.runPromise(
      Effect.gen(function* () {
        const { connection } = yield* Database
        const r = connection
          .prepare(
            "INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, 'dave', 'ToolInvoked', ?, '2025-11-20T09:07:00Z')"
          )
          .run(CORRUPT_ID, `{"type":"ToolInvoked","tool":"file_read","input":{"secret":"${LEAK}"},"input_masked":`)
        return Number(r.lastInsertRowid)
      }).pipe(Effect.scoped, Effect.provide(Database.layer({ path: db })))
    )
    await seed(db, [{ id: LATER_ID, events: [message(LATER_ID, "erin", "after the corrupt row", 500)] }])
    // A copy for the stop policy, before anything projects the original.
    const stopDb = path.join(dir, "stop.db")
    const copy = new BetterSqlite3(db, { readonly: true })
    copy.prepare("VACUUM INTO ?").run(stopDb)
    copy.close()

    // The projector, dead-letter policy (default): records the row, goes on to the end.
    const dead = await projector(["--once", "--db", db])
    expect(dead.code, dead.stderr).toBe(0)
    expect(dead.stderr).not.toContain(LEAK)
    expect(dead.stderr).toContain(String(corruptPosition))
    const conn = new BetterSqlite3(db, { readonly: true })
    const letters = conn
      .prepare("SELECT projection, position, execution_id FROM projector_dead_letters")
      .all() as Array<{ position: number; execution_id: string }>
    const head = conn.prepare("SELECT max(id) FROM execution_events").pluck().get() as number
    const checkpoints = conn.prepare("SELECT position FROM projection_checkpoints").pluck().all() as Array<number>
    const laterStatus = conn.prepare("SELECT status FROM executions WHERE id = ?").pluck().get(LATER_ID)
    conn.close()
    expect(letters.length).toBeGreaterThan(0)
    expect(letters.every((l) => l.position === corruptPosition && l.execution_id === CORRUPT_ID)).toBe(true)
    expect(checkpoints.every((p) => p === head)).toBe(true)
    expect(laterStatus).toBe("pending")

    const [show, showOther, list, exportOther, exportAll] = await Promise.all([
      cratos(["show", CORRUPT_ID, "--db", db]),
      cratos(["show", ID.read, "--db", db]),
      cratos(["list", "--db", db, "--json"]),
      cratos(["export", ID.failed, "--db", db]),
      cratos(["export", "--all", "--db", db])
    ])
    // show of that execution: exit 1, one line naming the row; the content is not echoed.
    expect(show.code, show.stderr).toBe(1)
    expect(show.stderr).toContain(String(corruptPosition))
    expect(show.stderr).toContain(CORRUPT_ID)
    expect(show.stderr + show.stdout).not.toContain(LEAK)
    // Others keep working.
    expect(showOther.code, showOther.stderr).toBe(0)
    expect(showOther.stdout).toContain("read notes.txt")
    expect(list.code, list.stderr).toBe(0)
    expect((JSON.parse(list.stdout) as Array<{ id: string }>).map((r) => r.id).sort()).toEqual(
      [ID.read, ID.failed, ID.declined, ID.pending, CORRUPT_ID, LATER_ID].sort()
    )
    expect(exportOther.code, exportOther.stderr).toBe(0)
    expect(exportOther.stdout.trim().split("\n").length).toBe(5)
    expect(exportAll.stdout + exportAll.stderr).not.toContain(LEAK)

    // The projector, stop policy: exits non-zero naming the position; stops there again.
    const stopped = await projector(["--once", "--db", stopDb, "--poison", "stop"])
    expect(stopped.code, stopped.stderr).not.toBe(0)
    expect(stopped.stderr).toContain(String(corruptPosition))
    expect(stopped.stderr).not.toContain(LEAK)
    const again = await projector(["--once", "--db", stopDb, "--poison", "stop"])
    expect(again.code).toBe(stopped.code)
    expect(again.stderr).toContain(String(corruptPosition))
    const stopConn = new BetterSqlite3(stopDb, { readonly: true })
    const stopCheckpoints = stopConn
      .prepare("SELECT position FROM projection_checkpoints")
      .pluck()
      .all() as Array<number>
    stopConn.close()
    expect(stopCheckpoints.every((p) => p < corruptPosition)).toBe(true)

    console.log(
      `corrupt row: row ${corruptPosition} — show exit ${show.code} naming it ("${show.stderr.trim().split("\n")[0]}"); ` +
        `other show/list/export exit 0; projector dead-letter exit ${dead.code} with ${letters.length} dead letters and every checkpoint at the head ${head}; ` +
        `projector --poison stop exit ${stopped.code} at position ${corruptPosition} (twice); content echoed: 0`
    )
  }, 120_000)
})
