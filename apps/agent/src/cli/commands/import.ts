/**
 * `cratos import <file|->`: appends the JSON lines `cratos export` writes.
 *
 * Lines are grouped by execution. An execution is complete when its ResponseSent arrives
 * (nothing may follow one) or at the end of the input, and is committed atomically
 * (startExecution for its MessageReceived, which creates the executions row, then the rest
 * appended with expectedVersion): the executions completed in one input batch are written
 * together (ImportCommits.ts: one transaction, a savepoint each, the rows projected in it), and
 * each is reported once committed: `imported <execution_id> <count>`. Memory is bounded by the
 * executions still open, not by the file. Lines of an execution that arrive after it was
 * committed (a history that breaks the rules, or hand-made input) are appended to it in a later
 * transaction with the version check.
 *
 * Validation is structural (the event decoder); `--strict` also checks each history against
 * the lifecycle rules (the domain's `check`). A bad line stops the import with its line number,
 * exit 1: the executions committed before it stay, nothing of the ones still open is written.
 * An execution that already exists in the database is skipped (`skipped <id>: already exists`),
 * none of its lines written: importing the same file twice is harmless. `--json` reports each
 * execution as one JSON line `{execution_id, status: "imported"|"skipped", events}`.
 */
import * as fs from "node:fs"
import { decodeEvent, Execution, type ExecutionEvent, parseJson } from "@cratos/domain"
import { DEFAULT_MAX_EVENT_BYTES, EventStore, isCanonicalEvent } from "@cratos/store"
import { Effect, Either, Stream } from "effect"
import type { InvocationOf } from "../Commands.js"
import { CliFailure, describeError, ExitCode } from "../errors.js"
import { boundedLineBatches, LineTooLong } from "../BoundedLines.js"
import { catchUpBeforeWriting, catchUpReadModel } from "../ReadYourWrites.js"
import { Output } from "../Output.js"
import { type ImportGroup, ImportCommits } from "../ImportCommits.js"

/** One line of an export, read. */
export interface ImportLine {
  readonly executionId: string
  readonly event: ExecutionEvent
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** Reads one line; the error says what is wrong, without echoing the line (it may hold secrets). */
export const parseImportLine = (text: string): Either.Either<ImportLine, string> =>
  Either.gen(function* () {
    const json = yield* parseJson(text)
    if (!isRecord(json)) return yield* Either.left("not a JSON object")
    const id = json["execution_id"]
    if (typeof id !== "string" || id === "") return yield* Either.left("execution_id must be a non-empty string")
    if (json["user_id"] !== undefined && typeof json["user_id"] !== "string") {
      return yield* Either.left("user_id must be a string")
    }
    if (
      json["position"] !== undefined &&
      !(Number.isSafeInteger(json["position"]) && (json["position"] as number) > 0)
    ) {
      return yield* Either.left("position must be a positive integer")
    }
    if (!("event" in json)) return yield* Either.left("event is missing")
    // What `cratos export` writes is canonical: then the parsed object is the decoded event (the
    // store's fast path, property-tested against the decoder); anything else is decoded in full.
    if (isCanonicalEvent(json["event"])) return { executionId: id, event: json["event"] as ExecutionEvent }
    const event = yield* Either.mapLeft(
      decodeEvent(json["event"]),
      (e) => `event${e.path === "" ? "" : `.${e.path}`}: ${e.reason}`
    )
    return { executionId: id, event }
  })

interface Group {
  readonly executionId: string
  /** Events already committed by this import (0: the execution is new). */
  readonly base: number
  readonly events: Array<ExecutionEvent>
  readonly lines: Array<number>
}

/** A line may hold one event of up to the store's cap plus its envelope (id, user, position). */
export const MAX_LINE_BYTES = DEFAULT_MAX_EVENT_BYTES + 64 * 1024

/**
 * The lines of a file or of stdin (`-`), numbered from 1, in bounded memory (BoundedLines.ts), in
 * batches (a read's worth): the import handles a batch in one step, not one step per line.
 */
const inputLines = (source: string) =>
  Stream.suspend(() => {
    const input = source === "-" ? process.stdin : fs.createReadStream(source, { highWaterMark: 256 * 1024 })
    const name = source === "-" ? "stdin" : source
    return Stream.fromAsyncIterable(boundedLineBatches(input, MAX_LINE_BYTES), (e) =>
      e instanceof LineTooLong
        ? new CliFailure({ reason: `${name}: ${e.message}, the most one event may take; stopped there` })
        : new CliFailure({ reason: `cannot read ${name}: ${(e as Error).message}` })
    ).pipe(Stream.ensuring(Effect.sync(() => input !== process.stdin && input.destroy())))
  })

export const importCmd = (inv: InvocationOf<"import">) =>
  Effect.gen(function* () {
    const out = yield* Output
    const store = yield* EventStore
    const commits = yield* ImportCommits
    const source = inv.args
    const strict = inv.flags.strict
    if (source !== "-" && !fs.existsSync(source)) {
      return yield* Effect.fail(new CliFailure({ reason: `no such file ${source}` }))
    }

    const open = new Map<string, Group>()
    /** Executions committed by this import: their version, and their state when strict. */
    const committed = new Map<string, { version: number; state: Execution.ExecutionState | null }>()
    const skipped = new Set<string>()
    let imported = 0
    let lines = 0

    /**
     * One line per execution as it commits (`--json`: one JSON object per line), written once per
     * input batch (and before any error is reported): one write per execution was a tenth of the
     * import's time when stdout is a pipe.
     */
    let said: Array<string> = []
    const say = (status: "imported" | "skipped", id: string, events: number) => {
      said.push(
        inv.flags.json
          ? JSON.stringify({ execution_id: id, status, events })
          : status === "imported"
            ? `imported ${id} ${events}`
            : `skipped ${id}: already exists`
      )
    }
    const skip = (id: string) => {
      skipped.add(id)
      pending.push({ skipped: id })
    }
    const flushSaid = Effect.suspend(() => {
      if (said.length === 0) return Effect.void
      const text = `${said.join("\n")}\n`
      said = []
      return out.write(text)
    })
    /**
     * What is decided but not yet written, in input order: executions to commit and executions
     * skipped. Written (one transaction, each execution in a savepoint of its own) at the end of
     * each input batch, before any error is reported, and at the end: a report line is said only
     * once its execution is committed.
     */
    let pending: Array<ImportGroup | { readonly skipped: string }> = []
    const flushPending = Effect.suspend(() => {
      if (pending.length === 0) return Effect.void
      const todo = pending
      pending = []
      const groups = todo.filter((p): p is ImportGroup => !("skipped" in p))
      return Effect.flatMap(commits.commitAll(groups), ({ committed, failure }) => {
        let done = 0
        for (const p of todo) {
          if ("skipped" in p) {
            say("skipped", p.skipped, 0)
            continue
          }
          if (done === committed) break
          done++
          if (p.base === 0) imported++
          say("imported", p.executionId, p.events.length)
        }
        if (failure === undefined) return Effect.void
        const failed = groups[committed]!
        return Effect.fail(
          new CliFailure({
            reason:
              `${describeError(failure)?.line ?? String(failure)}; execution ${failed.executionId} was not imported` +
              (imported > 0 ? ` (the ${imported} imported before it stay${imported === 1 ? "s" : ""})` : "")
          })
        )
      })
    })
    /** A bad line: what was decided before it is written first, then the import stops there. */
    const bad = (lineNo: number, reason: string) =>
      Effect.zipRight(
        flushPending,
        Effect.suspend(() =>
          Effect.fail(
            new CliFailure({
              reason:
                `line ${lineNo}: ${reason}; stopped there` +
                (imported > 0
                  ? ` (the ${imported} execution${imported === 1 ? "" : "s"} imported before it stay${imported === 1 ? "s" : ""})`
                  : " (nothing was imported)")
            })
          )
        )
      )

    /** An execution's lines are complete: checked (`--strict`), then queued for the next write. */
    const commit = (group: Group) =>
      Effect.gen(function* () {
        open.delete(group.executionId)
        const prior = committed.get(group.executionId)
        let state = strict ? (prior?.state ?? Execution.initialState) : null
        if (state !== null) {
          for (let i = 0; i < group.events.length; i++) {
            const checked = Execution.check(state, group.events[i]!)
            if (Either.isLeft(checked)) {
              return yield* bad(group.lines[i]!, `execution ${group.executionId}: ${checked.left.message}`)
            }
            state = Execution.evolve(state, group.events[i]!)
          }
        }
        committed.set(group.executionId, { version: group.base + group.events.length, state })
        pending.push(group)
      })

    /** One line: most only join their execution's group; an effect only where one is due. */
    const handle = (lineNo: number, parsed: Either.Either<ImportLine, string>) =>
      Effect.gen(function* () {
        lines++
        if (Either.isLeft(parsed)) return yield* bad(lineNo, parsed.left)
        const { executionId: id, event } = parsed.right
        if (skipped.has(id)) return
        let group = open.get(id)
        if (group !== undefined && event.type === "MessageReceived") {
          // A second copy of an execution still open (one without its ResponseSent): the first
          // copy is complete, commit it; the copy is skipped as already existing.
          yield* commit(group)
          return skip(id)
        }
        if (group === undefined) {
          const prior = committed.get(id)
          if (prior !== undefined && event.type === "MessageReceived") {
            // The same execution again (a file imported twice in one stream): already exists.
            return skip(id)
          }
          if (prior !== undefined) {
            group = { executionId: id, base: prior.version, events: [], lines: [] }
          } else {
            if ((yield* store.streamVersion(id)) > 0) return skip(id)
            if (event.type !== "MessageReceived") {
              return yield* bad(lineNo, `execution ${id} starts with ${event.type}, not MessageReceived`)
            }
            group = { executionId: id, base: 0, events: [], lines: [] }
          }
          open.set(id, group)
        }
        group.events.push(event)
        group.lines.push(lineNo)
        if (event.type === "ResponseSent") yield* commit(group)
      })

    // the read model up to date first: then each transaction projects the rows it writes
    yield* catchUpBeforeWriting
    yield* inputLines(source).pipe(
      Stream.runForEach((batch) =>
        Effect.gen(function* () {
          for (const { line: lineNo, text } of batch) {
            if (text.trim() === "") continue
            // The common line (a later event of an execution being read) needs no effect at all.
            const parsed = parseImportLine(text)
            if (Either.isRight(parsed)) {
              const { executionId, event } = parsed.right
              const group = open.get(executionId)
              if (group !== undefined && event.type !== "MessageReceived" && event.type !== "ResponseSent") {
                lines++
                group.events.push(event)
                group.lines.push(lineNo)
                continue
              }
            }
            yield* handle(lineNo, parsed)
          }
          yield* flushPending
        }).pipe(Effect.ensuring(flushSaid))
      )
    )
    yield* Effect.gen(function* () {
      for (const group of [...open.values()]) yield* commit(group)
      yield* flushPending
    }).pipe(Effect.ensuring(flushSaid))
    if (lines === 0) yield* out.error("nothing to import")
    yield* catchUpReadModel
    return ExitCode.Ok
  })
