/**
 * The list's keyset cursor: the `created_at` of the last row returned and how many rows at that
 * same instant were returned. The next page is `created_at <= t` skipping those; executions
 * created meanwhile are newer and do not move it (stable while others append).
 */
import { Either, Schema } from "effect"

export const ListCursor = Schema.Struct({ t: Schema.String, n: Schema.Int.pipe(Schema.positive()) })
export type ListCursor = typeof ListCursor.Type

const CursorFromText = Schema.compose(Schema.StringFromBase64Url, Schema.parseJson(ListCursor))

export const encodeCursor = (cursor: ListCursor): string => Schema.encodeSync(CursorFromText)(cursor)

export const decodeCursor = (text: string): Either.Either<ListCursor, string> =>
  Either.mapLeft(Schema.decodeUnknownEither(CursorFromText)(text), () => "not a cursor this server gave")

/** The cursor after `rows` (newest first), or null when the page was not full. */
export const nextCursor = (
  rows: ReadonlyArray<{ readonly created_at: string }>,
  limit: number,
  previous: ListCursor | undefined,
  sameInstant: (a: string, b: string) => boolean
): ListCursor | null => {
  const last = rows[rows.length - 1]
  if (last === undefined || rows.length < limit) return null
  let n = 0
  for (let i = rows.length - 1; i >= 0 && sameInstant(rows[i]!.created_at, last.created_at); i--) n++
  // The whole page at the previous cursor's instant: those skipped before count too.
  if (previous !== undefined && n === rows.length && sameInstant(previous.t, last.created_at)) n += previous.n
  return { t: last.created_at, n }
}
