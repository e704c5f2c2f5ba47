/**
 * The event store with encryption at rest (issue 14): every write seals the raw content of the
 * events under the user's data key before it reaches SQL (so `execution_events.data` and the WAL
 * hold envelopes, and `executions.input_text` the masked text), and every read opens what the keys
 * allow.
 *
 * It wraps any `EventStoreShape` (`sealingEventStore`, independent of the SQL driver: the backend
 * gives the inner store, the `ContentKeys` and how to find an execution's user), so the write path
 * (the agent's recorder, `import`, the server's ingest) and the read paths change only the layer
 * they build: `SealingEventStore.layer` in place of `EventStore.layerFromDatabase()`.
 *
 * Reads: a field that does not open (no master key, user forgotten, corrupted envelope) reads as
 * `[encrypted]` and the rest of the event, and every other event, still reads. The first such
 * field of a process is said once as a warning (no master key: "content is encrypted …"); each
 * corrupted envelope is named by its execution, position and field. `readLog` (what
 * `export --all` writes) returns rows as stored: a backup stays encrypted. `ContentReader` gives
 * the reads as stored and the opening of log rows (`export --reveal`).
 *
 * With `seal: false` (`--encryption off`) writes are stored as given, and reads still open what
 * earlier writes sealed.
 */
import {
  type ExecutionEvent,
  isEnvelope,
  isEventEnvelope,
  maskedTextOf,
  maskRawContent,
  maskRawValue,
  maskStoredContent,
  type MessageReceived
} from "@cratos/domain"
import { Clock, Context, Effect, Either, Layer, Stream } from "effect"
import { Database } from "../Database.js"
import { InvalidEvent, StorageError } from "../errors.js"
import { DEFAULT_MAX_EVENT_BYTES, encodeAll } from "../EventEncoding.js"
import { toStorageError } from "../SqliteFailure.js"
import { EventStore, type EventStoreShape } from "../EventStore.js"
import * as Sqlite from "../SqliteEventStore.js"
import { ContentKeys, type ContentKeysShape, type DataKey } from "./ContentKeys.js"
import type { ContentKeyStoreError, MasterKeyError } from "./EncryptionErrors.js"
import type { Env } from "./MasterKey.js"
import { openEvent, sealEvent, type Unreadable } from "./EventSealing.js"

const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

/**
 * The masked text a row keeps in place of raw text (`executions.input_text`): the domain's
 * `maskRawValue` of a text, the same masking a v2 envelope's masked copy holds.
 */
export const maskedText = (text: string): string => maskRawValue(text) as string

/**
 * `events` each sealed by `seal`, or the refusal the store would give them unsealed when sealing
 * throws: a value nested deeper than the JavaScript stack (20,000 levels does) overflows the patch's
 * walk and JSON.stringify, where the store refuses anything past serde's 128 levels anyway. So a
 * write refused with encryption on is refused the same way as with it off, not a defect.
 */
const sealedOrRefused = <E extends ExecutionEvent>(
  executionId: string,
  events: ReadonlyArray<E>,
  seal: (event: E) => E
): Effect.Effect<ReadonlyArray<E>, InvalidEvent> =>
  Effect.suspend(() => {
    try {
      return Effect.succeed(events.map(seal))
    } catch (thrown) {
      const refused = encodeAll(executionId, events, DEFAULT_MAX_EVENT_BYTES)
      return refused instanceof InvalidEvent ? Effect.fail(refused) : Effect.die(thrown)
    }
  })

const keyError = (e: MasterKeyError | ContentKeyStoreError) =>
  new StorageError({ operation: "encryption", path: "content keys", code: e._tag, reason: e.message })

/** A field that did not open, where. */
export interface UnreadableField {
  readonly executionId: string
  readonly position: number | undefined
  readonly path: string
  readonly reason: Unreadable
}

/** The read side: the store's rows as stored, and how to open them. */
export interface ContentReaderShape {
  /** Reads as stored: envelopes kept (what `export` writes; a backup stays encrypted). */
  readonly asStored: EventStoreShape
  /** Stored events opened with every key that can be loaded (what `--reveal` shows). */
  readonly open: <E extends { readonly executionId: string; readonly event: ExecutionEvent }>(
    items: ReadonlyArray<E>
  ) => Effect.Effect<ReadonlyArray<E>>
  /**
   * Stored events as `show`, the API and the web UI print them (`maskRawContent` of the opened
   * event): the same result as masking what `open` gives, but nothing is opened except v1
   * envelopes of fields with no masked copy (rows sealed before v2): a v2 envelope carries its
   * masked copy, and the tool input and output have theirs in the event.
   */
  readonly masked: <E extends { readonly executionId: string; readonly event: ExecutionEvent }>(
    items: ReadonlyArray<E>
  ) => Effect.Effect<ReadonlyArray<E>>
  /** Whether writes seal. */
  readonly sealing: boolean
  /**
   * `events` sealed as the store would seal them (for a writer that commits them itself, e.g.
   * `import`'s one transaction on PostgreSQL), with the masked `input_text` when `events` start the
   * execution (undefined: the store's default, the message text).
   */
  readonly seal: (
    executionId: string,
    /** undefined: the user of the existing execution */
    userId: string | undefined,
    events: ReadonlyArray<ExecutionEvent>,
    startsExecution: boolean
  ) => Effect.Effect<{ readonly events: ReadonlyArray<ExecutionEvent>; readonly inputText?: string }, StorageError>
}

export class ContentReader extends Context.Tag("@cratos/store/ContentReader")<ContentReader, ContentReaderShape>() {
  /** For a store without encryption: reads are as stored and nothing needs opening. */
  static readonly plain = (store: EventStoreShape): ContentReaderShape => ({
    asStored: store,
    open: (items) => Effect.succeed(items),
    masked: (items) => Effect.succeed(maskItems(items)),
    sealing: false,
    seal: (_executionId, _userId, events) => Effect.succeed({ events })
  })
}

/** Each item's event in the masked view (`maskRawContent`). */
const maskItems = <E extends { readonly event: ExecutionEvent }>(items: ReadonlyArray<E>): ReadonlyArray<E> =>
  items.map((item) => {
    const event = maskRawContent(item.event)
    return event === item.event ? item : { ...item, event }
  })

/** Says each unreadable field once per process (never its content). */
const reporter = (keys: ContentKeysShape) => {
  let saidNoKey = false
  return (fields: ReadonlyArray<UnreadableField>) =>
    Effect.forEach(
      fields,
      (f) => {
        if (f.reason === "corrupted") {
          const at = f.position === undefined ? "" : ` (event row ${f.position})`
          return Effect.logWarning(
            `execution ${f.executionId}${at}: field ${f.path} holds an envelope that does not open (corrupted); shown as [encrypted]`
          )
        }
        if (saidNoKey) return Effect.void
        saidNoKey = true
        return Effect.logWarning(
          Either.isLeft(keys.master)
            ? `content is encrypted and cannot be opened (${keys.master.left.message}); showing masked copies`
            : "some content is encrypted under a key that is gone (a forgotten user, or another master key); showing masked copies"
        )
      },
      { discard: true }
    )
}

/**
 * Opens `items` with every key they name that can be loaded; `said` reports what did not open.
 * One pass with the keys this process holds (`cachedById`); only when an envelope names a key it
 * does not hold are the missing keys loaded and those events opened again.
 */
const openAll = <E extends { readonly executionId: string; readonly event: ExecutionEvent }>(
  keys: ContentKeysShape,
  said: (fields: ReadonlyArray<UnreadableField>) => Effect.Effect<void>,
  items: ReadonlyArray<E>
): Effect.Effect<ReadonlyArray<E>> => {
  const missing = new Set<string>()
  // one cache lookup (and freshness check) per key id per call, not per field
  const seen = new Map<string, DataKey | undefined>()
  const fromCache = (id: string): DataKey | undefined => {
    if (seen.has(id)) return seen.get(id)
    const key = keys.cachedById(id)
    seen.set(id, key)
    if (key === undefined) missing.add(id)
    return key
  }
  const results = items.map((item) => openEvent(fromCache, item.executionId, item.event))
  const finish = () => {
    const unreadable: Array<UnreadableField> = []
    const opened = items.map((item, i) => {
      const result = results[i]!
      for (const u of result.unreadable) {
        const position = (item as { readonly position?: number }).position
        unreadable.push({ executionId: item.executionId, position, ...u })
      }
      return result.unreadable.length === 0 && result.event === item.event ? item : { ...item, event: result.event }
    })
    return unreadable.length > 0 ? Effect.as(said(unreadable), opened) : Effect.succeed(opened)
  }
  if (missing.size === 0) return finish()
  return Effect.gen(function* () {
    const loaded = new Map<string, DataKey | undefined>()
    for (const id of missing) loaded.set(id, yield* Effect.orElseSucceed(keys.byId(id), () => undefined))
    const keyFor = (id: string) => loaded.get(id) ?? seen.get(id)
    items.forEach((item, i) => {
      if (results[i]!.unreadable.some((u) => u.reason === "no-key")) {
        results[i] = openEvent(keyFor, item.executionId, item.event)
      }
    })
    return yield* finish()
  })
}

/** The user of an existing execution (undefined: no such execution). */
export type UserOf = (executionId: string) => Effect.Effect<string | undefined, StorageError>

/** `UserOf` on the Database service's SQLite connection (its query prepared once). */
export const sqliteUserOf: Effect.Effect<UserOf, never, Database> = Effect.map(Database, ({ connection }) => {
  const byId = connection.prepare<[string], { user_id: string }>("SELECT user_id FROM executions WHERE id = ?")
  return (executionId) =>
    Effect.try({
      try: () => byId.get(executionId)?.user_id,
      catch: (e) => toStorageError("EventStore.append", "executions", e)
    })
})

export interface SealingOptions {
  /** Seal writes (default true); false: `--encryption off`, reads still open. */
  readonly seal?: boolean
  /**
   * How many executions' users the store remembers (default {@link REMEMBERED_EXECUTIONS}); an
   * append to one it has forgotten asks `userOf` again.
   */
  readonly rememberedExecutions?: number
}

/**
 * The executions whose users a sealing store remembers, newest first: a server runs for days and
 * sees millions of executions, so the memory is bounded (about 150 bytes an entry, 1.5 MB in all).
 */
export const REMEMBERED_EXECUTIONS = 10_000

/**
 * The sealing store over `inner`; `userOf` finds the user of an existing execution (an effect, so
 * a backend with an asynchronous driver gives its own query).
 */
export const sealingEventStore = (
  inner: EventStoreShape,
  keys: ContentKeysShape,
  userOf: UserOf,
  options: SealingOptions = {}
): EventStoreShape & { readonly reader: ContentReaderShape } => {
  const seal = options.seal ?? true
  const users = new Map<string, string>()
  const rememberedExecutions = options.rememberedExecutions ?? REMEMBERED_EXECUTIONS
  const rememberUser = (executionId: string, user: string) => {
    if (users.get(executionId) === user) return
    users.delete(executionId)
    users.set(executionId, user)
    // a Map iterates in insertion order: the first key is the execution remembered longest ago
    if (users.size > rememberedExecutions) users.delete(users.keys().next().value!)
  }
  const said = reporter(keys)
  /** The user's key when this process holds it (the path of every append after the first). */
  const cachedKey = (executionId: string, userId: string | undefined): DataKey | undefined => {
    const user = userId ?? users.get(executionId)
    return user === undefined ? undefined : keys.cached(user)
  }
  const keyFor = (executionId: string, userId: string | undefined): Effect.Effect<DataKey | undefined, StorageError> =>
    Effect.suspend(() => {
      if (!seal) return Effect.succeed(undefined)
      const hit = cachedKey(executionId, userId)
      if (hit !== undefined) {
        if (userId !== undefined) rememberUser(executionId, userId)
        return Effect.succeed(hit)
      }
      return Effect.gen(function* () {
        const user = userId ?? users.get(executionId) ?? (yield* userOf(executionId))
        if (user === undefined) return undefined
        rememberUser(executionId, user)
        return yield* Effect.mapError(keys.forUser(user, yield* nowIso), keyError)
      })
    })
  const open = <E extends { readonly executionId: string; readonly event: ExecutionEvent }>(items: ReadonlyArray<E>) =>
    openAll(keys, said, items)
  // the row keeps the masked text; a message already sealed (an encrypted export being
  // imported) gives its v2 or v3 masked copy, or (v1) is opened for it when the keys allow, else the
  // row says [encrypted]
  const textOf = (executionId: string, e: MessageReceived) =>
    isEventEnvelope(e.message.text)
      ? Effect.succeed(maskedTextOf(e.message.text))
      : isEnvelope(e.message.text)
        ? Effect.map(open([{ executionId, event: e }]), ([o]) => (o!.event as MessageReceived).message.text)
        : Effect.succeed(e.message.text)
  const sealGroup: ContentReaderShape["seal"] = (executionId, userId, events, startsExecution) =>
    Effect.gen(function* () {
      const key = yield* keyFor(executionId, userId)
      const first = events[0]
      const startText =
        startsExecution && first?.type === "MessageReceived"
          ? key === undefined && !isEnvelope(first.message.text)
            ? undefined
            : maskedText(yield* textOf(executionId, first))
          : undefined
      const sealed = key === undefined ? events : events.map((e) => sealEvent(key, executionId, e, false))
      return startText === undefined ? { events: sealed } : { events: sealed, inputText: startText }
    })
  const store: EventStoreShape = {
    ...inner,
    startExecution: (executionId, event, startOptions = {}) =>
      Effect.gen(function* () {
        const key = yield* keyFor(executionId, event.message.user_id)
        // unsealed, a plaintext message keeps its text in the row as it is: nothing to mask
        if (key === undefined && !isEnvelope(event.message.text)) {
          return yield* inner.startExecution(executionId, event, startOptions)
        }
        const inputText = startOptions.inputText ?? maskedText(yield* textOf(executionId, event))
        if (key === undefined) return yield* inner.startExecution(executionId, event, { ...startOptions, inputText })
        // the row's masked text is the message text's masked copy: masked once, not twice
        const own = startOptions.inputText === undefined
        const [sealed] = yield* sealedOrRefused(
          executionId,
          [event],
          (e) =>
            sealEvent(key, executionId, e, startOptions.idempotencyKey !== undefined, (_, path) =>
              own && path === "message.text" ? inputText : undefined
            ) as MessageReceived
        )
        return yield* inner.startExecution(executionId, sealed!, { ...startOptions, inputText })
      }),
    append: (executionId, events, appendOptions) => {
      const sealAll = (key: DataKey | undefined) =>
        key === undefined
          ? inner.append(executionId, events, appendOptions)
          : Effect.flatMap(
              sealedOrRefused(executionId, events, (e) =>
                sealEvent(key, executionId, e, appendOptions?.idempotencyKey !== undefined)
              ),
              (sealed) => inner.append(executionId, sealed, appendOptions)
            )
      // the cached key without a fiber step of its own: one-event appends are the agent's common write
      return Effect.suspend(() => {
        const hit = seal ? cachedKey(executionId, undefined) : undefined
        return hit === undefined ? Effect.flatMap(keyFor(executionId, undefined), sealAll) : sealAll(hit)
      })
    },
    insertEvent: (executionId, userId, event) =>
      Effect.gen(function* () {
        const key = yield* keyFor(executionId, userId)
        if (key === undefined) return yield* inner.insertEvent(executionId, userId, event)
        const [sealed] = yield* sealedOrRefused(executionId, [event], (e) => sealEvent(key, executionId, e))
        return yield* inner.insertEvent(executionId, userId, sealed!)
      }),
    getEvents: (executionId) =>
      inner.getEvents(executionId).pipe(
        Effect.flatMap((events) => open(events.map((event) => ({ executionId, event })))),
        Effect.map((items) => items.map((i) => i.event))
      ),
    readStream: (executionId) => inner.readStream(executionId).pipe(Effect.flatMap((stored) => open(stored))),
    readAll: (readOptions) =>
      inner.readAll(readOptions).pipe(Stream.mapEffect((stored) => Effect.map(open([stored]), (s) => s[0]!)))
  }
  const masked = <E extends { readonly executionId: string; readonly event: ExecutionEvent }>(
    items: ReadonlyArray<E>
  ): Effect.Effect<ReadonlyArray<E>> => {
    // one pass without keys; only events holding a v1 envelope of a field with no masked copy
    // (or a v2 envelope whose masked copy is not JSON) are opened, then masked
    let toOpen: Array<E> | undefined
    const out: Array<E | undefined> = items.map((item) => {
      const event = maskStoredContent(item.event)
      if (event === undefined) {
        ;(toOpen ??= []).push(item)
        return undefined
      }
      return event === item.event ? item : { ...item, event }
    })
    if (toOpen === undefined) return Effect.succeed(out as ReadonlyArray<E>)
    return Effect.map(open(toOpen), (opened) => {
      const maskedOpened = maskItems(opened)
      let k = 0
      return out.map((item) => item ?? maskedOpened[k++]!)
    })
  }
  return { ...store, reader: { asStored: inner, open, masked, sealing: seal, seal: sealGroup } }
}

/** `SealingOptions` plus the master key's: `create` on a command that writes. */
export interface SealingLayerOptions extends SealingOptions, Sqlite.EventStoreOptions {}

/** The sealing `EventStore` on SQLite (a layer of the `EventStore` tag, plus the `ContentReader`). */
export const SealingEventStore = {
  /** `EventStore` on the Database service, sealing writes and opening reads with `ContentKeys`. */
  layer: (
    options: SealingLayerOptions = {}
  ): Layer.Layer<EventStore | ContentReader, StorageError, Database | ContentKeys> =>
    Layer.unwrapEffect(
      Effect.gen(function* () {
        const inner = yield* Sqlite.makeWith(options)
        const keys = yield* ContentKeys
        const sealing = sealingEventStore(inner, keys, yield* sqliteUserOf, options)
        return Layer.merge(Layer.succeed(EventStore, sealing), Layer.succeed(ContentReader, sealing.reader))
      })
    )
}

/**
 * What a command or the server builds in place of `EventStore.layerFromDatabase()`: the sealing
 * store, its `ContentReader` and the `ContentKeys`, on the Database. With `seal` the master key
 * file is created on the first write (never by a read); without it nothing is created.
 */
export const encryptedEventStore = (
  options: SealingLayerOptions & { readonly env?: Env } = {}
): Layer.Layer<EventStore | ContentReader | ContentKeys, StorageError, Database> =>
  SealingEventStore.layer(options).pipe(
    Layer.provideMerge(
      ContentKeys.layer({ create: options.seal ?? true, ...(options.env === undefined ? {} : { env: options.env }) })
    )
  )

/** The same on a store and `ContentKeys` of any backend (PostgreSQL gives its own `userOf`). */
export const sealingLayer = (
  inner: EventStoreShape,
  keys: ContentKeysShape,
  userOf: UserOf,
  options: SealingOptions = {}
): Layer.Layer<EventStore | ContentReader> => {
  const sealing = sealingEventStore(inner, keys, userOf, options)
  return Layer.merge(Layer.succeed(EventStore, sealing), Layer.succeed(ContentReader, sealing.reader))
}
