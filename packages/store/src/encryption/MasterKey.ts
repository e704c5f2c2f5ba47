/**
 * Where the master key comes from (issue 14), first that applies:
 * 1. `CRATOS_MASTER_KEY`: the key itself, base64 (or base64url) of 32 bytes;
 * 2. `CRATOS_MASTER_KEY_FILE`: a file holding that text;
 * 3. `master.key` in `CRATOS_HOME` (else `~/.cratos`), created with mode 0600 (like an SSH key)
 *    by the first command that writes (`create: true`); read-only commands never create it.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Either } from "effect"
import { keyFingerprint, newKey } from "./ContentCipher.js"
import { MasterKeyError } from "./EncryptionErrors.js"

export interface MasterKey {
  readonly key: Buffer
  /** Public id of the key (keyFingerprint). */
  readonly id: string
  /** Where it came from, for messages: `CRATOS_MASTER_KEY` or a file path. */
  readonly source: string
  /** Whether this call created the file. */
  readonly created: boolean
}

export type Env = Readonly<Record<string, string | undefined>>

/** The default key file: `CRATOS_HOME/master.key`, else `~/.cratos/master.key`. */
export const masterKeyPath = (env: Env = process.env): string =>
  path.join(env["CRATOS_HOME"] ?? path.join(os.homedir(), ".cratos"), "master.key")

const decodeKey = (text: string, source: string): Either.Either<Buffer, MasterKeyError> => {
  const trimmed = text.trim()
  const key = Buffer.from(trimmed, /[-_]/.test(trimmed) ? "base64url" : "base64")
  return key.length === 32
    ? Either.right(key)
    : Either.left(new MasterKeyError({ reason: `${source} does not hold a 32-byte key in base64` }))
}

const readKeyFile = (file: string, created: boolean): Either.Either<MasterKey, MasterKeyError> => {
  let text: string
  try {
    text = fs.readFileSync(file, "utf8")
  } catch (e) {
    const code = (e as { code?: string }).code
    return Either.left(
      new MasterKeyError({
        reason:
          code === "ENOENT"
            ? `no key file at ${file}: the content is encrypted; give CRATOS_MASTER_KEY or CRATOS_MASTER_KEY_FILE`
            : `cannot read ${file} (${code ?? "error"})`
      })
    )
  }
  return Either.map(decodeKey(text, file), (key) => ({ key, id: keyFingerprint(key), source: file, created }))
}

/**
 * Writes a new key file with mode 0600; never replaces an existing one. The key is written whole
 * to a temporary file first and then linked into place, so a concurrent reader never sees a
 * half-written key (and of two racing writers, the second fails and reads the first's).
 */
export const writeNewKeyFile = (file: string, key: Buffer = newKey()): Either.Either<MasterKey, MasterKeyError> => {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
    fs.writeFileSync(temp, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" })
    fs.linkSync(temp, file)
    return Either.right({ key, id: keyFingerprint(key), source: file, created: true })
  } catch (e) {
    return Either.left(
      new MasterKeyError({ reason: `cannot create ${file} (${(e as { code?: string }).code ?? "error"})` })
    )
  } finally {
    fs.rmSync(temp, { force: true })
  }
}

/** The master key, creating the default file when `create` and nothing else is configured. */
export const resolveMasterKey = (options: {
  readonly create: boolean
  readonly env?: Env
}): Either.Either<MasterKey, MasterKeyError> => {
  const env = options.env ?? process.env
  const inline = env["CRATOS_MASTER_KEY"]
  if (inline !== undefined && inline !== "") {
    return Either.map(decodeKey(inline, "CRATOS_MASTER_KEY"), (key) => ({
      key,
      id: keyFingerprint(key),
      source: "CRATOS_MASTER_KEY",
      created: false
    }))
  }
  const file = env["CRATOS_MASTER_KEY_FILE"]
  if (file !== undefined && file !== "") return readKeyFile(file, false)
  const fallback = masterKeyPath(env)
  if (options.create && !fs.existsSync(fallback)) {
    const written = writeNewKeyFile(fallback)
    // Another process may have created it first: read what is there.
    return Either.isRight(written) ? written : readKeyFile(fallback, false)
  }
  return readKeyFile(fallback, false)
}
