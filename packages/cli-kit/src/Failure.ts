/**
 * Every failure a Cratos command line (`cratos`, `cratos-projector`) can end with, turned into
 * one line for the person and an exit code, in one place. The failures are a closed union of
 * tagged errors ({@link KnownFailure}), matched exhaustively: a new error type in a command's
 * error channel does not compile until it is given a line here (or in the program's own
 * extension, as the agent adds its planner's and recorder's). Only a defect (a bug) is an
 * internal error, and shows its stack only with `--verbose`.
 *
 * Exit codes: 0 success, 1 failure (no such execution, bad data, a database that cannot be
 * used, a failed execution), 2 bad usage, 70 internal error, 130 interrupted.
 */
import type { EventDecodeError, EventEncodeError, RuleViolation } from "@cratos/domain"
import type {
  InvalidQuery,
  PoisonEvent,
  ProjectionTimeout,
  ProjectionVersionAhead,
  UnknownProjection
} from "@cratos/projector"
import type {
  ConcurrencyError,
  CorruptEvent,
  DatabaseOpenError,
  ExecutionAlreadyExists,
  ExecutionNotFinished,
  ExecutionNotFound,
  IdempotencyConflict,
  InvalidEvent,
  StorageError
} from "@cratos/store"
import { Data, Match } from "effect"
import type { UsageError } from "./Args.js"

export const ExitCode = { Ok: 0, Failure: 1, Usage: 2, Internal: 70, Interrupted: 130 } as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** A failure the command line itself reports: the line to print and the exit code. */
export class CliFailure extends Data.TaggedError("CliFailure")<{
  readonly reason: string
  readonly exitCode?: ExitCode
}> {
  override get message() {
    return this.reason
  }
}

/** The failures of the store, the projector, the domain and the command line. */
export type KnownFailure =
  | UsageError
  | CliFailure
  | ConcurrencyError
  | CorruptEvent
  | DatabaseOpenError
  | ExecutionAlreadyExists
  | ExecutionNotFinished
  | ExecutionNotFound
  | IdempotencyConflict
  | InvalidEvent
  | StorageError
  | InvalidQuery
  | PoisonEvent
  | ProjectionTimeout
  | ProjectionVersionAhead
  | UnknownProjection
  | EventDecodeError
  | EventEncodeError
  | RuleViolation

/** What a person is told about a failure. */
export interface Report {
  readonly line: string
  readonly exitCode: ExitCode
  /** Print the command's usage after the line. */
  readonly usage: boolean
}

export const report = (line: string, exitCode: ExitCode = ExitCode.Failure, usage = false): Report => ({
  line,
  exitCode,
  usage
})

/** A StorageError in words a person can act on. */
const storage = (e: StorageError): string => {
  const { code, path } = e
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return `database ${path} is locked by another process; try again (${code})`
  }
  if (code.startsWith("SQLITE_READONLY")) return `database ${path} is read-only; nothing was written (${code})`
  if (code.startsWith("SQLITE_FULL")) return `database ${path}: the disk is full; nothing was written (${code})`
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT"))
    return `${path} is not a usable Cratos database (${code})`
  return `${e.operation} failed on ${path}: ${e.reason} (${code})`
}

const asIs = (e: { readonly message: string }) => report(e.message)

/** The report of a known failure (exhaustive over {@link KnownFailure}). */
export const describeKnown: (failure: KnownFailure) => Report = Match.type<KnownFailure>().pipe(
  Match.tagsExhaustive({
    UsageError: (e) => report(e.message, ExitCode.Usage, true),
    CliFailure: (e) => {
      const code = e.exitCode ?? ExitCode.Failure
      return report(e.message, code, code === ExitCode.Usage)
    },
    ExecutionNotFound: (e) => report(`no execution ${e.executionId}`),
    DatabaseOpenError: (e) => report(`cannot open ${e.path}: ${e.reason}`),
    StorageError: (e) => report(storage(e)),
    CorruptEvent: (e) => report(`event row ${e.position} of execution ${e.executionId} does not decode: ${e.reason}`),
    InvalidQuery: (e) => report(e.message, ExitCode.Usage, true),
    UnknownProjection: (e) => report(e.message, ExitCode.Usage),
    ConcurrencyError: asIs,
    ExecutionAlreadyExists: asIs,
    ExecutionNotFinished: asIs,
    IdempotencyConflict: asIs,
    InvalidEvent: asIs,
    PoisonEvent: asIs,
    ProjectionTimeout: asIs,
    ProjectionVersionAhead: asIs,
    RuleViolation: asIs,
    EventDecodeError: asIs,
    EventEncodeError: asIs
  })
)

/** The report of a defect: an internal error, its stack only when `verbose`. */
export const describeDefect = (defect: unknown, verbose: boolean): Report => {
  const message = defect instanceof Error ? defect.message : String(defect)
  const stack = verbose && defect instanceof Error && defect.stack !== undefined ? `\n${defect.stack}` : ""
  const hint = verbose ? "" : " (run with --verbose for details)"
  return report(`internal error: ${message}${hint}${stack}`, ExitCode.Internal)
}
