/**
 * Group commit (opt-in): concurrent appends coalesced into shared transactions.
 *
 * With WAL and `synchronous=NORMAL` most of a single-event append is its COMMIT (the WAL frames
 * of the table and index pages it touched). When many fibers append at once, this wrapper lets
 * them share one `BEGIN IMMEDIATE … COMMIT`:
 *
 * - `append` (without an idempotency key) encodes and validates the events in the caller's
 *   fiber, queues the request and waits; the first request of a group schedules a flush (a
 *   daemon fiber, after one yield so that every fiber ready to append gets to queue first);
 * - the flush runs one transaction over the queued requests (at most `maxGroup` of them, then
 *   the next group): each request with the store's own version check and inserts
 *   (`sql/appendToStream`), a request of several events in its own SAVEPOINT (one of a single
 *   event needs none: a failing statement undoes itself), so a request's outcome is exactly what
 *   `EventStore.append` would give it alone at that point of the log: a stale `expectedVersion`
 *   fails that request alone with ConcurrencyError, an insert that throws rolls back that
 *   request alone, the others in the group commit (unless SQLite rolled the whole transaction
 *   back, as on a full disk: then the whole group fails);
 * - nobody is answered before COMMIT returns: if COMMIT (or BEGIN) fails, every request of the
 *   group that would have succeeded fails with StorageError and nothing of the group is written.
 *
 * `startExecution` (without an idempotency key) is grouped the same way: the executions row and
 * its MessageReceived in a SAVEPOINT of the shared transaction (an existing id fails that request
 * alone with ExecutionAlreadyExists).
 *
 * Everything else (reads, starts and appends with an idempotency key) is the wrapped EventStore's,
 * unchanged. Use it where many fibers of one process append concurrently:
 *
 *   Layer.provide(GroupCommit.layer(), EventStore.layer({ path }))   // an EventStore
 */
import type { ExecutionEvent, MessageReceived } from "@cratos/domain"
import { Context, Deferred, Effect, Layer } from "effect"
import { Database } from "./Database.js"
import {
  ConcurrencyError,
  ExecutionAlreadyExists,
  ExecutionNotFound,
  InvalidEvent,
  type StorageError
} from "./errors.js"
import { DEFAULT_MAX_EVENT_BYTES, encodeAll, encodeForStore } from "./EventEncoding.js"
import { EventStore } from "./EventStore.js"
import type { AppendOptions, AppendResult, EventStoreShape, StartOptions, StartResult } from "./EventStoreShape.js"
import { type AppendOutcome, prepareAppendToStream } from "./sql/appendToStream.js"
import type { EncodedEvent } from "./sql/EncodedEvent.js"
import { prepareStartExecution, type StartOutcome } from "./sql/startExecution.js"
import { toStorageError } from "./SqliteFailure.js"

export interface GroupCommitOptions {
  /** Most requests in one transaction (default 512). */
  readonly maxGroup?: number
  /** Cap on one event's `event_data` in UTF-8 bytes (default 16 MiB), as the store's. */
  readonly maxEventBytes?: number
  /**
   * Flush after the I/O callbacks already due (`setImmediate`) rather than after one yield
   * (default false). For a server: requests whose bodies arrived in the same turn of the event
   * loop then share a group; after a yield only the fibers already running would (each request's
   * fiber reaches the append from its own I/O callback, so after a yield the group is that one).
   */
  readonly afterIo?: boolean
}

export interface GroupCommitStats {
  /** Transactions committed (or attempted) by the flusher. */
  readonly groups: number
  /** Append requests they carried. */
  readonly requests: number
}

type AppendFailure = Effect.Effect.Error<ReturnType<EventStoreShape["append"]>>
type StartFailure = Effect.Effect.Error<ReturnType<EventStoreShape["startExecution"]>>

interface AppendRequest {
  readonly _tag: "Append"
  readonly executionId: string
  readonly encoded: ReadonlyArray<EncodedEvent>
  readonly expectedVersion: number | undefined
  readonly deferred: Deferred.Deferred<AppendResult, AppendFailure>
  outcome?: AppendOutcome | StorageError
}

interface StartRequest {
  readonly _tag: "Start"
  readonly executionId: string
  readonly event: MessageReceived
  readonly encoded: EncodedEvent
  readonly inputText: string
  readonly deferred: Deferred.Deferred<StartResult, StartFailure>
  outcome?: StartOutcome | StorageError
}

type Request = AppendRequest | StartRequest

/** The wrapped store with grouped appends, and counters of what the flusher did. */
export const makeGroupCommit = (options: GroupCommitOptions = {}) =>
  Effect.gen(function* () {
    const { connection: db, path } = yield* Database
    const base = yield* EventStore
    const maxGroup = Math.max(1, Math.floor(options.maxGroup ?? 512))
    const maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES

    const sql = yield* Effect.try({
      try: () => ({
        appendToStream: prepareAppendToStream(db),
        startExecution: prepareStartExecution(db),
        begin: db.prepare("BEGIN IMMEDIATE"),
        commit: db.prepare("COMMIT"),
        rollback: db.prepare("ROLLBACK"),
        savepoint: db.prepare("SAVEPOINT group_commit_request"),
        release: db.prepare("RELEASE group_commit_request"),
        rollbackTo: db.prepare("ROLLBACK TO group_commit_request")
      }),
      catch: (e) => toStorageError("GroupCommit.prepare", path, e)
    })

    let queue: Array<Request> = []
    let scheduled = false
    let groups = 0
    let requests = 0

    /** One transaction over `group`; sets each request's outcome. Synchronous. */
    const runGroup = (group: ReadonlyArray<Request>): void => {
      groups += 1
      requests += group.length
      try {
        sql.begin.run()
      } catch (e) {
        const failure = toStorageError("GroupCommit.begin", path, e)
        for (const r of group) r.outcome = failure
        return
      }
      /** The request's statements; a failure of them is its outcome alone. */
      const runOne = (r: Request): void => {
        if (r._tag === "Append") {
          r.outcome = sql.appendToStream.append(r.executionId, r.encoded, r.expectedVersion)
          return
        }
        const { event } = r
        r.outcome = sql.startExecution(
          {
            id: r.executionId,
            userId: event.message.user_id,
            channel: event.message.channel_type,
            inputText: r.inputText,
            createdAt: event.timestamp
          },
          r.encoded
        )
      }
      for (const r of group) {
        if (r._tag === "Append" && r.encoded.length === 1) {
          // One INSERT: a failing statement undoes itself (statement rollback), no savepoint needed.
          try {
            runOne(r)
          } catch (e) {
            const failure = toStorageError("EventStore.append", path, e)
            r.outcome = failure
            if (!db.inTransaction) {
              // SQLite rolled the whole transaction back (disk full, I/O error): the group is lost.
              for (const q of group) q.outcome = failure
              return
            }
          }
          continue
        }
        try {
          sql.savepoint.run()
          let failure: StorageError | undefined
          try {
            runOne(r)
          } catch (e) {
            failure = toStorageError(r._tag === "Append" ? "EventStore.append" : "EventStore.startExecution", path, e)
            r.outcome = failure
            if (db.inTransaction) sql.rollbackTo.run()
          }
          if (!db.inTransaction) {
            const lost = failure ?? toStorageError("GroupCommit.savepoint", path, new Error("transaction rolled back"))
            for (const q of group) q.outcome = lost
            return
          }
          sql.release.run()
        } catch (e) {
          // SAVEPOINT, ROLLBACK TO or RELEASE failed: the transaction is in doubt; give it up whole.
          if (db.inTransaction) sql.rollback.run()
          const failure = toStorageError("GroupCommit.savepoint", path, e)
          for (const q of group) q.outcome = failure
          return
        }
      }
      try {
        sql.commit.run()
      } catch (e) {
        if (db.inTransaction) sql.rollback.run()
        const failure = toStorageError("GroupCommit.commit", path, e)
        for (const r of group) r.outcome = failure
      }
    }

    /** The result a request's caller gets, once its group has committed (or failed). */
    const settle = (r: Request): void => {
      if (r._tag === "Start") {
        settleStart(r)
        return
      }
      const out = r.outcome
      if (out === undefined) {
        Deferred.unsafeDone(r.deferred, Effect.fail(toStorageError("GroupCommit", path, new Error("not run"))))
        return
      }
      switch (out._tag) {
        case "Appended": {
          const last = out.positions[out.positions.length - 1]
          if (last !== undefined) sql.appendToStream.remember(r.executionId, last, out.version)
          Deferred.unsafeDone(
            r.deferred,
            Effect.succeed({
              executionId: r.executionId,
              version: out.version,
              positions: out.positions,
              deduplicated: false
            })
          )
          return
        }
        case "NotFound":
          Deferred.unsafeDone(r.deferred, Effect.fail(new ExecutionNotFound({ executionId: r.executionId })))
          return
        case "Conflict":
          Deferred.unsafeDone(
            r.deferred,
            Effect.fail(
              new ConcurrencyError({
                executionId: r.executionId,
                expected: r.expectedVersion ?? -1,
                actual: out.actual
              })
            )
          )
          return
        default:
          Deferred.unsafeDone(r.deferred, Effect.fail(out))
      }
    }

    const settleStart = (r: StartRequest): void => {
      const out = r.outcome
      if (out === undefined) {
        Deferred.unsafeDone(r.deferred, Effect.fail(toStorageError("GroupCommit", path, new Error("not run"))))
        return
      }
      switch (out._tag) {
        case "Started":
          sql.appendToStream.remember(r.executionId, out.position, 1)
          Deferred.unsafeDone(
            r.deferred,
            Effect.succeed({ executionId: r.executionId, position: out.position, version: 1 })
          )
          return
        case "AlreadyExists":
          Deferred.unsafeDone(r.deferred, Effect.fail(new ExecutionAlreadyExists({ executionId: r.executionId })))
          return
        default:
          Deferred.unsafeDone(r.deferred, Effect.fail(out))
      }
    }

    const flush = Effect.sync(() => {
      try {
        while (queue.length > 0) {
          const group = queue.length <= maxGroup ? queue : queue.slice(0, maxGroup)
          queue = queue.length <= maxGroup ? [] : queue.slice(maxGroup)
          try {
            runGroup(group)
          } catch (e) {
            // Only a failed ROLLBACK gets here: fail the group (settle answers "not run" otherwise).
            const failure = toStorageError("GroupCommit.rollback", path, e)
            for (const r of group) r.outcome = failure
          }
          for (const r of group) settle(r)
        }
      } finally {
        scheduled = false
      }
    })

    /** Lets every fiber that is ready to append (or, `afterIo`, every request due) queue first, then flushes; not interruptible. */
    const wait = options.afterIo
      ? Effect.async<void>((resume) => {
          setImmediate(() => resume(Effect.void))
        })
      : Effect.yieldNow()
    const scheduleFlush = Effect.forkDaemon(wait.pipe(Effect.zipRight(flush), Effect.uninterruptible))

    const append: EventStoreShape["append"] = (
      executionId: string,
      events: ReadonlyArray<ExecutionEvent>,
      appendOptions: AppendOptions = {}
    ) => {
      if (appendOptions.idempotencyKey !== undefined) return base.append(executionId, events, appendOptions)
      return Effect.suspend(() => {
        const { expectedVersion } = appendOptions
        if (expectedVersion !== undefined && !(Number.isSafeInteger(expectedVersion) && expectedVersion >= 0)) {
          return Effect.fail(
            new InvalidEvent({ executionId, index: -1, reason: `expectedVersion ${expectedVersion} is not a version` })
          )
        }
        const encoded = encodeAll(executionId, events, maxEventBytes)
        if (encoded instanceof InvalidEvent) return Effect.fail(encoded)
        return Effect.flatMap(Deferred.make<AppendResult, AppendFailure>(), (deferred) =>
          enqueue({ _tag: "Append", executionId, encoded, expectedVersion, deferred })
        )
      })
    }

    const startExecution: EventStoreShape["startExecution"] = (
      executionId: string,
      event: MessageReceived,
      startOptions: StartOptions = {}
    ) => {
      if (startOptions.idempotencyKey !== undefined) return base.startExecution(executionId, event, startOptions)
      return Effect.suspend(() => {
        if ((event as ExecutionEvent).type !== "MessageReceived") {
          return Effect.fail(
            new InvalidEvent({
              executionId,
              index: 0,
              reason: `an execution starts with MessageReceived, not ${(event as ExecutionEvent).type}`
            })
          )
        }
        const encoded = encodeForStore(executionId, 0, event, maxEventBytes)
        if (encoded instanceof InvalidEvent) return Effect.fail(encoded)
        const inputText = startOptions.inputText ?? event.message.text
        return Effect.flatMap(Deferred.make<StartResult, StartFailure>(), (deferred) =>
          enqueue({ _tag: "Start", executionId, event, encoded, inputText, deferred })
        )
      })
    }

    /** Queues `r` (scheduling a flush when none is) and waits for its group's outcome. */
    const enqueue = <A, E>(r: Request & { readonly deferred: Deferred.Deferred<A, E> }): Effect.Effect<A, E> => {
      queue.push(r)
      if (scheduled) return Deferred.await(r.deferred)
      scheduled = true
      return Effect.zipRight(scheduleFlush, Deferred.await(r.deferred))
    }

    const store: EventStoreShape = { ...base, append, startExecution }
    const stats = (): GroupCommitStats => ({ groups, requests })
    return { store, stats }
  })

export interface GroupCommitShape {
  /** The wrapped store: appends grouped, everything else the base store's. */
  readonly store: EventStoreShape
  readonly stats: () => GroupCommitStats
}

export class GroupCommit extends Context.Tag("@cratos/store/GroupCommit")<GroupCommit, GroupCommitShape>() {
  /** The wrapped store with grouped appends (see the module comment) and its counters. */
  static readonly make: (
    options?: GroupCommitOptions
  ) => Effect.Effect<GroupCommitShape, StorageError, EventStore | Database> = makeGroupCommit
  /** An EventStore whose appends are grouped (and its counters), over the EventStore and Database it is given. */
  static readonly layer = (
    options: GroupCommitOptions = {}
  ): Layer.Layer<EventStore | GroupCommit, StorageError, EventStore | Database> =>
    Layer.effectContext(
      Effect.map(makeGroupCommit(options), (g) => Context.make(GroupCommit, g).pipe(Context.add(EventStore, g.store)))
    )
}
