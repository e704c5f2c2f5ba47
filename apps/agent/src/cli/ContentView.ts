/**
 * What the CLI prints of raw content (issue 14): masked unless `--reveal`. The store opens sealed
 * fields on read; this masks them again for printing (decrypt, then mask), so `show --json`
 * gives valid wire events with every raw field replaced by its masked value (the tool input and
 * output by the masked copies the events carry). `--reveal` prints the plaintext as appended.
 */
import { type ExecutionEvent, maskRawContent } from "@cratos/domain"
import { maskedText } from "@cratos/store"

/** `event` as printed: masked, or as it was appended with `reveal`. */
export const eventView =
  (reveal: boolean) =>
  (event: ExecutionEvent): ExecutionEvent =>
    reveal ? event : maskRawContent(event)

/** An execution row as printed: its message text masked (rows from before encryption hold plaintext). */
export const rowView = <R extends { readonly input_text: string }>(row: R): R => ({
  ...row,
  input_text: maskedText(row.input_text)
})
