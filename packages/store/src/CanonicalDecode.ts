/**
 * Fast paths for decoding stored events and encoding new ones, with the domain's codec as the
 * reference. (Encoding is the mirror image of what follows: an event built in the schema's key
 * order, with nothing to transform, is its own wire object.)
 *
 * `decodeEventJson` runs the full schema decoder, 3–5× the cost of JSON.parse. But almost every
 * stored row is already canonical: written by `encodeEventJson` (or by serde, which writes the
 * same bytes), so decoding it returns an object equal to the parsed JSON, key for key and in
 * the same order. `canonicalCheck` is compiled from the schema's AST and answers, cheaply,
 * "would decoding this parsed value succeed and give back exactly this value?". When it says
 * yes, the parsed value is the decoded event; when it says no (a non-canonical timestamp, a
 * missing optional field, an extra key, an invalid value), the domain's decoder runs and its
 * result (event or error) is the answer. So the fast path can only be slower, never different:
 * a property test compares both on mutated fixtures.
 *
 * The check itself (`CanonicalCheck.ts`) is the only code that depends on Effect's SchemaAST.
 */
import {
  decodeEventJson,
  type EventDecodeError,
  type EventEncodeError,
  encodeEventJson,
  ExecutionEvent,
  parseJson,
  stringifyJson
} from "@cratos/domain"
import { Either } from "effect"
import { type CanonicalCheck, canonicalCheck } from "./CanonicalCheck.js"

/** Whether a parsed wire object is an event the schema decodes to itself. */
export const isCanonicalEvent: CanonicalCheck = canonicalCheck(ExecutionEvent, "decode")

/** Whether an event is its own wire object: encoding it gives an equal object, key for key. */
export const isCanonicalWireEvent: CanonicalCheck = canonicalCheck(ExecutionEvent, "encode")

/**
 * `decodeEventJson`, fast for canonical rows: the domain's text checks (`parseJson`: unsafe
 * integers, lone surrogates), then the canonical check, else the domain's full decoder.
 */
export const decodeStoredEventJson = (text: string): Either.Either<ExecutionEvent, EventDecodeError> => {
  const parsed = parseJson(text)
  if (Either.isRight(parsed) && isCanonicalEvent(parsed.right)) return Either.right(parsed.right as ExecutionEvent)
  return decodeEventJson(text)
}

/**
 * `encodeEventJson`, fast for canonical events (built in the schema's key order, as the domain's
 * constructors and decoder build them): the domain's `stringifyJson` of the event itself (which
 * refuses lone surrogates and writes inexact integers as serde does), else the domain's encoder.
 */
export const encodeStoredEventJson = (event: ExecutionEvent): Either.Either<string, EventEncodeError> => {
  if (isCanonicalWireEvent(event)) {
    const text = stringifyJson(event)
    if (Either.isRight(text)) return Either.right(text.right)
  }
  return encodeEventJson(event)
}
