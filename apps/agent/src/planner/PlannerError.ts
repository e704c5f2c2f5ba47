/** Planning failed (bad LLM answer, unreachable endpoint, a plan that breaks the rules). */
import type { ErrorType } from "@cratos/domain"
import { Data } from "effect"

export class PlannerError extends Data.TaggedError("PlannerError")<{
  readonly errorType: ErrorType
  readonly reason: string
}> {
  override get message() {
    return this.reason
  }
}
