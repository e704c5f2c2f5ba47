/**
 * `list --search` on PostgreSQL over masked text only (issue 14's rule, as on SQLite): rows written
 * with `--encryption off`, or before encryption, hold the plaintext in `executions.input_text`, so
 * a match on the stored text could confirm a guessed secret. PostgreSQL has no per-connection
 * JavaScript function (SQLite's `cratos_masked`), so the statement's `ILIKE` on the stored text is
 * a pre-filter (masking only removes text: a masked match is a stored match), and the store's
 * `maskedText` decides here, in JavaScript. Rows are read in keyset chunks, newest first, until
 * the page is full: `offset` counts matching rows only, as on SQLite.
 */
import { maskedText } from "@cratos/store"

/** Whether `text`'s masked view holds `search`, case folded for every letter as `ILIKE` does. */
export const matchesMasked = (search: string): ((text: string | null) => boolean) => {
  const needle = search.toLowerCase()
  return (text) => text !== null && maskedText(text).toLowerCase().includes(needle)
}

/** How many rows one read asks for: the page and what it skips, within [100, 1000]. */
export const chunkSize = (limit: number, offset: number): number => Math.min(1000, Math.max(100, limit + offset))

export interface PageOfMatches<Row> {
  readonly limit: number
  readonly offset: number
  readonly chunk: number
  /** The next `size` rows in list order after `after` (the last row of the previous read), or the first. */
  readonly fetch: (after: Row | undefined, size: number) => Promise<ReadonlyArray<Row>>
  readonly matches: (row: Row) => boolean
}

/** Rows [offset, offset + limit) of those that match, in list order, reading no further than needed. */
export const pageOfMatches = async <Row>(p: PageOfMatches<Row>): Promise<Array<Row>> => {
  const out: Array<Row> = []
  if (p.limit === 0) return out
  let skip = p.offset
  let after: Row | undefined
  for (;;) {
    const rows = await p.fetch(after, p.chunk)
    for (const row of rows) {
      if (!p.matches(row)) continue
      if (skip > 0) skip--
      else if (out.push(row) === p.limit) return out
    }
    if (rows.length < p.chunk) return out
    after = rows[rows.length - 1]
  }
}
