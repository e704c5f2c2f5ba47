/**
 * What the projector does with a poison event (a row that does not decode, or an event a
 * projection's handler fails on):
 * - `dead-letter` (default): record it in `projector_dead_letters` for that projection, move
 *   the checkpoint past it, log a warning, keep going;
 * - `stop`: roll the batch back and fail with PoisonEvent (the worker exits non-zero). The
 *   checkpoint stays before the event, so a restart stops at it again: no loss, no crash loop
 *   of partial work.
 */
export type PoisonPolicy = "dead-letter" | "stop"

export const POISON_POLICIES: ReadonlyArray<PoisonPolicy> = ["dead-letter", "stop"]
