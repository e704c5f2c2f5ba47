import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import * as Args from "./Args.js"

const spec = Args.command({
  name: "prune",
  summary: "",
  synopsis: "",
  details: "",
  flags: {
    olderThan: Args.required(Args.integer("older-than", "DAYS", "days", { min: 0 })),
    dryRun: Args.boolean("dry-run", "dry"),
    help: Args.boolean("help", "help")
  },
  positionals: Args.none
})

const reason = (tokens: ReadonlyArray<string>) =>
  Either.match(Args.parse(spec, tokens), { onLeft: (e) => e.reason, onRight: () => "parsed" })

describe("Args", () => {
  it("a required flag that is absent is a usage error naming it, unless --help is given", () => {
    expect(reason([])).toBe("missing --older-than DAYS")
    expect(reason(["--help"])).toBe("parsed")
    expect(reason(["--older-than", "3"])).toBe("parsed")
  })

  it("--help wins over a missing required positional of every shape", () => {
    const shapes = {
      one: Args.one("name"),
      many: Args.many("file", 1),
      text: Args.words("text")
    }
    for (const [shape, positionals] of Object.entries(shapes)) {
      const s = Args.command({
        name: "x",
        summary: "",
        synopsis: "",
        details: "",
        flags: { help: Args.boolean("help", "help") },
        positionals
      })
      const r = (tokens: ReadonlyArray<string>) =>
        Either.match(Args.parse(s, tokens), { onLeft: (e) => e.reason, onRight: () => "parsed" })
      expect([shape, r([])]).toEqual([shape, expect.stringMatching(/^missing </)])
      expect([shape, r(["--help"])]).toEqual([shape, "parsed"])
      expect([shape, r(["-h"])]).toEqual([shape, "parsed"])
    }
  })

  it("an unknown flag suggests the closest one", () => {
    expect(reason(["--older-tan", "3"])).toBe("unknown option --older-tan (did you mean --older-than?)")
    expect(reason(["--dry"])).toBe("unknown option --dry (did you mean --dry-run?)")
    expect(reason(["--zzzzzz"])).toBe("unknown option --zzzzzz")
  })

  it("suggest: at most two edits (fewer for short words), or a unique prefix", () => {
    const names = ["list", "show", "stats", "export", "import"]
    expect(Args.suggest("lsit", names)).toBe("list")
    expect(Args.suggest("exprot", names)).toBe("export")
    expect(Args.suggest("sh", names)).toBe("show")
    expect(Args.suggest("s", names)).toBeUndefined()
    expect(Args.suggest("frobnicate", names)).toBeUndefined()
  })

  it("distance is the Levenshtein distance", () => {
    expect(Args.distance("kitten", "sitting")).toBe(3)
    expect(Args.distance("", "abc")).toBe(3)
    expect(Args.distance("same", "same")).toBe(0)
  })
})
