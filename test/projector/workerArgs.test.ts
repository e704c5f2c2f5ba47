import { parseWorkerArgs } from "@cratos/projector-worker"
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"

const ok = (argv: ReadonlyArray<string>) => Either.getOrThrow(parseWorkerArgs(argv))
const bad = (argv: ReadonlyArray<string>) =>
  Either.match(parseWorkerArgs(argv), {
    onLeft: (e) => e.message,
    onRight: (r) => {
      throw new Error(`expected a usage error, got ${JSON.stringify(r)}`)
    }
  })

describe("cratos-projector command line", () => {
  it("follows by default with the dead-letter policy", () => {
    expect(ok([])).toEqual({
      _tag: "Run",
      follow: true,
      rebuild: undefined,
      db: undefined,
      poison: "dead-letter",
      batchSize: undefined
    })
  })

  it("reads --once, --db, --poison and --batch-size, in both spellings", () => {
    expect(ok(["--once", "--db", "/x.db", "--poison=stop", "--batch-size", "500"])).toEqual({
      _tag: "Run",
      follow: false,
      rebuild: undefined,
      db: "/x.db",
      poison: "stop",
      batchSize: 500
    })
  })

  it("takes --rebuild alone for every projection, or with a name", () => {
    expect(ok(["--rebuild"]).valueOf()).toMatchObject({ rebuild: true })
    expect(ok(["--rebuild", "--once"])).toMatchObject({ rebuild: true, follow: false })
    expect(ok(["--rebuild", "execution_summary", "--once"])).toMatchObject({ rebuild: "execution_summary" })
  })

  it("answers --help and --version", () => {
    expect(ok(["--once", "--help"])).toEqual({ _tag: "Help" })
    expect(ok(["--version"])).toEqual({ _tag: "Version" })
  })

  it("refuses unknown flags, missing values and contradictions", () => {
    expect(bad(["--bogus"])).toBe("unknown option --bogus")
    expect(bad(["--folow"])).toBe("unknown option --folow (did you mean --follow?)")
    expect(bad(["stray"])).toBe('unexpected argument "stray"')
    expect(bad(["--db"])).toBe("--db needs a value (PATH)")
    expect(bad(["--poison", "ignore"])).toMatch(/--poison must be one of dead-letter, stop/)
    expect(bad(["--once", "--follow"])).toMatch(/cannot be used together/)
    expect(bad(["--batch-size", "0"])).toMatch(/--batch-size/)
  })
})
