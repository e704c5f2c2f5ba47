/**
 * Search over masked text only (issue 14): `list --search` must not confirm a guessed secret, also
 * on rows written before encryption (or with `--encryption off`), whose `executions.input_text`
 * still holds the plaintext. Rows are never rewritten; instead every SQLite connection gets the
 * SQL function `cratos_masked(text)` (the store's `maskedText`), and the read model's search
 * matches `cratos_masked(input_text)`, after a plain LIKE on the stored text that keeps the masking
 * to the rows that could match (masking only removes text, so a masked match is a stored match).
 */
import { Events, maskSecrets } from "@cratos/domain"
import type BetterSqlite3 from "better-sqlite3"

/** The SQL function's name. */
export const MASKED_TEXT_FUNCTION = "cratos_masked"

/** Registers `cratos_masked(text)` on `db` (deterministic; NULL and non-text pass through). */
export const registerMaskedText = (db: BetterSqlite3.Database): void => {
  db.function(MASKED_TEXT_FUNCTION, { deterministic: true }, (value: unknown) =>
    typeof value === "string" ? Events.maskText(maskSecrets, value) : value
  )
}
