import { describe, expect, it } from "@effect/vitest"
import { colorsWanted, paintStatusAt } from "./Colors.js"

describe("colorsWanted", () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: "1" }, false],
    [true, { NO_COLOR: "" }, true],
    [true, { TERM: "dumb" }, false],
    [false, { CLICOLOR_FORCE: "1" }, true],
    [false, { CLICOLOR_FORCE: "0" }, false],
    [false, { CLICOLOR_FORCE: "1", NO_COLOR: "1" }, false]
  ] as const)("terminal %s, env %j → %s", (tty, env, wanted) => {
    expect(colorsWanted(tty, env)).toBe(wanted)
  })
})

describe("paintStatusAt", () => {
  it("colours the status word at its column, counting code points", () => {
    expect(paintStatusAt("🙂 x  failed  y", 5, "failed")).toBe("🙂 x  \u001b[31mfailed\u001b[0m  y")
  })

  it("leaves the line alone when the word is not there or the status is unknown", () => {
    expect(paintStatusAt("a  completed", 0, "completed")).toBe("a  completed")
    expect(paintStatusAt("a  weird", 3, "weird")).toBe("a  weird")
  })
})
