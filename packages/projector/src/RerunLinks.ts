/**
 * The rerun links of an execution, read from the log where they are recorded: a rerun's
 * MessageReceived carries its original's id as `message.thread_id` (`cratos replay --mode rerun`).
 * A thread_id is a link only when it names an execution (the join). The reruns of an execution are
 * found through the partial index on that field (SQLite migration 0009), not by reading every
 * message. The statements: `rerunOfQuery`/`rerunsQuery` in sql/readModelStatements.ts (SQLite);
 * PostgreSQL says the same with `->>` on the text.
 */

export interface LinkedRow {
  readonly id: string
  readonly user_id: string
  readonly status: string
  readonly created_at: string
}

export interface RerunLinksOf {
  readonly rerunOf: LinkedRow | null
  readonly reruns: ReadonlyArray<LinkedRow>
}
