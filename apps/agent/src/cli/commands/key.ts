/**
 * `cratos key rotate` (issue 14): a new master key re-wraps every data key in one transaction;
 * no event is rewritten. The new key goes to the key file in CRATOS_HOME; the old key is kept
 * beside it (`master.key.old-<id>`) and the command says when it can go: the database no longer
 * needs it once the command succeeded, but a backup of the database (or of `content_keys`) taken
 * before the rotation still does.
 *
 * With CRATOS_MASTER_KEY or CRATOS_MASTER_KEY_FILE the key is managed outside Cratos, and the
 * command refuses (one line) rather than write a key somewhere unexpected.
 */
import { ContentKeys, masterKeyPath, rotateMasterKey } from "@cratos/store"
import { Effect } from "effect"
import type { InvocationOf } from "../Commands.js"
import { CliFailure, ExitCode } from "../errors.js"
import { Output } from "../Output.js"

export const key = (inv: InvocationOf<"key">) =>
  Effect.gen(function* () {
    const out = yield* Output
    if (inv.args !== "rotate") {
      return yield* Effect.fail(
        new CliFailure({
          reason: `key: unknown action ${JSON.stringify(inv.args)}; one of rotate`,
          exitCode: ExitCode.Usage
        })
      )
    }
    const env = process.env
    if ((env["CRATOS_MASTER_KEY"] ?? "") !== "" || (env["CRATOS_MASTER_KEY_FILE"] ?? "") !== "") {
      return yield* Effect.fail(
        new CliFailure({
          reason:
            "key rotate rotates the key file in CRATOS_HOME; the key in use comes from CRATOS_MASTER_KEY or CRATOS_MASTER_KEY_FILE (unset it to rotate the file)"
        })
      )
    }
    const result = yield* rotateMasterKey(masterKeyPath(env)).pipe(
      Effect.provideService(ContentKeys, yield* ContentKeys),
      Effect.mapError((e) => new CliFailure({ reason: e.message }))
    )
    if (inv.flags.json) {
      yield* out.line(
        JSON.stringify({
          rewrapped: result.rewrapped,
          new_key_id: result.newKeyId,
          key_file: result.newKeyFile,
          old_key_file: result.oldKeyFile
        })
      )
    } else {
      yield* out.line(
        `rotated: ${result.rewrapped} data key${result.rewrapped === 1 ? "" : "s"} re-wrapped under the new master key ${result.newKeyId} in ${result.newKeyFile}`
      )
      yield* out.line(
        `the old key is kept in ${result.oldKeyFile}: this database no longer needs it, so it can go once no backup taken before now is needed (such a backup opens only with the old key)`
      )
    }
    return ExitCode.Ok
  })
