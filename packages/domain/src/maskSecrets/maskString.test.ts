import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { fakes } from "./corpus/fake.js"
import { maskString } from "./index.js"

const f = fakes(99)
const M = "***MASKED***"

describe("maskString", () => {
  it("returns the very same string when nothing matches", () => {
    const s = "ls -la /home/user/project/src && npm test -- --run"
    expect(maskString(s)).toBe(s)
  })

  it("masks only the credential of an Authorization header, keeping the scheme", () => {
    const t = f.bearer()
    expect(maskString(`curl -H 'Authorization: Bearer ${t}' https://x.example`)).toBe(
      `curl -H 'Authorization: Bearer ${M}' https://x.example`
    )
  })

  it("masks the URL password but keeps scheme, user and host", () => {
    expect(maskString("postgres://app:p4ss-w0rd@db:5432/app")).toBe(`postgres://app:${M}@db:5432/app`)
  })

  it("masks sensitive key=value pairs in commands, query strings and env assignments", () => {
    expect(maskString("mysql --password=x1y2 -h db")).toBe(`mysql --password=${M} -h db`)
    expect(maskString("PGPASSWORD=x1y2 psql")).toBe(`PGPASSWORD=${M} psql`)
    expect(maskString("/v1?api_key=abc123&page=2")).toBe(`/v1?api_key=${M}&page=2`)
    expect(maskString("export GITHUB_TOKEN=abc123; make")).toBe(`export GITHUB_TOKEN=${M}; make`)
    expect(maskString('{"client_secret": "abc 123"}')).toBe(`{"client_secret": "${M}"}`)
  })

  it("masks PEM bodies, JWTs and provider tokens in place", () => {
    const body = f.pemBody(2)
    expect(maskString(`-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`)).toBe(
      `-----BEGIN PRIVATE KEY-----\n${M}\n-----END PRIVATE KEY-----`
    )
    const tokens = [
      f.jwt(),
      f.aws(),
      f.github(),
      f.githubPat(),
      f.openai(),
      f.anthropic(),
      f.slack(),
      f.stripe(),
      f.google(),
      f.gitlab(),
      f.npm()
    ]
    for (const t of tokens) expect(maskString(`use ${t} now`)).toBe(`use ${M} now`)
  })

  it("keeps look-alikes: sk- inside words, short prefixes, UUIDs, SHAs", () => {
    for (const s of [
      "task-list",
      "desk-top",
      "sk-learn",
      "ghp_short",
      f.uuid(),
      f.hex(40),
      f.hex(64),
      "author: Jane"
    ]) {
      expect(maskString(s)).toBe(s)
    }
  })

  it("applies the caller's patterns with a private global copy, masking a `secret` group only", () => {
    const pattern = /emp-(?<secret>\d{6})/
    pattern.lastIndex = 3
    expect(maskString("ids emp-123456 and emp-654321", { extraPatterns: [pattern] })).toBe(`ids emp-${M} and emp-${M}`)
    expect(pattern.lastIndex).toBe(3)
    expect(maskString("abc", { extraPatterns: [/x*/] })).toBe("abc")
    expect(maskString("ACME-1234-5678", { extraPatterns: [/ACME-\d{4}-\d{4}/g] })).toBe(M)
  })

  it("uses extra keys and the allow-list for key=value inside strings", () => {
    expect(maskString("ssn=123-45-6789", { extraKeys: ["ssn"] })).toBe(`ssn=${M}`)
    expect(maskString("session=abc123", { allowKeys: ["session"] })).toBe("session=abc123")
  })

  it("is idempotent on its own output", () => {
    const s = `curl -u bob:${f.password()} -H "Cookie: sid=${f.bearer()}" https://u:${f.password()}@h/x?token=${f.bearer()}`
    const once = maskString(s)
    expect(once).not.toBe(s)
    expect(maskString(once)).toBe(once)
  })

  // Regression (issue 14): found by the idempotency property on main with a random seed. The
  // unterminated block used to run on over `export PGPASSWORD=` (hiding readable context), and a
  // second pass then masked the `@`.
  it("ends an unterminated PEM block at its first line that is not base64, so masking twice changes nothing", () => {
    const body = f.pemBody(3)
    const counterexample = `head -c 300 id_rsa\n-----BEGIN RSA PRIVATE KEY-----\n${body}export PGPASSWORD=$DB_PASSWORD=@`
    const once = maskString(counterexample)
    expect(maskString(once)).toBe(once)
    expect(once).toBe(`head -c 300 id_rsa\n-----BEGIN RSA PRIVATE KEY-----\n${M} PGPASSWORD=$DB_PASSWORD=@`)
    for (const line of body.split("\n")) expect(once).not.toContain(line)
    const onItsOwnLine = `-----BEGIN RSA PRIVATE KEY-----\n${body}\nexport PGPASSWORD=$DB_PASSWORD=@`
    expect(maskString(onItsOwnLine)).toBe(`-----BEGIN RSA PRIVATE KEY-----\n${M}\nexport PGPASSWORD=$DB_PASSWORD=@`)
  })

  // Regression: found by the corpus idempotency property with the seed of commit da6546c. The
  // key's last base64 run ran into `-cookie`, so no flag started there; once masked, the `-`
  // followed the placeholder and a second pass read `-cookie jar` as a flag and masked `jar`.
  it("starts no rule right after a masked span, so masking what a rule left beside one changes nothing", () => {
    const counterexample =
      "head -c 300 id_rsa\n-----BEGIN RSA PRIVATE KEY-----\n" +
      "Wl+gOMbjHrLGQfYwMZuxdabTunvHktbr5gb25UBanR2DnbLrfG9WpU2xpUqqWdcQ\n" +
      "LpFs8z6chgFgD1K+BdAyRDEOV+Ftd4LK7sKXAHellrjB72SHuTM4Lzjqinl0myah\n" +
      "n+PiNTEP9tLhUpsrgQUkcx/qs2R1HjxlQsirTaJsir0je1vOy2TAJyCkge6CYUaI-cookie jar is empty"
    const once = maskString(counterexample)
    expect(once).toBe(`head -c 300 id_rsa\n-----BEGIN RSA PRIVATE KEY-----\n${M}-cookie jar is empty`)
    expect(maskString(once)).toBe(once)
    // the flag rules mask their value after a space, and leave it right after the placeholder
    const password = f.password()
    for (const [start, value] of [
      ["-password ", password],
      ["-u bob:", password]
    ] as const) {
      expect(maskString(`run ${start}${value}`)).toBe(`run ${start}${M}`)
      expect(maskString(`run ${M}${start}${value}`)).toBe(`run ${M}${start}${value}`)
    }
  })

  // Regression: found by the same property with seed 898081733. The npm token ran into `gho_…`,
  // so its right edge did not hold; once the `gho_…` run was masked, a second pass masked the npm
  // token in front of the placeholder.
  it("ends no rule right before a masked span either", () => {
    const counterexample =
      "npm config set //registry.npmjs.org/ npm_eBiiK4IG0qzpIntPrV4fwrQwaUL6Eefi2jECgho_de64717311a059e4d80d7da14df6fb427b5a777b"
    const once = maskString(counterexample)
    expect(once).not.toBe(counterexample)
    expect(maskString(once)).toBe(once)
  })

  it("keeps an encrypted key's headers inside the masked body of an unterminated block", () => {
    const body = f.pemBody(2)
    const text = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B2C3D\n\n${body}\n$ ls`
    expect(maskString(text)).toBe(`-----BEGIN RSA PRIVATE KEY-----\n${M}\n$ ls`)
  })

  it("is idempotent on an unterminated PEM block followed by any text", () => {
    const body = f.pemBody(2)
    fc.assert(
      fc.property(fc.string(), fc.constantFrom("", "\n", " ", "\\n"), (tail, sep) => {
        const once = maskString(`-----BEGIN PRIVATE KEY-----\n${body}${sep}${tail}`)
        expect(maskString(once)).toBe(once)
      })
    )
  })
})
