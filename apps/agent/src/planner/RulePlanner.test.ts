import { planWaves } from "@cratos/domain"
import { describe, expect, it } from "vitest"
import { Either, FastCheck as fc } from "effect"
import { HELP, planText } from "./RulePlanner.js"

const plan = (text: string) => Either.getOrThrow(planText(text))
const steps = (text: string) =>
  plan(text).plan.steps.map(({ tool, input, depends_on }) => ({ tool, input, depends_on }))

describe("rule planner", () => {
  it("read / cat / show <path>", () => {
    for (const verb of ["read", "cat", "show", "READ", "/read"]) {
      expect(steps(`${verb} README.md`)).toEqual([{ tool: "file_read", input: { path: "README.md" }, depends_on: [] }])
    }
    expect(steps(`read "my notes.txt"`)).toEqual([
      { tool: "file_read", input: { path: "my notes.txt" }, depends_on: [] }
    ])
  })

  it("read A and B: two independent steps in one wave", () => {
    const result = plan("read a.txt and b.txt, c.txt")
    expect(result.plan.steps.map((s) => s.input)).toEqual([{ path: "a.txt" }, { path: "b.txt" }, { path: "c.txt" }])
    expect(Either.getOrThrow(planWaves(result.plan.steps))).toEqual([[0, 1, 2]])
  })

  it("list / ls [<dir>]", () => {
    expect(steps("list")).toEqual([{ tool: "file_list", input: { path: "." }, depends_on: [] }])
    expect(steps("ls src")).toEqual([{ tool: "file_list", input: { path: "src" }, depends_on: [] }])
    // issue 15 bug 7: a separator right after the verb ends it; it is not a folder's name
    expect(steps("list then read notes.txt")).toEqual([
      { tool: "file_list", input: { path: "." }, depends_on: [] },
      { tool: "file_read", input: { path: "notes.txt" }, depends_on: [0] }
    ])
    expect(steps("list and read notes.txt").map((s) => s.input)).toEqual([{ path: "." }, { path: "notes.txt" }])
  })

  it("search / grep <text> [in <dir>]", () => {
    expect(steps("search TODO")).toEqual([{ tool: "file_search", input: { query: "TODO", path: "." }, depends_on: [] }])
    expect(steps("grep fix me in src/lib")).toEqual([
      { tool: "file_search", input: { query: "fix me", path: "src/lib" }, depends_on: [] }
    ])
    expect(steps(`search "in and then" in 'a b'`)).toEqual([
      { tool: "file_search", input: { query: "in and then", path: "a b" }, depends_on: [] }
    ])
  })

  it('write <path>: <content> and write "<content>" to <path>', () => {
    expect(steps("write notes.md: salt and pepper, then more")).toEqual([
      { tool: "file_write", input: { path: "notes.md", content: "salt and pepper, then more" }, depends_on: [] }
    ])
    expect(steps(`write "hello world" to out/hi.txt`)).toEqual([
      { tool: "file_write", input: { path: "out/hi.txt", content: "hello world" }, depends_on: [] }
    ])
    expect(steps("write empty.txt:")).toEqual([
      { tool: "file_write", input: { path: "empty.txt", content: "" }, depends_on: [] }
    ])
  })

  it("fetch / get <url>", () => {
    expect(steps("fetch https://example.com/a?b=c")).toEqual([
      { tool: "http_get", input: { url: "https://example.com/a?b=c" }, depends_on: [] }
    ])
    expect(steps("get http://127.0.0.1:8080/")).toEqual([
      { tool: "http_get", input: { url: "http://127.0.0.1:8080/" }, depends_on: [] }
    ])
  })

  it("run / exec / $ <command>, taking the rest of the text", () => {
    for (const text of ["run ls -la && echo done", "exec ls -la && echo done", "$ ls -la && echo done"]) {
      expect(steps(text)).toEqual([{ tool: "exec", input: { command: "ls -la && echo done" }, depends_on: [] }])
    }
  })

  it("then: later steps depend on the earlier group", () => {
    const result = plan("write n.md: hi then read n.md")
    expect(result.plan.steps.map((s) => s.tool)).toEqual(["file_write"])
    // the write takes the rest of the text; with the quoted form, `then` separates
    const chained = plan(`write "hi" to n.md then read n.md and list; search hi`)
    expect(chained.plan.steps.map((s) => [s.tool, s.depends_on])).toEqual([
      ["file_write", []],
      ["file_read", [0]],
      ["file_list", [0]],
      ["file_search", [1, 2]]
    ])
    expect(Either.getOrThrow(planWaves(chained.plan.steps))).toEqual([[0], [1, 2], [3]])
  })

  it("mixed verbs with and", () => {
    expect(steps("list src and read package.json").map((s) => s.tool)).toEqual(["file_list", "file_read"])
  })

  it("risk and approval come from the registry and the policy", () => {
    expect(plan("read a").plan).toMatchObject({ estimated_risk: "Read", requires_approval: false })
    expect(plan("write a: b").plan).toMatchObject({ estimated_risk: "Write", requires_approval: true })
    expect(plan("read a then run rm -rf x").plan).toMatchObject({
      estimated_risk: "Destructive",
      requires_approval: true
    })
    expect(plan("read a")).toMatchObject({ model_used: "rules", tokens_used: 0 })
  })

  it("unknown requests: an empty plan whose reply lists what it understands", () => {
    for (const text of [
      "please make me a sandwich",
      "read",
      "search",
      "write no-colon",
      "fetch a b",
      "run",
      "write",
      "$"
    ]) {
      const result = plan(text)
      expect(result.plan.steps, text).toEqual([])
      expect(result.plan).toMatchObject({ goal: text, estimated_risk: "Read", requires_approval: false })
      expect(result.reply).toBe(`I did not understand ${JSON.stringify(text)}.\n${HELP}`)
    }
    expect(plan("help").reply).toBe(HELP)
    expect(plan("  ").reply).toBe(HELP)
  })
})

describe("rule planner (any text)", () => {
  it("never fails: a valid plan of known tools, or an empty plan with the help", () => {
    const words = fc.constantFrom(
      "read",
      "cat",
      "ls",
      "list",
      "search",
      "grep",
      "write",
      "fetch",
      "get",
      "run",
      "$",
      "and",
      "then",
      ",",
      ";",
      "in",
      "to",
      ":",
      '"',
      "'",
      "a.txt",
      "src",
      "x y",
      "/"
    )
    const texts = fc.oneof(
      fc.string(),
      fc.array(words, { maxLength: 12 }).map((ws) => ws.join(" "))
    )
    const known = new Set(["file_read", "file_list", "file_search", "file_write", "http_get", "exec"])
    fc.assert(
      fc.property(texts, (text) => {
        const result = planText(text)
        expect(Either.isRight(result)).toBe(true)
        const { plan: p, reply } = Either.getOrThrow(result)
        expect(Either.isRight(planWaves(p.steps))).toBe(true)
        for (const step of p.steps) expect(known.has(step.tool)).toBe(true)
        if (p.steps.length === 0) expect(reply).toContain(HELP)
      }),
      { numRuns: 2000 }
    )
  })
})
