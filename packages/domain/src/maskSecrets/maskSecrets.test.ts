import { describe, expect, it } from "vitest"
import { MASKED } from "./placeholders.js"
import { fakes } from "./corpus/fake.js"
import { CIRCULAR, MASK_RULES, MASKING_FAILED, maskSecrets, maskSecretsWithReport } from "./index.js"

const f = fakes(7)

describe("maskSecrets: object rules", () => {
  it("masks the seed's keys exactly like maskSensitive, and the extended spellings", () => {
    const input = { author: "x", apiKey: "k", "X-Api-Key": "k", passwd: "p", cookie: "c", sessionCount: 2, name: "n" }
    expect(maskSecrets(input)).toEqual({
      author: MASKED,
      apiKey: MASKED,
      "X-Api-Key": MASKED,
      passwd: MASKED,
      cookie: MASKED,
      sessionCount: 2,
      name: "n"
    })
  })

  it("keeps the shape under an extended key and masks every leaf (so nested seed paths stay masked)", () => {
    expect(maskSecrets({ cookie: { password: "x", prefs: [1, "a", null] } })).toEqual({
      cookie: { password: MASKED, prefs: [MASKED, MASKED, MASKED] }
    })
  })

  it("masks the value of header pairs in both shapes", () => {
    const t = f.bearer()
    expect(
      maskSecrets([
        ["Accept", "*/*"],
        ["Authorization", `Bearer ${t}`]
      ])
    ).toEqual([
      ["Accept", "*/*"],
      ["Authorization", MASKED]
    ])
    expect(
      maskSecrets([
        { name: "Cookie", value: "sid=1" },
        { name: "Accept", value: "*/*" }
      ])
    ).toEqual([
      { name: "Cookie", value: MASKED },
      { name: "Accept", value: "*/*" }
    ])
  })

  it("does not copy the input: a fresh value every time", () => {
    const input = { a: { b: [1] } }
    const out = maskSecrets(input) as typeof input
    expect(out).toEqual(input)
    expect(out).not.toBe(input)
    expect(out.a.b).not.toBe(input.a.b)
  })

  it("masks a secret used as an object key", () => {
    const t = f.github()
    expect(maskSecrets({ [t]: 1 })).toEqual({ [MASKED]: 1 })
  })
})

describe("maskSecrets: options", () => {
  it("extraKeys adds names", () => {
    expect(maskSecrets({ userSsn: "123-45-6789" }, { extraKeys: ["ssn"] })).toEqual({ userSsn: MASKED })
  })

  it("allowKeys overrides the extended rules but never the seed's", () => {
    const options = { allowKeys: ["session", "notes", "password"] }
    const t = f.github()
    expect(maskSecrets({ session: "abc", notes: `token ${t}`, password: "x", other: t }, options)).toEqual({
      session: "abc",
      notes: `token ${t}`,
      password: MASKED,
      other: MASKED
    })
    expect(maskSecrets({ notes: { password: "x", cookie: "y" } }, options)).toEqual({
      notes: { password: MASKED, cookie: "y" }
    })
  })

  it("extraPatterns mask inside every string", () => {
    expect(maskSecrets({ note: "card 4111-1111-1111-1111" }, { extraPatterns: [/\b\d{4}(?:-\d{4}){3}\b/] })).toEqual({
      note: `card ${MASKED}`
    })
  })

  it("fails closed on an invalid option", () => {
    const bad = { extraPatterns: [{ source: "(", flags: "" } as unknown as RegExp] }
    expect(maskSecrets({ a: 1 }, bad)).toBe(MASKING_FAILED)
  })
})

describe("maskSecretsWithReport", () => {
  it("reports path and rule of every masking, never the secret", () => {
    const t = f.bearer()
    const p = f.password()
    const { report, value } = maskSecretsWithReport({
      headers: [{ Authorization: `Bearer ${t}` }],
      "x-api-key": "k1",
      cmd: `PGPASSWORD=${p} psql`,
      list: [["Cookie", "sid=1"]]
    })
    expect(value).toEqual({
      headers: [{ Authorization: MASKED }],
      "x-api-key": MASKED,
      cmd: `PGPASSWORD=${MASKED} psql`,
      list: [["Cookie", MASKED]]
    })
    expect(report).toEqual([
      { path: "$.headers[0].Authorization", rule: "seed-key" },
      { path: '$["x-api-key"]', rule: "sensitive-key" },
      { path: "$.cmd", rule: "sensitive-assignment" },
      { path: "$.list[0][1]", rule: "header-pair" }
    ])
    const text = JSON.stringify(report)
    expect(text).not.toContain(t)
    expect(text).not.toContain(p)
    for (const finding of report) expect(MASK_RULES).toContain(finding.rule)
  })

  it("reports nothing for a value with no secrets, and nothing new on a second pass", () => {
    expect(maskSecretsWithReport({ a: "ls -la", b: [1, 2] }).report).toEqual([])
    const once = maskSecretsWithReport({ apiKey: "x", cmd: "curl -u a:b1 https://h" }).value
    expect(maskSecretsWithReport(once).report).toEqual([])
  })

  it("reports cycles and failures", () => {
    const a: Record<string, unknown> = {}
    a["self"] = a
    expect(maskSecretsWithReport(a)).toEqual({
      value: { self: CIRCULAR },
      report: [{ path: "$.self", rule: "circular-reference" }]
    })
    const hostile = {
      get x(): never {
        throw new Error("boom")
      }
    }
    expect(maskSecretsWithReport(hostile)).toEqual({
      value: MASKING_FAILED,
      report: [{ path: "$", rule: "masking-failed" }]
    })
  })
})
