/**
 * The ranges of a string that detectors want masked. Detectors only record `[start, end)`
 * ranges; the string is rebuilt once at the end, so detectors never see each other's output
 * and overlapping findings (an `sk-…` key inside `api_key="…"`) collapse into one mask.
 */
import { MASKED } from "./placeholders.js"
import type { MaskRule } from "./MaskRule.js"

/** Collected ranges, as parallel arrays to avoid an object per range. */
export interface SpanSink {
  readonly starts: Array<number>
  readonly ends: Array<number>
  readonly rules: Array<MaskRule>
}

export const emptySink = (): SpanSink => ({ starts: [], ends: [], rules: [] })

/**
 * Records `[start, end)` of `text` as secret. An empty range, or one that is exactly the mask
 * already, is ignored: that is what makes masking idempotent and keeps a second pass's report
 * empty.
 */
export const addSpan = (sink: SpanSink, text: string, start: number, end: number, rule: MaskRule): void => {
  if (end <= start) return
  if (end - start === MASKED.length && text.startsWith(MASKED, start)) return
  sink.starts.push(start)
  sink.ends.push(end)
  sink.rules.push(rule)
}

/**
 * `text` with every recorded range (merged where they overlap or touch) replaced by one
 * {@link MASKED}; the rules that fired are appended to `found`, each once.
 */
export const applySpans = (text: string, sink: SpanSink, found: Array<MaskRule> | undefined): string => {
  const count = sink.starts.length
  if (count === 0) return text
  // Insertion sort by start: there are rarely more than a handful of ranges, and this avoids a
  // comparator closure per string.
  const order: Array<number> = []
  for (let i = 0; i < count; i++) {
    let j = order.length
    while (j > 0 && sink.starts[order[j - 1]!]! > sink.starts[i]!) j--
    order.splice(j, 0, i)
  }
  let out = ""
  let cursor = 0
  let openStart = -1
  let openEnd = -1
  for (let k = 0; k < count; k++) {
    const i = order[k]!
    const start = sink.starts[i]!
    const end = sink.ends[i]!
    if (found !== undefined && !found.includes(sink.rules[i]!)) found.push(sink.rules[i]!)
    if (openStart >= 0 && start <= openEnd) {
      if (end > openEnd) openEnd = end
      continue
    }
    if (openStart >= 0) {
      out += text.slice(cursor, openStart) + MASKED
      cursor = openEnd
    }
    openStart = start
    openEnd = end
  }
  out += text.slice(cursor, openStart) + MASKED + text.slice(openEnd)
  return out
}
