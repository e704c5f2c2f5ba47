/**
 * Every failure a command can end with, turned into one line for the person and an exit code,
 * in one place. Expected failures (the store's, the projector's, the agent's tagged errors, and
 * the CLI's own) never show a stack trace; only an internal error (a defect) does, and only
 * with `--verbose`.
 *
 * Exit codes: 0 success, 1 failure (no such execution, bad data, a database that cannot be
 * used, a failed execution), 2 bad usage, 70 internal error, 130 interrupted.
 */
import { Data } from "effect"

export const ExitCode = { Ok: 0, Failure: 1, Usage: 2, Internal: 70, Interrupted: 130 } as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** A failure the CLI itself reports: the line to print and the exit code. */
export class CliFailure extends Data.TaggedError("CliFailure")<{
  readonly reason: string
  readonly exitCode?: ExitCode
}> {
  override get message() {
    return this.reason
  }
}

/** What a person is told about a failure. */
export interface Report {
  readonly line: string
  readonly exitCode: ExitCode
  /** Print the command's usage after the line. */
  readonly usage: boolean
}

const report = (line: string, exitCode: ExitCode = ExitCode.Failure, usage = false): Report => ({ line, exitCode, usage })

const field = (e: object, name: string): string => {
  const v = (e as Record<string, unknown>)[name]
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : ""
}

/** A StorageError in words a person can act on. */
const storage = (e: object): string => {
  const code = field(e, "code")
  const path = field(e, "path")
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return `database ${path} is locked by another process; try again (${code})`
  }
  if (code.startsWith("SQLITE_READONLY")) return `database ${path} is read-only; nothing was written (${code})`
  if (code.startsWith("SQLITE_FULL")) return `database ${path}: the disk is full; nothing was written (${code})`
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) return `${path} is not a usable Cratos database (${code})`
  return `${field(e, "operation")} failed on ${path}: ${field(e, "reason")} (${code})`
}

/** The report of a tagged error, or undefined when it is not one we know. */
export const describeError = (error: unknown): Report | undefined => {
  if (typeof error !== "object" || error === null || !("_tag" in error)) return undefined
  const e = error as { readonly _tag: string; readonly message?: string }
  const message = typeof e.message === "string" ? e.message : e._tag
  switch (e._tag) {
    case "UsageError":
      return report(message, ExitCode.Usage, true)
    case "CliFailure": {
      const code = (error as CliFailure).exitCode ?? ExitCode.Failure
      return report(message, code, code === ExitCode.Usage)
    }
    case "ExecutionNotFound":
      return report(`no execution ${field(e, "executionId")}`)
    case "DatabaseOpenError":
      return report(`cannot open ${field(e, "path")}: ${field(e, "reason")}`)
    case "StorageError":
      return report(storage(e))
    case "CorruptEvent":
      return report(
        `event row ${field(e, "position")} of execution ${field(e, "executionId")} does not decode: ${field(e, "reason")}`
      )
    case "InvalidQuery":
      return report(message, ExitCode.Usage, true)
    case "UnknownProjection":
      return report(message, ExitCode.Usage)
    case "ConcurrencyError":
    case "ExecutionAlreadyExists":
    case "ExecutionNotFinished":
    case "IdempotencyConflict":
    case "InvalidEvent":
    case "PoisonEvent":
    case "ProjectionTimeout":
    case "RuleViolation":
    case "EventDecodeError":
    case "EventEncodeError":
      return report(message)
    case "AgentFailure":
      return report(`the execution could not be recorded: ${message}`)
    case "PlannerError":
      return report(`planning failed (${field(e, "errorType")}): ${message}`)
    default:
      return undefined
  }
}

/** The report of anything a command failed or died with. */
export const describe = (error: unknown, verbose: boolean): Report => {
  const known = describeError(error)
  if (known !== undefined) return known
  const message = error instanceof Error ? error.message : String(error)
  const stack = verbose && error instanceof Error && error.stack !== undefined ? `\n${error.stack}` : ""
  const hint = verbose ? "" : " (run with --verbose for details)"
  return report(`internal error: ${message}${hint}${stack}`, ExitCode.Internal)
}
