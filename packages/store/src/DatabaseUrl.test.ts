import { describe, expect, it } from "@effect/vitest"
import { isPostgresUrl, maskUrl } from "./DatabaseUrl.js"

describe("DatabaseUrl", () => {
  it("selects PostgreSQL for postgres:// and postgresql:// only", () => {
    expect(isPostgresUrl("postgres://u:p@h:5432/db")).toBe(true)
    expect(isPostgresUrl("POSTGRESQL://h/db?sslmode=require")).toBe(true)
    expect(isPostgresUrl("postgres:")).toBe(false)
    expect(isPostgresUrl("~/cratos.db")).toBe(false)
    expect(isPostgresUrl(":memory:")).toBe(false)
  })

  it("never prints the password, in the authority or the query", () => {
    const masked = maskUrl("postgres://app:s3cr%40t@db.internal:5432/cratos?sslmode=require&password=other")
    expect(masked).not.toContain("s3cr")
    expect(masked).not.toContain("other")
    expect(masked).toBe("postgres://app:***@db.internal:5432/cratos?sslmode=require&password=***")
    expect(maskUrl("postgres://app@h/db")).toBe("postgres://app@h/db")
    expect(maskUrl("postgres://a:b@[bad")).toBe("postgres://(unparsable URL)")
  })
})
