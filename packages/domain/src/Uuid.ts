/**
 * UUIDs as the `uuid` crate reads and writes them: it reads the hyphenated, simple (32 hex),
 * braced and `urn:uuid:` forms in either case and always writes lowercase hyphenated.
 */
import { type Brand, Either, ParseResult, Schema } from "effect"

export type Uuid = string & Brand.Brand<"Uuid">

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const HYPHENATED = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const SIMPLE = /^[0-9a-fA-F]{32}$/

/** Parses any form the `uuid` crate accepts into the lowercase hyphenated form. */
export const parseUuid = (input: string): Either.Either<Uuid, string> => {
  if (CANONICAL.test(input)) return Either.right(input as Uuid)
  let s = input
  if (s.length === 45 && s.slice(0, 9).toLowerCase() === "urn:uuid:") s = s.slice(9)
  else if (s.length === 38 && s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1)
  if (HYPHENATED.test(s)) return Either.right(s.toLowerCase() as Uuid)
  if (SIMPLE.test(s)) {
    const h = s.toLowerCase()
    return Either.right(
      `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` as Uuid
    )
  }
  return Either.left(`not a UUID`)
}

export const Uuid: Schema.Schema<Uuid, string> = Schema.transformOrFail(
  Schema.String,
  Schema.String.pipe(Schema.brand("Uuid")),
  {
    strict: true,
    decode: (input, _, ast) => Either.mapLeft(parseUuid(input), (message) => new ParseResult.Type(ast, input, message)),
    encode: (u) => ParseResult.succeed(u)
  }
).annotations({ identifier: "Uuid", arbitrary: () => (fc) => fc.uuid().map((u) => u as Uuid) })

/** Formats 16 random bytes (given, not drawn here: the domain has no randomness) as a v4 UUID. */
export const uuidV4FromBytes = (bytes: Uint8Array): Uuid => {
  if (bytes.length < 16) throw new RangeError("uuidV4FromBytes needs 16 bytes")
  const b = Array.from(bytes.subarray(0, 16))
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.map((x) => x.toString(16).padStart(2, "0")).join("")
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` as Uuid
}
