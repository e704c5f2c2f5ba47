/**
 * The server's event store on SQLite: the sealing store (issue 14: content sealed in the request's
 * fiber) over the store's `GroupCommit` (`@cratos/store`), so that the appends of concurrent
 * requests share one `BEGIN IMMEDIATE … COMMIT` instead of one transaction each. Each request is
 * still answered only after the COMMIT that holds its events, with the outcome it would have had
 * alone (a stale expected version, a failed insert or a refusal fails that request only; see
 * GroupCommit.ts). Appends with an `Idempotency-Key`, starts and reads are the plain store's.
 *
 * Composed here from the store's parts (`sealingLayer`, `sqliteUserOf`, `GroupCommit`,
 * `ContentKeys`) rather than `encryptedEventStore`, which seals over the plain store.
 */
import {
  ContentKeys,
  type ContentReader,
  type Database,
  EventStore,
  GroupCommit,
  sealingLayer,
  sqliteUserOf,
  type StorageError
} from "@cratos/store"
import { Effect, Layer } from "effect"

/** `seal`: whether ingested content is sealed (false: `--encryption off`; reads still open). */
export const groupedSealingStore = (
  seal: boolean
): Layer.Layer<EventStore | ContentReader | ContentKeys | GroupCommit, StorageError, Database> =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const grouped = yield* GroupCommit
      const keys = yield* ContentKeys
      const userOf = yield* sqliteUserOf
      return Layer.merge(sealingLayer(grouped.store, keys, userOf, { seal }), Layer.succeed(GroupCommit, grouped))
    })
  ).pipe(
    Layer.provide(GroupCommit.layer({ afterIo: true }).pipe(Layer.provide(EventStore.layerFromDatabase()))),
    Layer.provideMerge(ContentKeys.layer({ create: seal }))
  )
