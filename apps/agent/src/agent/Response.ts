/**
 * The text of the ResponseSent: what the person asked for (the file's text, the listing, the
 * matches, the command's output), and for each step that did not succeed, why.
 *
 * One step that succeeded answers with its text alone. Otherwise each step gets a section
 * `[i/n] description` with its text or its fate, after a one-line summary. Step texts share
 * the byte budget (at least 1 KiB each), and the whole is cut at the budget with a note.
 */
import type { ExecutionPlan } from "@cratos/domain"
import { truncateText } from "../tools/truncate.js"
import type { StepOutcome } from "./StepOutcome.js"

/** Default budget of a response: 8 KiB. */
export const DEFAULT_RESPONSE_BYTES = 8 * 1024

const fate = (outcome: StepOutcome): string => {
  switch (outcome._tag) {
    case "Succeeded":
      return "done"
    case "Failed":
      return `failed (${outcome.errorType}): ${outcome.reason}`
    case "Declined":
      return "not run: approval was declined, nothing was changed"
    case "Skipped":
      return `skipped: it depends on step ${outcome.dependency + 1}, which ${
        outcome.because === "declined" ? "was declined" : outcome.because === "failed" ? "failed" : "was skipped"
      }`
  }
}

const summary = (outcomes: ReadonlyArray<StepOutcome>): string => {
  const count = (tag: StepOutcome["_tag"]) => outcomes.filter((o) => o._tag === tag).length
  const parts = [
    [count("Failed"), "failed"],
    [count("Declined"), "declined"],
    [count("Skipped"), "skipped"]
  ]
    .filter(([n]) => n !== 0)
    .map(([n, what]) => `${n} ${what}`)
  const ok = count("Succeeded")
  return `${ok} of ${outcomes.length} step${outcomes.length === 1 ? "" : "s"} done${parts.length > 0 ? `; ${parts.join(", ")}` : ""}.`
}

export const composeResponse = (
  plan: ExecutionPlan,
  outcomes: ReadonlyArray<StepOutcome | undefined>,
  maxBytes: number = DEFAULT_RESPONSE_BYTES
): string => {
  const n = plan.steps.length
  // a step with no outcome was not reached (a bug upstream): report it as skipped
  const all = plan.steps.map(
    (_, i): StepOutcome => outcomes[i] ?? { _tag: "Skipped", dependency: i, because: "skipped" }
  )
  const only = all[0]
  if (n === 1 && only?._tag === "Succeeded") return truncateText(only.text, maxBytes).text
  const perStep = Math.max(1024, Math.floor(maxBytes / Math.max(1, n)))
  const sections = plan.steps.map((step, i) => {
    const outcome = all[i]!
    const header = `[${i + 1}/${n}] ${step.description} (${step.tool})`
    const text = outcome._tag === "Succeeded" || outcome._tag === "Failed" ? outcome.text : undefined
    const trimmed = text?.replace(/\n+$/, "") ?? ""
    const body = trimmed.length === 0 ? "" : `\n${truncateText(trimmed, perStep).text}`
    return outcome._tag === "Succeeded" ? `${header}${body}` : `${header}: ${fate(outcome)}${body}`
  })
  return truncateText([summary(all), ...sections].join("\n\n"), maxBytes).text
}
