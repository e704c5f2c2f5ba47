/** The typed failures of encryption at rest (issue 14). Messages name files and users, never key bytes. */
import { Data } from "effect"

/** No master key could be read (missing file, bad `CRATOS_MASTER_KEY`, unreadable file). */
export class MasterKeyError extends Data.TaggedError("MasterKeyError")<{ readonly reason: string }> {
  override get message(): string {
    return `master key: ${this.reason}`
  }
}

/** The data keys table could not be read or written. */
export class ContentKeyStoreError extends Data.TaggedError("ContentKeyStoreError")<{ readonly reason: string }> {
  override get message(): string {
    return `content keys: ${this.reason}`
  }
}
