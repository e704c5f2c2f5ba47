/**
 * `cratos show <id|last>`: the timeline of an execution; `--at N` the state after its first N
 * events (folded by the domain's `fold`).
 *
 * Human output prints masked copies only. `--json` prints `{execution, events}` where the events
 * are the contract's wire JSON objects with every raw field replaced by its masked value (issue
 * 14: decrypted, then masked; ContentView.ts); `--json --reveal` gives the raw fields exactly as
 * appended (the content is decrypted with the master key).
 */
import { encodeEvent, Execution, type ExecutionEvent } from "@cratos/domain"
// the mapping alone, not the API definition: `show` stays quick to load
import { stateAt } from "@cratos/http/stateAt"
import { type ExecutionRow, type Projector, type ProjectorError, ReadModel } from "@cratos/projector"
import {
  ContentReader,
  type CorruptEvent,
  EventStore,
  type ExecutionNotFound,
  type StorageError,
  type StorageLocation
} from "@cratos/store"
import { Duration, Effect, Option } from "effect"
import type { InvocationOf } from "../Commands.js"
import { CliFailure, ExitCode } from "../errors.js"
import { resolveExecutionId } from "../ExecutionRef.js"
import { Output } from "../Output.js"
import { catchUpReadModel } from "../ReadYourWrites.js"
import { eventView, rowView } from "../ContentView.js"
import { formatEvent, formatStateAt, formatTimeline } from "../Timeline.js"

/** The wire objects of events (as stored). */
export const wireOf = (events: ReadonlyArray<ExecutionEvent>) => Effect.forEach(events, (e) => encodeEvent(e))

/** What `--at N` reports, as JSON (the API's mapping). */
export const stateJson = stateAt

type LoadError = CorruptEvent | ExecutionNotFound | StorageError | CliFailure | ProjectorError

/**
 * Loads an execution's row and events; shared by show and replay --mode view. `masked`: the events
 * in the masked view (`eventView(false)`), read by `ContentReader.masked`, which leaves the tool
 * input and output sealed (their masked copies are the view).
 */
export const loadExecution = (
  ref: string,
  view: "opened" | "masked" = "opened"
): Effect.Effect<
  { readonly row: ExecutionRow; readonly events: ReadonlyArray<ExecutionEvent> },
  LoadError,
  Projector | ReadModel | EventStore | StorageLocation
> =>
  Effect.gen(function* () {
    yield* catchUpReadModel
    const id = yield* resolveExecutionId(ref)
    const row = yield* (yield* ReadModel).get(id)
    if (view === "masked") {
      const reader = yield* Effect.serviceOption(ContentReader)
      if (Option.isSome(reader)) {
        const masked = yield* reader.value.masked(yield* reader.value.asStored.readStream(id))
        return { row, events: masked.map((s) => s.event) }
      }
    }
    const stored = yield* (yield* EventStore).readStream(id)
    const events = stored.map((s) => s.event)
    return { row, events: view === "masked" ? events.map(eventView(false)) : events }
  })

export const printTimeline = (
  ref: string,
  options: {
    readonly json: boolean
    readonly at?: number | undefined
    readonly full?: boolean
    readonly reveal?: boolean
  }
) =>
  Effect.gen(function* () {
    const out = yield* Output
    // the events come in the view printed: masked, or with --reveal as appended
    const view = (e: ExecutionEvent) => e
    const { row: stored, events } = yield* loadExecution(ref, options.reveal === true ? "opened" : "masked")
    const row = rowView(stored)
    if (options.at !== undefined) {
      if (options.at > events.length) {
        return yield* Effect.fail(
          new CliFailure({
            reason: `--at ${options.at} is past the end: execution ${row.id} has ${events.length} event${events.length === 1 ? "" : "s"}`,
            exitCode: ExitCode.Usage
          })
        )
      }
      const shown = events.slice(0, options.at)
      const state = Execution.fold(shown)
      if (options.json) {
        yield* out.line(
          JSON.stringify(
            {
              execution: row,
              at: shown.length,
              total_events: events.length,
              state: stateJson(state),
              events: yield* wireOf(shown.map(view))
            },
            null,
            2
          )
        )
      } else {
        for (const line of formatStateAt(row, state, shown, events.length, options)) yield* out.line(line)
      }
      return ExitCode.Ok
    }
    if (options.json) {
      yield* out.line(JSON.stringify({ execution: row, events: yield* wireOf(events.map(view)) }, null, 2))
    } else {
      for (const line of formatTimeline(row, events, options)) yield* out.line(line)
    }
    return ExitCode.Ok
  })

/** How often `--follow` looks for new events. */
export const FOLLOW_INTERVAL = Duration.millis(250)

/**
 * `show --follow`: after the timeline, each event as it is appended (a timeline line, or with
 * `--json` its wire JSON on a line of its own), until the execution has responded; Ctrl-C
 * stops following at any time.
 */
export const followExecution = (
  id: string,
  shown: ReadonlyArray<ExecutionEvent>,
  json: boolean,
  full = false,
  reveal = false
) =>
  Effect.gen(function* () {
    const view = eventView(reveal)
    const out = yield* Output
    const store = yield* EventStore
    const first = shown[0]?.timestamp
    let seen = shown.length
    let state = Execution.fold(shown)
    while (!state.responded) {
      yield* Effect.sleep(FOLLOW_INTERVAL)
      if ((yield* store.streamVersion(id)) <= seen) continue
      const fresh = (yield* store.readStream(id)).slice(seen).map((s) => s.event)
      for (const event of fresh) {
        yield* out.line(
          json
            ? JSON.stringify(yield* encodeEvent(view(event)))
            : formatEvent(event, first ?? event.timestamp, { full })
        )
      }
      seen += fresh.length
      state = Execution.fold(fresh, state)
    }
  })

export const show = (inv: InvocationOf<"show">) =>
  Effect.gen(function* () {
    if (inv.flags.follow && inv.flags.at !== undefined) {
      return yield* Effect.fail(
        new CliFailure({ reason: "--follow and --at cannot be used together", exitCode: ExitCode.Usage })
      )
    }
    if (!inv.flags.follow) {
      return yield* printTimeline(inv.args, {
        json: inv.flags.json,
        at: inv.flags.at,
        full: inv.flags.full,
        reveal: inv.flags.reveal
      })
    }
    const out = yield* Output
    const { row: stored, events } = yield* loadExecution(inv.args, inv.flags.reveal ? "opened" : "masked")
    const row = rowView(stored)
    if (inv.flags.json) {
      yield* out.line(JSON.stringify({ execution: row }))
      for (const e of yield* wireOf(events)) yield* out.line(JSON.stringify(e))
    } else {
      for (const line of formatTimeline(row, events, { full: inv.flags.full })) yield* out.line(line)
    }
    yield* followExecution(row.id, events, inv.flags.json, inv.flags.full, inv.flags.reveal)
    return ExitCode.Ok
  })
