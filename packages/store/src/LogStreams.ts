/**
 * The log as effect Streams, over any dialect's page query: keyset pagination on the position,
 * memory bounded by a page. `readAll` decodes and fails at the first row that does not decode;
 * `readLog` turns such a row into a `Corrupt` entry and goes on (for projectors). Shared by the
 * SQLite and PostgreSQL stores.
 */
import { Chunk, Effect, Option, Stream } from "effect"
import { CorruptEvent, type StorageError } from "./errors.js"
import { decodeRow } from "./EventEncoding.js"
import type { LogEntry, ReadAllOptions, StoredEvent } from "./EventStoreShape.js"

/** [position, execution_id, user_id, event_data] */
export type LogRow = readonly [number, string, string, string]

/** Rows after `after` (exclusive) by position, at most `limit`. */
export type FetchPage = (
  operation: string,
  after: number,
  limit: number
) => Effect.Effect<ReadonlyArray<LogRow>, StorageError>

interface PageState {
  readonly after: number
  readonly remaining: number
  readonly failure?: CorruptEvent
}

/** Decoded rows of one stream, or the first CorruptEvent. */
export const decodeRows = (rows: ReadonlyArray<LogRow>): Array<StoredEvent> | CorruptEvent => {
  const out: Array<StoredEvent> = []
  for (const [position, executionId, userId, data] of rows) {
    const d = decodeRow(position, executionId, userId, data)
    if (d instanceof CorruptEvent) return d
    out.push(d)
  }
  return out
}

export const logStreams = (fetchPage: FetchPage) => {
  const paginate = <A>(
    operation: string,
    options: ReadAllOptions,
    toChunk: (rows: ReadonlyArray<LogRow>) => { readonly items: Array<A>; readonly failure?: CorruptEvent }
  ): Stream.Stream<A, CorruptEvent | StorageError> => {
    const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1000))
    const start: PageState = { after: options.after ?? 0, remaining: options.limit ?? Number.POSITIVE_INFINITY }
    return Stream.paginateChunkEffect(
      start,
      (
        s: PageState
      ): Effect.Effect<readonly [Chunk.Chunk<A>, Option.Option<PageState>], CorruptEvent | StorageError> => {
        if (s.failure !== undefined) return Effect.fail(s.failure)
        if (s.remaining <= 0) return Effect.succeed([Chunk.empty<A>(), Option.none<PageState>()] as const)
        const n = Math.min(batchSize, s.remaining)
        return Effect.map(fetchPage(operation, s.after, n), (rows) => {
          const { failure, items } = toChunk(rows)
          const last = rows[rows.length - 1]
          const next: Option.Option<PageState> =
            failure !== undefined
              ? Option.some({ after: s.after, remaining: 0, failure })
              : rows.length < n || last === undefined
                ? Option.none()
                : Option.some({ after: last[0], remaining: s.remaining - rows.length })
          return [Chunk.unsafeFromArray(items), next] as const
        })
      }
    ).pipe(Stream.withSpan(operation))
  }

  const readAll = (options: ReadAllOptions = {}): Stream.Stream<StoredEvent, CorruptEvent | StorageError> =>
    paginate("EventStore.readAll", options, (rows) => {
      const items: Array<StoredEvent> = []
      for (const [position, executionId, userId, data] of rows) {
        const d = decodeRow(position, executionId, userId, data)
        if (d instanceof CorruptEvent) return { items, failure: d }
        items.push(d)
      }
      return { items }
    })

  const readLog = (options: ReadAllOptions = {}): Stream.Stream<LogEntry, StorageError> =>
    paginate("EventStore.readLog", options, (rows) => ({
      items: rows.map(([position, executionId, userId, data]): LogEntry => {
        const d = decodeRow(position, executionId, userId, data)
        return d instanceof CorruptEvent ? { _tag: "Corrupt", error: d } : { _tag: "Event", stored: d }
      })
    })) as Stream.Stream<LogEntry, StorageError>

  return { readAll, readLog }
}
