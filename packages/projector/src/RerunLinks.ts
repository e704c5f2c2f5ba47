/**
 * The rerun links of an execution, read from the log where they are recorded: a rerun's
 * MessageReceived carries its original's id as `message.thread_id` (`cratos replay --mode rerun`).
 * A thread_id is a link only when it names an execution (the join). The reruns of an execution are
 * found through the partial index on that field (SQLite migration 0009), not by reading every
 * message. The ReadModel runs these on SQLite; PostgreSQL says the same with `->>` on the text.
 */

export interface LinkedRow {
  readonly id: string
  readonly user_id: string
  readonly status: string
  readonly created_at: string
}

export const RERUN_OF_SQL = `SELECT o.id, o.user_id, o.status, o.created_at
FROM execution_events ev JOIN executions o ON o.id = json_extract(ev.event_data, '$.message.thread_id')
WHERE ev.execution_id = ? AND ev.event_type = 'MessageReceived' AND o.id <> ev.execution_id LIMIT 1`

/** Same expression and predicate as the index, so SQLite uses it. */
export const RERUNS_SQL = `SELECT r.id, r.user_id, r.status, r.created_at
FROM execution_events ev JOIN executions r ON r.id = ev.execution_id
WHERE json_extract(ev.event_data, '$.message.thread_id') = ? AND ev.event_type = 'MessageReceived'
  AND r.id <> ? ORDER BY ev.id`

export interface RerunLinksOf {
  readonly rerunOf: LinkedRow | null
  readonly reruns: ReadonlyArray<LinkedRow>
}
