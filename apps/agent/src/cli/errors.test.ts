import { RuleViolation } from "@cratos/domain"
import { InvalidQuery, PoisonEvent, ProjectionTimeout, UnknownProjection } from "@cratos/projector"
import {
  ConcurrencyError,
  CorruptEvent,
  DatabaseOpenError,
  ExecutionNotFinished,
  ExecutionNotFound,
  StorageError
} from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { AgentFailure } from "../agent/AgentFailure.js"
import { PlannerError } from "../planner/PlannerError.js"
import { UsageError } from "@cratos/cli-kit"
import { CliFailure, describeDefect, describeError, ExitCode } from "./errors.js"

const storage = (code: string) =>
  new StorageError({ operation: "EventStore.append", path: "/db/cratos.db", code, reason: "sqlite says no" })

describe("errors → one line and an exit code", () => {
  it.each([
    [new UsageError({ command: "list", reason: "unknown option --x" }), "unknown option --x", ExitCode.Usage, true],
    [new CliFailure({ reason: "no executions yet" }), "no executions yet", ExitCode.Failure, false],
    [new CliFailure({ reason: "bad value", exitCode: ExitCode.Usage }), "bad value", ExitCode.Usage, true],
    [new ExecutionNotFound({ executionId: "1234" }), "no execution 1234", ExitCode.Failure, false],
    [
      new DatabaseOpenError({ path: "/tmp/notes.txt", reason: "not a SQLite database (file is not a database)" }),
      "cannot open /tmp/notes.txt: not a SQLite database (file is not a database)",
      ExitCode.Failure,
      false
    ],
    [
      storage("SQLITE_BUSY"),
      "database /db/cratos.db is locked by another process; try again (SQLITE_BUSY)",
      ExitCode.Failure,
      false
    ],
    [
      storage("SQLITE_READONLY_DBMOVED"),
      "database /db/cratos.db is read-only; nothing was written (SQLITE_READONLY_DBMOVED)",
      ExitCode.Failure,
      false
    ],
    [
      storage("SQLITE_FULL"),
      "database /db/cratos.db: the disk is full; nothing was written (SQLITE_FULL)",
      ExitCode.Failure,
      false
    ],
    [
      storage("SQLITE_IOERR"),
      "EventStore.append failed on /db/cratos.db: sqlite says no (SQLITE_IOERR)",
      ExitCode.Failure,
      false
    ],
    [
      new CorruptEvent({ position: 12, executionId: "e1", reason: "invalid JSON" }),
      "event row 12 of execution e1 does not decode: invalid JSON",
      ExitCode.Failure,
      false
    ],
    [
      new ConcurrencyError({ executionId: "e1", expected: 2, actual: 3 }),
      "execution e1 is at version 3, expected 2",
      ExitCode.Failure,
      false
    ],
    [new ExecutionNotFinished({ executionId: "e1", status: "running" }), /e1 is running/, ExitCode.Failure, false],
    [new InvalidQuery({ field: "since", reason: "bad" }), "invalid since: bad", ExitCode.Usage, true],
    [new UnknownProjection({ name: "x", known: ["a"] }), 'no projection named "x" (known: a)', ExitCode.Usage, false],
    [
      new PoisonEvent({ projection: "p", position: 3, executionId: "e", reason: "r" }),
      /poison event at position 3/,
      ExitCode.Failure,
      false
    ],
    [
      new ProjectionTimeout({ position: 9, reached: 3, timeoutMs: 5000 }),
      /reached position 3, not 9/,
      ExitCode.Failure,
      false
    ],
    [
      new RuleViolation({ rule: "nothing-after-response", eventType: "ToolInvoked", detail: "d" }),
      /ToolInvoked refused/,
      ExitCode.Failure,
      false
    ],
    [new AgentFailure({ reason: "disk" }), "the execution could not be recorded: disk", ExitCode.Failure, false],
    [
      new PlannerError({ errorType: "Network", reason: "unreachable" }),
      "planning failed (Network): unreachable",
      ExitCode.Failure,
      false
    ]
  ] as const)("%s", (error, line, exitCode, usage) => {
    const report = describeError(error)
    if (typeof line === "string") expect(report.line).toBe(line)
    else expect(report.line).toMatch(line)
    expect(report.exitCode).toBe(exitCode)
    expect(report.usage).toBe(usage)
    expect(report.line).not.toContain("\n")
  })

  it("an unexpected error is internal: exit 70, the stack only with --verbose", () => {
    const boom = new Error("boom")
    const quiet = describeDefect(boom, false)
    expect(quiet).toEqual({
      line: "internal error: boom (run with --verbose for details)",
      exitCode: ExitCode.Internal,
      usage: false
    })
    const loud = describeDefect(boom, true)
    expect(loud.line).toMatch(/^internal error: boom\nError: boom\n\s+at /)
    expect(describeDefect("a string", false).line).toBe("internal error: a string (run with --verbose for details)")
  })
})
