/**
 * `cratos forget --user U --yes` (issue 14): crypto-shredding. Destroys U's data key, so U's raw
 * content (tool inputs and outputs, messages, responses, errors) cannot be opened again by
 * anyone, master key or not. No event is rewritten and the append-only triggers stay on: the
 * timelines, masked copies and statistics remain. The forget is recorded (user, key id, time) in
 * `forgotten_users`; `cratos forget --list` prints that table.
 *
 * Without `--yes` nothing is destroyed: the command says what it would do and exits 1.
 */
import { ContentKeys, type ForgottenUser } from "@cratos/store"
import { Clock, Effect } from "effect"
import type { InvocationOf } from "../Commands.js"
import { CliFailure, ExitCode } from "../errors.js"
import { Output } from "../Output.js"
import { table } from "../Table.js"

const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

/** The table of forgotten users (`--list`). */
export const forgottenLines = (rows: ReadonlyArray<ForgottenUser>): ReadonlyArray<string> =>
  rows.length === 0
    ? ["No user has been forgotten."]
    : table(
        [
          { header: "USER", value: (r: ForgottenUser) => r.userId },
          { header: "KEY", value: (r: ForgottenUser) => r.keyId },
          { header: "FORGOTTEN AT (UTC)", value: (r: ForgottenUser) => r.forgottenAt }
        ],
        rows
      )

const asJson = (r: ForgottenUser) => ({ user_id: r.userId, key_id: r.keyId, forgotten_at: r.forgottenAt })

export const forget = (inv: InvocationOf<"forget">) =>
  Effect.gen(function* () {
    const out = yield* Output
    const keys = yield* ContentKeys
    const storeFailure = (e: { readonly message: string }) => new CliFailure({ reason: e.message })
    if (inv.flags.list) {
      const rows = yield* Effect.mapError(keys.forgotten, storeFailure)
      if (inv.flags.json) yield* out.line(JSON.stringify(rows.map(asJson)))
      else for (const line of forgottenLines(rows)) yield* out.line(line)
      return ExitCode.Ok
    }
    const user = inv.flags.user
    if (user === undefined) {
      return yield* Effect.fail(
        new CliFailure({ reason: "forget needs --user USER (or --list)", exitCode: ExitCode.Usage })
      )
    }
    if (!inv.flags.yes) {
      return yield* Effect.fail(
        new CliFailure({
          reason: `nothing done: forget destroys ${JSON.stringify(user)}'s data key for good (their raw content can never be read again); add --yes`
        })
      )
    }
    const forgotten = yield* Effect.mapError(keys.forget(user, yield* nowIso), storeFailure)
    if (forgotten === undefined) {
      return yield* Effect.fail(
        new CliFailure({
          reason: `${JSON.stringify(user)} has no data key (nothing of theirs is encrypted, or they were forgotten already: cratos forget --list)`
        })
      )
    }
    if (inv.flags.json) yield* out.line(JSON.stringify(asJson(forgotten)))
    else {
      yield* out.line(
        `forgot ${forgotten.userId}: data key ${forgotten.keyId} destroyed at ${forgotten.forgottenAt}; their raw content can no longer be read (masked copies and statistics remain)`
      )
      yield* out.error(
        "cratos: a backup of the database or its export taken before now still holds that key, wrapped by the master key: destroy such backups, or the master key they need"
      )
    }
    return ExitCode.Ok
  })
