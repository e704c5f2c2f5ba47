import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect } from "effect"
import * as os from "node:os"
import { databaseLocation, databasePath, resolveDatabasePath } from "./DatabasePath.js"

const base = { home: "/home/ana", cwd: "/work" }

describe("resolveDatabasePath", () => {
  it("defaults to ~/.cratos/cratos.db", () => {
    expect(resolveDatabasePath(base)).toBe("/home/ana/.cratos/cratos.db")
  })
  it("takes $CRATOS_HOME/cratos.db over the default", () => {
    expect(resolveDatabasePath({ ...base, cratosHome: "/srv/cratos" })).toBe("/srv/cratos/cratos.db")
  })
  it("takes CRATOS_DB over CRATOS_HOME", () => {
    expect(resolveDatabasePath({ ...base, cratosHome: "/srv/cratos", cratosDb: "/data/c.db" })).toBe("/data/c.db")
  })
  it("takes an explicit path over both", () => {
    expect(resolveDatabasePath({ ...base, explicit: "/x.db", cratosHome: "/srv", cratosDb: "/data/c.db" })).toBe(
      "/x.db"
    )
  })
  it("ignores empty values", () => {
    expect(resolveDatabasePath({ ...base, explicit: "", cratosDb: "  ", cratosHome: "" })).toBe(
      "/home/ana/.cratos/cratos.db"
    )
  })
  it("resolves relative paths against the working folder and ~ against home", () => {
    expect(resolveDatabasePath({ ...base, cratosDb: "data/c.db" })).toBe("/work/data/c.db")
    expect(resolveDatabasePath({ ...base, cratosHome: "~/cr" })).toBe("/home/ana/cr/cratos.db")
    expect(resolveDatabasePath({ ...base, explicit: "~" })).toBe("/home/ana")
  })
  it("keeps :memory:", () => {
    expect(resolveDatabasePath({ ...base, explicit: ":memory:", cratosDb: "/data/c.db" })).toBe(":memory:")
    expect(resolveDatabasePath({ ...base, cratosDb: ":memory:" })).toBe(":memory:")
  })
})

describe("a PostgreSQL URL", () => {
  it("is kept as it is, never resolved as a path (no folder named postgres:)", () => {
    const url = "postgres://app:pw@db.internal:5432/cratos?sslmode=require"
    expect(resolveDatabasePath({ ...base, explicit: url })).toBe(url)
    expect(resolveDatabasePath({ ...base, cratosDb: ` ${url} ` })).toBe(url)
  })
  it.effect("selects PostgreSQL from --db or CRATOS_DB, SQLite otherwise", () =>
    Effect.gen(function* () {
      const env = (m: Record<string, string>) =>
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(m))))
      const url = "postgresql://h/db"
      expect(yield* databaseLocation().pipe(env({ CRATOS_DB: url }))).toEqual({ _tag: "Postgres", url })
      expect(yield* databaseLocation(url).pipe(env({ CRATOS_DB: "/d.db" }))).toEqual({ _tag: "Postgres", url })
      expect(yield* databaseLocation("/e.db").pipe(env({ CRATOS_DB: url }))).toEqual({ _tag: "Sqlite", path: "/e.db" })
    })
  )
})

describe("databasePath", () => {
  it.effect("reads CRATOS_DB and CRATOS_HOME through Config", () =>
    Effect.gen(function* () {
      const env = (m: Record<string, string>) =>
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(m))))
      expect(yield* databasePath().pipe(env({ CRATOS_HOME: "/h" }))).toBe("/h/cratos.db")
      expect(yield* databasePath().pipe(env({ CRATOS_HOME: "/h", CRATOS_DB: "/d.db" }))).toBe("/d.db")
      expect(yield* databasePath("/e.db").pipe(env({ CRATOS_DB: "/d.db" }))).toBe("/e.db")
      expect(yield* databasePath().pipe(env({}))).toBe(`${os.homedir()}/.cratos/cratos.db`)
    })
  )
})
