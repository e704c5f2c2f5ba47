import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import type { UsageError } from "@cratos/cli-kit"
import { Channel, ExecutionStatus } from "@cratos/domain"
import {
  CHANNELS,
  commandNames,
  type Invocation,
  isCommandName,
  parseCommandLine,
  programUsage,
  STATUSES,
  usageOf
} from "./Commands.js"

const ok = (argv: ReadonlyArray<string>): Invocation =>
  Either.getOrThrowWith(parseCommandLine(argv), (e) => new Error(`expected a parse, got: ${e.reason}`))
const bad = (argv: ReadonlyArray<string>): UsageError =>
  Either.match(parseCommandLine(argv), {
    onLeft: (e) => e,
    onRight: (inv) => {
      throw new Error(`expected a usage error, got ${JSON.stringify(inv)}`)
    }
  })

describe("the lists written out for start-up", () => {
  it("--status and --channel offer exactly the domain's statuses and channels", () => {
    expect(STATUSES).toEqual(ExecutionStatus.literals)
    expect(CHANNELS).toEqual(Channel.literals)
  })
})

describe("common options", () => {
  it.each(commandNames.filter((n) => n !== "help"))(
    "%s accepts --db, --json, --verbose and --help after its name",
    (name) => {
      const needs: Record<string, ReadonlyArray<string>> = {
        run: ["hello"],
        show: ["last"],
        replay: ["last"],
        import: ["-"],
        prune: ["--older-than", "3"],
        export: ["--all"],
        completion: ["bash"],
        token: ["list"]
      }
      const inv = ok([name, ...(needs[name] ?? []), "--db", "/tmp/x.db", "--json", "--verbose", "--help"])
      expect(inv.command).toBe(name)
      expect(inv.flags).toMatchObject({ db: "/tmp/x.db", json: true, verbose: true, help: true })
    }
  )

  it("--version is read before or after a command", () => {
    expect(ok(["--version"]).flags).toMatchObject({ version: true })
    expect(ok(["list", "--version"]).flags).toMatchObject({ version: true })
  })

  it("list --has-failures and show --full are flags of their commands only", () => {
    expect(ok(["list", "--has-failures"]).flags).toMatchObject({ hasFailures: true })
    expect(ok(["list"]).flags).toMatchObject({ hasFailures: false })
    expect(ok(["show", "last", "--full"]).flags).toMatchObject({ full: true })
    expect(bad(["show", "last", "--has-failures"]).reason).toBe("unknown option --has-failures")
    expect(bad(["list", "--full"]).reason).toBe("unknown option --full")
  })

  it("reads flags before the command too, and --name=value", () => {
    expect(ok(["--db", "a.db", "list", "--json"]).flags).toMatchObject({ db: "a.db", json: true })
    expect(ok(["list", "--db=b.db"]).flags).toMatchObject({ db: "b.db" })
    expect(ok(["-h"]).flags).toMatchObject({ help: true })
  })

  it("with no command is the chat session, with its own flags", () => {
    const inv = ok(["--user", "bob", "--approve", "no"])
    expect(inv.command).toBe("chat")
    expect(inv.flags).toMatchObject({ user: "bob", approve: "no" })
    expect(ok([]).command).toBe("chat")
  })
})

describe("each command's flags", () => {
  it("run joins its words into the text and reads user, approve, workspace, planner", () => {
    const inv = ok([
      "run",
      "read",
      "notes.txt",
      "--user",
      "u",
      "--approve",
      "yes",
      "--workspace",
      "/w",
      "--planner",
      "llm"
    ])
    expect(inv).toMatchObject({
      command: "run",
      args: "read notes.txt",
      flags: { user: "u", approve: "yes", workspace: "/w", planner: "llm", json: false }
    })
    expect(ok(["run", "--", "--not-a-flag"]).args).toBe("--not-a-flag")
  })

  it("list reads every filter", () => {
    const inv = ok([
      "list",
      "--user",
      "alice",
      "--status",
      "failed",
      "--channel",
      "cli",
      "--since",
      "7d",
      "--until",
      "2025-11-26",
      "--search",
      "%' OR 1=1 --",
      "--limit",
      "5",
      "--offset",
      "10"
    ])
    expect(inv.command === "list" && inv.flags).toMatchObject({
      user: "alice",
      status: "failed",
      channel: "cli",
      since: { _tag: "Ago", millis: 7 * 86_400_000 },
      until: { _tag: "Date", year: 2025, month: 11, day: 26 },
      search: "%' OR 1=1 --",
      limit: 5,
      offset: 10
    })
    expect(ok(["list"]).flags).toMatchObject({ user: undefined, limit: undefined, json: false })
  })

  it("show takes one id and --at N", () => {
    expect(ok(["show", "last", "--at", "3"])).toMatchObject({ command: "show", args: "last", flags: { at: 3 } })
    expect(ok(["show", "abc"]).flags).toMatchObject({ at: undefined })
  })

  it("replay takes an id and --mode, and the run flags for rerun", () => {
    expect(ok(["replay", "x", "--mode", "dry-run"])).toMatchObject({ args: "x", flags: { mode: "dry-run" } })
    expect(ok(["replay", "x", "--mode", "rerun", "--approve", "no"]).flags).toMatchObject({
      mode: "rerun",
      approve: "no"
    })
    expect(ok(["replay", "x"]).flags).toMatchObject({ mode: undefined })
  })

  it("stats reads --since", () => {
    expect(ok(["stats", "--since", "2025-11-01T00:00:00Z"]).flags).toMatchObject({ since: { _tag: "Instant" } })
  })

  it("export takes ids, --all and --out", () => {
    expect(ok(["export", "a", "b", "--out", "f.jsonl"])).toMatchObject({
      args: ["a", "b"],
      flags: { all: false, out: "f.jsonl" }
    })
    expect(ok(["export", "--all"])).toMatchObject({ args: [], flags: { all: true } })
  })

  it("import takes a file or - and --strict", () => {
    expect(ok(["import", "-", "--strict"])).toMatchObject({ args: "-", flags: { strict: true } })
    expect(ok(["import", "f.jsonl"])).toMatchObject({ args: "f.jsonl", flags: { strict: false } })
  })

  it("prune reads --older-than DAYS and --dry-run", () => {
    expect(ok(["prune", "--older-than", "30", "--dry-run"]).flags).toMatchObject({ olderThan: 30, dryRun: true })
  })

  it("project reads --once, --follow and --rebuild with or without a name", () => {
    expect(ok(["project"]).flags).toMatchObject({ once: false, follow: false, rebuild: undefined })
    expect(ok(["project", "--follow"]).flags).toMatchObject({ follow: true })
    expect(ok(["project", "--rebuild"]).flags).toMatchObject({ rebuild: true })
    expect(ok(["project", "--rebuild", "execution_summary"]).flags).toMatchObject({ rebuild: "execution_summary" })
    expect(ok(["project", "--rebuild", "--json"]).flags).toMatchObject({ rebuild: true, json: true })
  })

  it("help takes an optional command", () => {
    expect(ok(["help", "list"])).toMatchObject({ command: "help", args: "list" })
    expect(ok(["help"])).toMatchObject({ command: "help", args: undefined })
  })
})

describe("usage errors", () => {
  it.each([
    [["frobnicate"], null, /unknown command "frobnicate"/],
    [["list", "--frob"], "list", /unknown option --frob/],
    [["list", "-x"], "list", /unknown option -x/],
    [["list", "--limit"], "list", /--limit needs a value/],
    [["list", "--limit", "abc"], "list", /--limit must be an integer from 1 to 10000, got "abc"/],
    [["list", "--limit", "0"], "list", /--limit must be/],
    [["list", "--limit", "-1"], "list", /--limit must be/],
    [["list", "--limit", "1.5"], "list", /--limit must be/],
    [["list", "--limit", "99999999999999999999"], "list", /--limit must be/],
    [["list", "--offset", "-3"], "list", /--offset must be an integer >= 0/],
    [["list", "--since", "yesterday"], "list", /--since: expected an RFC 3339 time/],
    [["list", "--until", "2025-02-30"], "list", /--until: no such date/],
    [["list", "--status", "done"], "list", /--status must be one of pending, running, completed, failed/],
    [["list", "--channel", "irc"], "list", /--channel must be one of/],
    [["list", "--user", "--json"], "list", /--user needs a value/],
    [["list", "extra"], "list", /unexpected argument "extra"/],
    [["list", "--json=yes"], "list", /--json takes no value/],
    [["show"], "show", /missing <id\|last>/],
    [["show", "a", "b"], "show", /unexpected argument "b"/],
    [["show", "a", "--at", "x"], "show", /--at must be an integer >= 0/],
    [["run"], "run", /missing <text>/],
    [["run", "hi", "--approve", "maybe"], "run", /--approve must be one of yes, no, ask/],
    [["run", "hi", "--planner", "gpt"], "run", /--planner must be one of rules, llm/],
    [["replay", "x", "--mode", "fast"], "replay", /--mode must be one of view, dry-run, rerun/],
    [["import"], "import", /missing <file\|->/],
    [["prune", "--older-than", "soon"], "prune", /--older-than must be an integer >= 0/],
    [["stats", "--since", "7y"], "stats", /--since: expected/],
    [["--frob"], "chat", /unknown option --frob/]
  ] as const)("%j → %s usage: %s", (argv, command, reason) => {
    const e = bad(argv)
    expect(e.command).toBe(command)
    expect(e.reason).toMatch(reason)
  })
})

describe("usage text", () => {
  it("lists every command with its summary", () => {
    const text = programUsage()
    for (const name of commandNames) expect(text).toContain(`  ${name}`)
  })

  it("shows a command's flags with their value names", () => {
    const text = usageOf("list")
    expect(text).toMatch(/^Usage: cratos list \[options\]/)
    for (const flag of ["--user USER", "--status", "--since TIME", "--limit N", "--db PATH", "--json", "--help"]) {
      expect(text).toContain(flag)
    }
    expect(usageOf("project")).toContain("--rebuild [NAME]")
  })

  it("is the program's usage for an unknown command", () => {
    expect(usageOf("nope")).toBe(programUsage())
    expect(isCommandName("list")).toBe(true)
    expect(isCommandName("toString")).toBe(false)
  })
})
