/**
 * The projector's and the read model's typed errors. None carries an event payload (payloads may
 * hold secrets): an event is named by its position and execution id.
 */
import { Data } from "effect"

/** A read-model query with a filter that cannot be applied (a bad timestamp, status or limit). */
export class InvalidQuery extends Data.TaggedError("InvalidQuery")<{
  readonly field: string
  readonly reason: string
}> {
  override get message() {
    return `invalid ${this.field}: ${this.reason}`
  }
}

/**
 * An event the projector could not apply: it does not decode, or a projection's handler failed
 * on it. Raised under the `stop` poison policy; under `dead-letter` it is recorded instead.
 */
export class PoisonEvent extends Data.TaggedError("PoisonEvent")<{
  readonly projection: string
  readonly position: number
  readonly executionId: string
  readonly reason: string
}> {
  override get message() {
    return `poison event at position ${this.position} (execution ${this.executionId}) in projection ${this.projection}: ${this.reason}`
  }
}

/** `waitFor` gave up: a projection had not reached the position in time. */
export class ProjectionTimeout extends Data.TaggedError("ProjectionTimeout")<{
  readonly position: number
  readonly reached: number
  readonly timeoutMs: number
}> {
  override get message() {
    return `projections reached position ${this.reached}, not ${this.position}, within ${this.timeoutMs} ms`
  }
}

/** A projection name that is not registered (for `rebuild <name>`). */
export class UnknownProjection extends Data.TaggedError("UnknownProjection")<{
  readonly name: string
  readonly known: ReadonlyArray<string>
}> {
  override get message() {
    return `no projection named ${JSON.stringify(this.name)} (known: ${this.known.join(", ")})`
  }
}

/**
 * A checkpoint was written by a newer projector (a higher version of the projection): this one
 * refuses to rebuild it to its older version, so two versions running side by side do not
 * rebuild each other's work forever. `--rebuild` forces it.
 */
export class ProjectionVersionAhead extends Data.TaggedError("ProjectionVersionAhead")<{
  readonly projection: string
  readonly stored: number
  readonly version: number
}> {
  override get message() {
    return `projection ${this.projection} is at version ${this.stored}, newer than this projector's ${this.version}; rebuild it explicitly to go back`
  }
}
