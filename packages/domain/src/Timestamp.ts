/**
 * RFC 3339 UTC timestamps, exactly as chrono writes `DateTime<Utc>` through serde.
 *
 * A timestamp is kept as its canonical text so that nanoseconds survive every round trip
 * (JavaScript's `Date` holds milliseconds only). Canonical means what chrono writes:
 * `YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff]Z`, the fraction at 0, 3, 6 or 9 digits,
 * whichever is the shortest exact one. Reading accepts what chrono reads (any offset, `t`,
 * `z`, a space for `T`, 1 to 9+ fraction digits) and normalises it, as serde would.
 */
import { type Brand, Either, ParseResult, Schema } from "effect"

export type Timestamp = string & Brand.Brand<"Timestamp">

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3}|\.\d{6}|\.\d{9})?Z$/
const LENIENT = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31

const pad = (n: number, width: number) => String(n).padStart(width, "0")

/** The fraction as chrono writes it: none, or 3, 6 or 9 digits. */
const formatNanos = (nanos: number): string =>
  nanos === 0
    ? ""
    : nanos % 1_000_000 === 0
      ? "." + pad(nanos / 1_000_000, 3)
      : nanos % 1_000 === 0
        ? "." + pad(nanos / 1_000, 6)
        : "." + pad(nanos, 9)

/** Parses any timestamp chrono accepts into its canonical UTC form, or says why not. */
export const parseTimestamp = (input: string): Either.Either<Timestamp, string> => {
  if (CANONICAL.test(input) && isValidCanonical(input)) return Either.right(input as Timestamp)
  const m = LENIENT.exec(input)
  if (m === null) return Either.left(`not an RFC 3339 timestamp`)
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = Number(s)
  if (month < 1 || month > 12) return Either.left(`month out of range in ${input}`)
  if (day < 1 || day > daysInMonth(year, month)) return Either.left(`day out of range in ${input}`)
  if (hour > 23 || minute > 59 || second > 60) return Either.left(`time out of range in ${input}`)
  // chrono keeps up to nine fraction digits and ignores the rest.
  const nanos = frac === undefined ? 0 : Number(frac.slice(0, 9).padEnd(9, "0"))
  let offsetMinutes = 0
  if (z === undefined) {
    if (Number(oh) > 23 || Number(om) > 59) return Either.left(`offset out of range in ${input}`)
    offsetMinutes = (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om))
  }
  // A leap second (:60) is kept as chrono keeps it; the offset moves hours and minutes only.
  const leap = second === 60
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute - offsetMinutes, leap ? 59 : second, 0)
  const utcYear = date.getUTCFullYear()
  if (utcYear < 0 || utcYear > 9999) return Either.left(`year out of range 0000..9999 in ${input}`)
  const text =
    `${pad(utcYear, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(leap ? 60 : date.getUTCSeconds(), 2)}` +
    `${formatNanos(nanos)}Z`
  return Either.right(text as Timestamp)
}

const isValidCanonical = (s: string): boolean => {
  const year = Number(s.slice(0, 4))
  const month = Number(s.slice(5, 7))
  const day = Number(s.slice(8, 10))
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false
  if (Number(s.slice(11, 13)) > 23 || Number(s.slice(14, 16)) > 59 || Number(s.slice(17, 19)) > 60) return false
  // 3 or 6 digits whose tail is zeros would be written shorter by chrono.
  const dot = s.indexOf(".")
  if (dot === -1) return true
  const frac = s.slice(dot + 1, -1)
  return !/^0+$/.test(frac) && !(frac.length > 3 && frac.endsWith("000"))
}

/** A timestamp on the wire: decodes anything chrono reads, encodes the canonical text. */
export const Timestamp: Schema.Schema<Timestamp, string> = Schema.transformOrFail(
  Schema.String,
  Schema.String.pipe(Schema.brand("Timestamp")),
  {
    strict: true,
    decode: (input, _, ast) =>
      Either.mapLeft(parseTimestamp(input), (message) => new ParseResult.Type(ast, input, message)),
    encode: (t) => ParseResult.succeed(t)
  }
).annotations({
  identifier: "Timestamp",
  description: "RFC 3339 UTC timestamp",
  // Instants from year 0000 to 9999 at every precision chrono writes (s, ms, µs, ns).
  arbitrary: () => (fc) =>
    fc
      .tuple(
        fc.integer({ min: -62_167_219_200, max: 253_402_300_799 }),
        fc.oneof(
          fc.constant(0),
          fc.integer({ min: 1, max: 999 }).map((ms) => ms * 1_000_000),
          fc.integer({ min: 1, max: 999_999 }).map((us) => us * 1_000),
          fc.integer({ min: 1, max: 999_999_999 })
        )
      )
      .map(([seconds, nanos]) => fromEpochNanos(BigInt(seconds) * 1_000_000_000n + BigInt(nanos)))
})

/** Nanoseconds since the Unix epoch, exactly. */
export const toEpochNanos = (t: Timestamp): bigint => {
  const dot = t.indexOf(".")
  const whole = dot === -1 ? t.slice(0, -1) : t.slice(0, dot)
  const leap = whole.endsWith(":60")
  const ms = Date.parse((leap ? whole.slice(0, -2) + "59" : whole) + "Z")
  const frac = dot === -1 ? 0n : BigInt(t.slice(dot + 1, -1).padEnd(9, "0"))
  return BigInt(ms) * 1_000_000n + (leap ? 1_000_000_000n : 0n) + frac
}

/** Milliseconds since the Unix epoch (fractional below a millisecond). */
export const toEpochMillis = (t: Timestamp): number => Number(toEpochNanos(t)) / 1e6

/** The canonical timestamp of an instant given as nanoseconds since the epoch. */
export const fromEpochNanos = (nanos: bigint): Timestamp => {
  const ms = nanos / 1_000_000n - (nanos % 1_000_000n < 0n ? 1n : 0n)
  const sub = Number(nanos - ms * 1_000_000n)
  const iso = new Date(Number(ms)).toISOString() // YYYY-MM-DDTHH:MM:SS.mmmZ
  const totalNanos = Number(iso.slice(20, 23)) * 1_000_000 + sub
  return (iso.slice(0, 19) + formatNanos(totalNanos) + "Z") as Timestamp
}

/** The canonical timestamp of a JavaScript `Date` (millisecond precision). */
export const fromDate = (date: Date): Timestamp => fromEpochNanos(BigInt(date.getTime()) * 1_000_000n)

/** Orders two timestamps by instant (their text does not sort: `37.250Z` < `37Z`). */
export const compare = (a: Timestamp, b: Timestamp): -1 | 0 | 1 => {
  if (a === b) return 0
  const x = toEpochNanos(a)
  const y = toEpochNanos(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** Milliseconds from `from` to `to` (negative when `to` is earlier). */
export const diffMillis = (from: Timestamp, to: Timestamp): number =>
  Number(toEpochNanos(to) - toEpochNanos(from)) / 1e6

/** Unsafe: brands a string already known to be canonical (tests, trusted rows). */
export const unsafeMake = (s: string): Timestamp => Either.getOrThrowWith(parseTimestamp(s), (e) => new Error(e))
