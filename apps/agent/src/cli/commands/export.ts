/**
 * `cratos export (<id>... | --all) [--out FILE]`: JSON lines `{execution_id, user_id, position,
 * event}`, `event` the stored wire JSON object (this is the machine format, read back by
 * `cratos import`). Rows are written as stored: encrypted raw fields stay envelopes, so a backup
 * stays encrypted (issue 14); `--reveal` writes them decrypted, byte for byte as appended.
 *
 * `--all` streams the whole log in position order (memory bounded by the store's batch size);
 * ids export each execution's stream in turn. A row that does not decode is reported on stderr
 * by its row id and skipped; the export then exits 1 (the file is still written: everything
 * else in it is good).
 */
import { encodeEvent, stringifyJson } from "@cratos/domain"
import { ContentReader, type StoredEvent } from "@cratos/store"
import { Effect, Either, Stream } from "effect"
import type { InvocationOf } from "../Commands.js"
import { CliFailure, ExitCode } from "../errors.js"
import { resolveExecutionId } from "../ExecutionRef.js"
import { catchUpReadModel } from "../ReadYourWrites.js"
import { Output } from "../Output.js"
import { withOutputFile } from "../AtomicOutputFile.js"

/** One export line (with its newline). */
export const exportLine = (stored: StoredEvent): Either.Either<string, CliFailure> =>
  Either.flatMap(
    Either.mapLeft(
      encodeEvent(stored.event),
      (e) => new CliFailure({ reason: `event row ${stored.position} cannot be encoded: ${e.message}` })
    ),
    (event) =>
      Either.map(
        Either.mapLeft(
          stringifyJson({ execution_id: stored.executionId, user_id: stored.userId, position: stored.position, event }),
          (reason) => new CliFailure({ reason: `event row ${stored.position} cannot be written: ${reason}` })
        ),
        (text) => text + "\n"
      )
  )

/** Ids or `--all`, not both and not neither (a usage error); shared with `--server`'s export. */
export const checkExportTargets = (all: boolean, ids: ReadonlyArray<string>) =>
  all === ids.length > 0
    ? Effect.fail(
        new CliFailure({
          reason: all ? "give execution ids or --all, not both" : "give execution ids, or --all for every execution",
          exitCode: ExitCode.Usage
        })
      )
    : Effect.void

/** The line on stderr once `--out FILE` is written (none with `--json`). */
export const reportExported = (flags: { readonly out: string | undefined; readonly json: boolean }, written: number) =>
  Effect.flatMap(Output, (out) =>
    flags.out !== undefined && !flags.json
      ? out.error(`cratos: exported ${written} event${written === 1 ? "" : "s"} to ${flags.out}`)
      : Effect.void
  )

export const exportCmd = (inv: InvocationOf<"export">) =>
  Effect.gen(function* () {
    const f = inv.flags
    const ids = inv.args
    yield* checkExportTargets(f.all, ids)
    const out = yield* Output
    const reader = yield* ContentReader
    const store = reader.asStored
    const reveal = (stored: StoredEvent) =>
      f.reveal ? Effect.map(reader.open([stored]), (opened) => opened[0]!) : Effect.succeed(stored)
    let corrupt = 0
    let written = 0
    yield* withOutputFile(
      f.out,
      (sink) =>
        Effect.gen(function* () {
          if (f.all) {
            yield* store.readLog().pipe(
              Stream.runForEach((entry) =>
                Effect.gen(function* () {
                  if (entry._tag === "Corrupt") {
                    corrupt++
                    return yield* out.error(`cratos: skipped ${entry.error.message}`)
                  }
                  yield* sink.write(yield* exportLine(yield* reveal(entry.stored)))
                  written++
                })
              )
            )
          } else {
            yield* catchUpReadModel
            for (const ref of ids) {
              const id = yield* resolveExecutionId(ref)
              if ((yield* store.streamVersion(id)) === 0) {
                return yield* Effect.fail(new CliFailure({ reason: `no execution ${id}` }))
              }
              const rows = yield* store.readStream(id)
              for (const stored of f.reveal ? yield* reader.open(rows) : rows) {
                yield* sink.write(yield* exportLine(stored))
                written++
              }
            }
          }
        }),
      { force: f.force }
    )
    yield* reportExported(f, written)
    return corrupt > 0 ? ExitCode.Failure : ExitCode.Ok
  })
