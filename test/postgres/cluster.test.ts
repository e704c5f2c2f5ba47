import { describe, expect, it } from "@effect/vitest"
import pg from "pg"
import { postgresAvailable, postgresDatabase } from "../support/postgresCluster.js"

describe.skipIf(!postgresAvailable())("the throwaway PostgreSQL cluster", () => {
  it("gives each suite a database of its own, behind a password", async () => {
    const a = await postgresDatabase("a")
    const b = await postgresDatabase("b")
    expect(a).not.toBe(b)
    const client = new pg.Client({ connectionString: a })
    await client.connect()
    try {
      const r = await client.query<{ db: string; superuser: string }>(
        "SELECT current_database() AS db, current_setting('is_superuser') AS superuser"
      )
      expect(a.endsWith(`/${r.rows[0]?.db}`)).toBe(true)
    } finally {
      await client.end()
    }
    const wrong = new pg.Client({ connectionString: a.replace(/:[^:@/]+@/, ":wrong@") })
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed/)
  })
})
