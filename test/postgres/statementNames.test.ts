/**
 * node-postgres keeps a named statement per connection: the same name with another text on a
 * pooled connection fails ("Prepared statements must be unique"). The store, the projector and the
 * read model share one pool, so every name given to a statement in the source is given once.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"

const ROOT = path.resolve(import.meta.dirname, "../..")

const sources = (): Array<string> => {
  const out: Array<string> = []
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && e.name !== "build" && e.name !== "dist") walk(p)
      } else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) out.push(p)
    }
  }
  for (const group of ["packages", "apps"]) {
    for (const pkg of fs.readdirSync(path.join(ROOT, group))) {
      const src = path.join(ROOT, group, pkg, "src")
      if (fs.existsSync(src)) walk(src)
    }
  }
  return out
}

/** `.prepare("x")`, `name: "x"`, `arrayRead(pool, "x", …)` and `clientStatement("x", …)` names of PostgreSQL statements. */
const NAMED =
  /\.prepare\(\s*"([a-z_]+)"\s*\)|\bname:\s*"(cratos_[a-z_]+)"|arrayRead<[^>]*>\(\s*\w+,\s*"([a-z_]+)"|clientStatement<[^>]*>\(\s*"([a-z_]+)"/g

describe("PostgreSQL statement names", () => {
  it("are each given to one statement in the source", () => {
    const seen = new Map<string, Array<string>>()
    for (const file of sources()) {
      for (const m of fs.readFileSync(file, "utf8").matchAll(NAMED)) {
        const name = m[1] ?? m[2] ?? m[3] ?? m[4]!
        seen.set(name, [...(seen.get(name) ?? []), path.relative(ROOT, file)])
      }
    }
    expect(seen.size).toBeGreaterThan(20)
    expect(seen.has("cratos_group_append")).toBe(true)
    expect([...seen].filter(([, where]) => where.length > 1)).toEqual([])
  })
})
