/**
 * Which finished executions finished before an instant, compared as instants: the text of
 * timestamps does not sort (`37.250Z` < `37Z`), and a seed row may hold another RFC 3339
 * spelling. A time that does not parse is kept. Retention on both dialects.
 */
import { Timestamp } from "@cratos/domain"
import { Either } from "effect"

/** `rows`: [id, finished_at]; the ids of those before `olderThan`, in the rows' order. */
export const finishedBefore = (
  rows: ReadonlyArray<readonly [string, string]>,
  olderThan: Timestamp.Timestamp
): ReadonlyArray<string> => {
  const ids: Array<string> = []
  for (const [id, finishedAt] of rows) {
    const t = Timestamp.parseTimestamp(finishedAt)
    if (Either.isRight(t) && Timestamp.compare(t.right, olderThan) < 0) ids.push(id)
  }
  return ids
}
