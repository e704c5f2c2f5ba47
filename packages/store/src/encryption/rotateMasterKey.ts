/**
 * `cratos key rotate` (issue 14): a new master key re-wraps every data key in one transaction; no
 * event is rewritten. The new key goes to `master.key`; the old one is kept as
 * `master.key.old-<id>` and the result says it can be deleted once every backup of the key file
 * has the new key (a database backup taken before still needs the old one).
 *
 * Only for the default key file: with `CRATOS_MASTER_KEY` / `CRATOS_MASTER_KEY_FILE` the caller
 * manages the key, so the new key is written beside the database and the caller says where.
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import { keyFingerprint, newKey } from "./ContentCipher.js"
import { ContentKeys } from "./ContentKeys.js"
import { MasterKeyError } from "./EncryptionErrors.js"
import type { MasterKey } from "./MasterKey.js"

export interface RotateResult {
  readonly rewrapped: number
  readonly newKeyId: string
  readonly newKeyFile: string
  /** Where the old key now is: delete it once nothing needs it. */
  readonly oldKeyFile: string
}

export const rotateMasterKey = (keyFile: string) =>
  Effect.gen(function* () {
    const keys = yield* ContentKeys
    const old = yield* keys.master
    if (old.source !== keyFile) {
      return yield* new MasterKeyError({
        reason: `rotation writes ${keyFile}, but the key in use comes from ${old.source}`
      })
    }
    const key = newKey()
    const next: MasterKey = { key, id: keyFingerprint(key), source: keyFile, created: true }
    const pending = `${keyFile}.new`
    const oldKeyFile = `${keyFile}.old-${old.id}`
    // The new key is on disk before any data key depends on it.
    yield* Effect.try({
      try: () => fs.writeFileSync(pending, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" }),
      catch: () => new MasterKeyError({ reason: `cannot write ${pending} (remove it if a rotation was interrupted)` })
    })
    const rewrapped = yield* keys.rotate(next)
    yield* Effect.try({
      try: () => {
        fs.copyFileSync(keyFile, oldKeyFile, fs.constants.COPYFILE_EXCL)
        fs.chmodSync(oldKeyFile, 0o600)
        fs.renameSync(pending, keyFile)
      },
      catch: () => new MasterKeyError({ reason: `data keys re-wrapped; move ${pending} to ${keyFile} by hand` })
    })
    return { rewrapped, newKeyId: next.id, newKeyFile: keyFile, oldKeyFile } satisfies RotateResult
  })

/** Whether encryption at rest is on: yes unless `--encryption off` or `CRATOS_ENCRYPTION=off`. */
export const encryptionEnabled = (
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env
): boolean => (flag ?? env["CRATOS_ENCRYPTION"] ?? "on").toLowerCase() !== "off"
