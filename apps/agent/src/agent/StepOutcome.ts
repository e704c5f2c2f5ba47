/** What became of one plan step, for the response. */
import type { ErrorType } from "@cratos/domain"

export type StepOutcome =
  | { readonly _tag: "Succeeded"; readonly text: string }
  | { readonly _tag: "Failed"; readonly errorType: ErrorType; readonly reason: string; readonly text?: string }
  | { readonly _tag: "Declined" }
  | { readonly _tag: "Skipped"; readonly dependency: number; readonly because: "failed" | "declined" | "skipped" }

export const succeeded = (text: string): StepOutcome => ({ _tag: "Succeeded", text })
export const declined: StepOutcome = { _tag: "Declined" }

export const failed = (errorType: ErrorType, reason: string, text?: string): StepOutcome =>
  text === undefined || text.length === 0
    ? { _tag: "Failed", errorType, reason }
    : { _tag: "Failed", errorType, reason, text }

/** Why a step that depends on `dependency` (with this outcome) cannot run, if it cannot. */
export const blockedBy = (dependency: number, outcome: StepOutcome | undefined): StepOutcome | undefined => {
  switch (outcome?._tag) {
    case "Succeeded":
      return undefined
    case "Failed":
      return { _tag: "Skipped", dependency, because: "failed" }
    case "Declined":
      return { _tag: "Skipped", dependency, because: "declined" }
    default:
      // skipped, or (a bug) not run at all: either way the dependency did not succeed
      return { _tag: "Skipped", dependency, because: "skipped" }
  }
}
