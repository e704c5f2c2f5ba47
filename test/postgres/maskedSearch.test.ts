/**
 * `cratos list --search` on PostgreSQL matches masked text only (issue 14's rule, as on SQLite),
 * with the real bin and a real server: an execution recorded with `--encryption off` keeps its
 * message text, secret and all, in `executions.input_text`, and a search for the secret (or a part
 * of it) must not find it; a search for the words around it does.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import pg from "pg"
import { cratos } from "../cli/harness.js"
import { postgresAvailable, postgresDatabase } from "../support/postgresCluster.js"

const SECRET = "hunter2horse-Db-9"

describe.skipIf(!postgresAvailable())("cratos list --search on PostgreSQL", () => {
  it("does not confirm a secret kept in the clear by a row written with --encryption off", async () => {
    const db = await postgresDatabase("masked_search")
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-pg-search-"))
    const env = { CRATOS_HOME: home }
    for (const user of ["alice", "bob"]) {
      const r = await cratos(
        ["run", `remember this: my password is ${SECRET}`, "--user", user, "--encryption", "off"],
        {
          db,
          env
        }
      )
      expect(r.code, r.stderr).toBe(0)
    }
    const client = new pg.Client({ connectionString: db })
    await client.connect()
    try {
      const stored = (await client.query<{ input_text: string }>("SELECT input_text FROM executions")).rows
      expect(stored.length).toBe(2)
      for (const row of stored) expect(row.input_text).toContain(SECRET)
    } finally {
      await client.end()
    }
    const search = async (text: string) => {
      const r = await cratos(["list", "--search", text, "--json"], { db, env })
      expect(r.code, r.stderr).toBe(0)
      return (JSON.parse(r.stdout) as Array<{ user_id: string; input_text: string }>).map((e) => e.user_id).sort()
    }
    expect(await search(SECRET)).toEqual([])
    expect(await search(SECRET.slice(0, 12))).toEqual([])
    expect(await search("remember this")).toEqual(["alice", "bob"])
    expect(await search("REMEMBER THIS")).toEqual(["alice", "bob"])
  })
})
