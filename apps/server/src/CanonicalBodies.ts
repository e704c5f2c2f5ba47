/**
 * Fast decoding of the two ingest bodies, with the API's schemas as the reference. Almost every
 * event a client sends is canonical (serde and the domain's encoder write the same keys in the
 * same order, timestamps in their one form), and the store's `isCanonicalEvent` answers cheaply
 * whether the full decoder would give back exactly that object. So the envelope (ids, versions)
 * is decoded by its schema with each event left as it is, and when every event is canonical the
 * parsed objects are the decoded events. When one is not, `undefined` sends the body to the full
 * schema, whose answer (the events, or the 400 naming the field) is the answer: this path can
 * only be slower, never different (`CanonicalBodies.test.ts` compares both).
 */
import type { ExecutionEvent, MessageReceived } from "@cratos/domain"
import { AppendEvents, CreateExecution } from "@cratos/http"
import { isCanonicalEvent } from "@cratos/store"
import { Either, Schema } from "effect"

const OPTIONS = { errors: "first", onExcessProperty: "ignore" } as const

const appendEnvelope = Schema.decodeUnknownEither(
  Schema.Struct({ ...AppendEvents.fields, events: Schema.Array(Schema.Unknown).pipe(Schema.minItems(1)) }),
  OPTIONS
)

const createEnvelope = Schema.decodeUnknownEither(
  Schema.Struct({ ...CreateExecution.fields, event: Schema.Unknown }),
  OPTIONS
)

const isMessageReceived = (u: unknown): u is MessageReceived =>
  isCanonicalEvent(u) && (u as { readonly type: unknown }).type === "MessageReceived"

/** `AppendEvents` decoded, when its envelope decodes and every event is canonical; else undefined. */
export const canonicalAppendEvents = (json: unknown): AppendEvents | undefined => {
  const envelope = appendEnvelope(json)
  if (Either.isLeft(envelope)) return undefined
  const { events } = envelope.right
  for (let i = 0; i < events.length; i++) if (!isCanonicalEvent(events[i])) return undefined
  return { ...envelope.right, events: events as ReadonlyArray<ExecutionEvent> }
}

/** `CreateExecution` decoded, when its envelope decodes and its event is a canonical MessageReceived; else undefined. */
export const canonicalCreateExecution = (json: unknown): CreateExecution | undefined => {
  const envelope = createEnvelope(json)
  if (Either.isLeft(envelope) || !isMessageReceived(envelope.right.event)) return undefined
  return { ...envelope.right, event: envelope.right.event }
}
