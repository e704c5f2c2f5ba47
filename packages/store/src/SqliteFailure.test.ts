import { describe, expect, it } from "@effect/vitest"
import BetterSqlite3 from "better-sqlite3"
import { StorageError } from "./errors.js"
import { isBusy, sqliteCode, toStorageError } from "./SqliteFailure.js"

const thrown = (f: () => unknown): unknown => {
  try {
    f()
  } catch (e) {
    return e
  }
  throw new Error("did not throw")
}

describe("toStorageError", () => {
  it("keeps SQLite's extended code, the operation and the file", () => {
    const db = new BetterSqlite3(":memory:")
    db.exec("CREATE TABLE t (x INTEGER PRIMARY KEY)")
    db.exec("INSERT INTO t VALUES (1)")
    const e = toStorageError(
      "EventStore.append",
      "/tmp/c.db",
      thrown(() => db.exec("INSERT INTO t VALUES (1)"))
    )
    expect(e).toMatchObject({
      _tag: "StorageError",
      operation: "EventStore.append",
      path: "/tmp/c.db",
      code: "SQLITE_CONSTRAINT_PRIMARYKEY"
    })
    expect(e.message).toContain("/tmp/c.db")
    db.close()
  })

  it("names a closed connection SQLITE_MISUSE and anything else UNKNOWN", () => {
    const db = new BetterSqlite3(":memory:")
    db.close()
    expect(
      toStorageError(
        "op",
        ":memory:",
        thrown(() => db.prepare("SELECT 1"))
      ).code
    ).toBe("SQLITE_MISUSE")
    expect(toStorageError("op", "f", "boom")).toMatchObject({ code: "UNKNOWN", reason: "boom" })
    expect(toStorageError("op", "f", { code: "ENOSPC" }).code).toBe("UNKNOWN")
  })

  it("maps codes SQLite reports for a full disk, a read-only file and a lock", () => {
    for (const code of ["SQLITE_FULL", "SQLITE_READONLY", "SQLITE_BUSY", "SQLITE_IOERR_WRITE"]) {
      const cause = Object.assign(new Error("x"), { code })
      expect(toStorageError("op", "f", cause).code).toBe(code)
    }
  })
})

describe("sqliteCode and isBusy", () => {
  it("tell a lock from other failures", () => {
    expect(isBusy({ code: "SQLITE_BUSY_SNAPSHOT" })).toBe(true)
    expect(isBusy({ code: "SQLITE_LOCKED" })).toBe(true)
    expect(isBusy({ code: "SQLITE_FULL" })).toBe(false)
    expect(sqliteCode(null)).toBeUndefined()
    expect(sqliteCode({ code: 5 })).toBeUndefined()
  })

  it("read a StorageError as well as a thrown value, and toStorageError keeps a StorageError as it is", () => {
    const busy = new StorageError({ operation: "op", path: "f", code: "SQLITE_BUSY", reason: "database is locked" })
    expect(isBusy(busy)).toBe(true)
    expect(isBusy(new StorageError({ operation: "op", path: "f", code: "SQLITE_FULL", reason: "full" }))).toBe(false)
    expect(toStorageError("other", "g", busy)).toBe(busy)
  })
})
