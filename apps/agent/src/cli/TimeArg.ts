/**
 * Times given on the command line (`--since`, `--until`): an RFC 3339 timestamp, a UTC date
 * `YYYY-MM-DD`, or a time ago (`90s`, `30m`, `12h`, `7d`, `2w`).
 *
 * Parsing is pure and keeps what was written; resolving to an instant takes "now" as data.
 * A date is a whole UTC day: as `--since` it means the day's first instant, as `--until` (an
 * inclusive bound) its last nanosecond, so `--since 2025-11-26 --until 2025-11-26` is that one day.
 */
// The module, not the barrel: `--help` parses the command line and must not load the whole domain.
import * as Timestamp from "@cratos/domain/Timestamp"
import { Either } from "effect"

export type TimeArg =
  | { readonly _tag: "Instant"; readonly timestamp: Timestamp.Timestamp }
  | { readonly _tag: "Date"; readonly year: number; readonly month: number; readonly day: number }
  | { readonly _tag: "Ago"; readonly millis: number }

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const AGO = /^(\d{1,9})([smhdw])$/

const isValidDate = (y: number, m: number, d: number) => {
  if (m < 1 || m > 12 || d < 1) return false
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

/** Reads a time argument, or says what forms are accepted. */
export const parseTimeArg = (raw: string): Either.Either<TimeArg, string> => {
  const text = raw.trim()
  const ago = AGO.exec(text)
  if (ago !== null) {
    return Either.right({ _tag: "Ago", millis: Number(ago[1]) * UNIT_MS[ago[2] as keyof typeof UNIT_MS] })
  }
  const date = DATE.exec(text)
  if (date !== null) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])]
    return isValidDate(year, month, day)
      ? Either.right({ _tag: "Date", year, month, day })
      : Either.left(`no such date ${JSON.stringify(raw)}`)
  }
  const instant = Timestamp.parseTimestamp(text)
  return Either.isRight(instant)
    ? Either.right({ _tag: "Instant", timestamp: instant.right })
    : Either.left(
        `expected an RFC 3339 time (2025-11-26T10:00:00Z), a date (2025-11-26) or a time ago (7d, 12h, 30m), got ${JSON.stringify(raw)}`
      )
}

type DateArg = { readonly year: number; readonly month: number; readonly day: number }

const startOfDayNanos = (arg: DateArg, plusDays: number): bigint =>
  BigInt(Date.UTC(arg.year, arg.month - 1, arg.day + plusDays)) * 1_000_000n

/** The instant a lower bound means. */
export const resolveSince = (arg: TimeArg, now: Date): Timestamp.Timestamp =>
  arg._tag === "Instant"
    ? arg.timestamp
    : arg._tag === "Date"
      ? Timestamp.fromEpochNanos(startOfDayNanos(arg, 0))
      : Timestamp.fromDate(new Date(now.getTime() - arg.millis))

/** The instant an inclusive upper bound means (a date includes its whole day). */
export const resolveUntil = (arg: TimeArg, now: Date): Timestamp.Timestamp =>
  arg._tag === "Date" ? Timestamp.fromEpochNanos(startOfDayNanos(arg, 1) - 1n) : resolveSince(arg, now)
