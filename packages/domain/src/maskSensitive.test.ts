import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { maskSensitive } from "./maskSensitive.js"
import { MASKED } from "./maskSecrets/placeholders.js"

/** A straightforward transcription of the seed's Rust, for comparison. */
const seed = (value: unknown): unknown => {
  const KEYS = ["password", "token", "api_key", "secret", "credential", "auth", "bearer"]
  if (Array.isArray(value)) return value.map(seed)
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        KEYS.some((s) => k.toLowerCase().includes(s)) ? "***MASKED***" : seed(v)
      ])
    )
  }
  return value
}

const sensitiveKey = fc.constantFrom(
  "password",
  "Auth-Token",
  "X_API_KEY",
  "bearer",
  "clientSecret",
  "Credentials",
  "AUTHOR",
  "db_password"
)
const jsonWithSecrets = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.jsonValue({ maxDepth: 2 }),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), sensitiveKey), tie("value"), { maxKeys: 5 })
  )
})).value

describe("maskSensitive", () => {
  it("masks values under keys containing a sensitive word, at any depth", () => {
    expect(
      maskSensitive({ user: "ann", password: "hunter2", nested: [{ "Auth-Token": "t0k", port: 5432 }], ok: true })
    ).toStrictEqual({ user: "ann", password: MASKED, nested: [{ "Auth-Token": MASKED, port: 5432 }], ok: true })
  })

  it("masks a whole object under a sensitive key, and leaves strings alone", () => {
    expect(maskSensitive({ credentials: { user: "x" }, cmd: "curl -H 'Authorization: Bearer x'" })).toStrictEqual({
      credentials: MASKED,
      cmd: "curl -H 'Authorization: Bearer x'"
    })
  })

  it("returns scalars unchanged", () => {
    for (const v of [null, 1, "password", true]) expect(maskSensitive(v)).toBe(v)
  })

  it("agrees with a transcription of the seed's Rust on generated JSON", () => {
    fc.assert(
      fc.property(jsonWithSecrets, (value) => {
        expect(maskSensitive(value)).toStrictEqual(seed(value))
      }),
      { numRuns: 500 }
    )
  })

  it("keeps __proto__ and constructor as ordinary keys", () => {
    const input = JSON.parse('{"__proto__": {"token": "t"}, "constructor": {"password": "p"}}')
    const out = maskSensitive(input) as Record<string, unknown>
    expect(Object.keys(out)).toStrictEqual(["__proto__", "constructor"])
    expect(JSON.stringify(out)).toBe('{"__proto__":{"token":"***MASKED***"},"constructor":{"password":"***MASKED***"}}')
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
  })

  it("masks 10,000-deep nesting without overflowing the stack", () => {
    let deep: unknown = { password: "p" }
    for (let i = 0; i < 10_000; i++) deep = i % 2 === 0 ? [deep] : { next: deep }
    let out = maskSensitive(deep)
    for (let i = 9_999; i >= 0; i--) out = i % 2 === 0 ? (out as Array<unknown>)[0] : (out as { next: unknown }).next
    expect(out).toStrictEqual({ password: MASKED })
  })
})

describe("maskSensitive on values that are not JSON", () => {
  it("replaces a reference back to an ancestor instead of walking forever", () => {
    const loop: Record<string, unknown> = { password: "p", name: "x" }
    loop.self = loop
    loop.list = [loop, { again: loop }]
    expect(maskSensitive(loop)).toStrictEqual({
      password: MASKED,
      name: "x",
      self: "[Circular]",
      list: ["[Circular]", { again: "[Circular]" }]
    })
  })

  it("keeps a shared (not circular) reference as two copies", () => {
    const shared = { token: "t" }
    expect(maskSensitive({ a: shared, b: [shared] })).toStrictEqual({ a: { token: MASKED }, b: [{ token: MASKED }] })
  })

  it("detects a cycle below the depth where the walk turns iterative", () => {
    const top: Record<string, unknown> = {}
    let cur = top
    for (let i = 0; i < 2_000; i++) cur = (cur.next = {}) as Record<string, unknown>
    cur.back = top
    let out = maskSensitive(top) as Record<string, unknown>
    for (let i = 0; i < 2_000; i++) out = out.next as Record<string, unknown>
    expect(out).toStrictEqual({ back: "[Circular]" })
  })

  it("below that depth, tells a cycle to a deep ancestor from an object shared by two siblings", () => {
    const top: Record<string, unknown> = {}
    let cur = top
    let mid: Record<string, unknown> = top
    for (let i = 0; i < 3_000; i++) {
      cur = (cur.next = {}) as Record<string, unknown>
      if (i === 2_500) mid = cur
    }
    const shared = { token: "t", n: 1 }
    cur.back = mid
    cur.left = shared
    cur.right = [shared, { again: shared }]
    let out = maskSensitive(top) as Record<string, unknown>
    for (let i = 0; i < 3_000; i++) out = out.next as Record<string, unknown>
    expect(out).toStrictEqual({
      back: "[Circular]",
      left: { token: MASKED, n: 1 },
      right: [{ token: MASKED, n: 1 }, { again: { token: MASKED, n: 1 } }]
    })
  })
})
