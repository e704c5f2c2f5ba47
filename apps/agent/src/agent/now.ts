/** The current time from effect's Clock, as a domain Timestamp (nanosecond precision). */
import { Timestamp } from "@cratos/domain"
import { Clock, Effect } from "effect"

export const now: Effect.Effect<Timestamp.Timestamp> = Effect.map(Clock.currentTimeNanos, Timestamp.fromEpochNanos)

/** Milliseconds on the Clock, for durations. */
export const millis: Effect.Effect<number> = Clock.currentTimeMillis
