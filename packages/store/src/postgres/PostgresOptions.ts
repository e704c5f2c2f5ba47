/** The options of the PostgreSQL store and its pool (types only: importing this loads no driver). */

export interface PostgresOptions {
  /** `postgres://user:pass@host:port/db?sslmode=…` */
  readonly url: string
  /** Pool size (default 10). */
  readonly maxConnections?: number
  /** `statement_timeout` of every connection (default 30000 ms). */
  readonly statementTimeoutMs?: number
  /** How long to wait for a connection (default 10000 ms). */
  readonly connectTimeoutMs?: number
}

export interface PostgresEventStoreOptions {
  /** Cap on one event's `event_data` in UTF-8 bytes (default 16 MiB); over it: InvalidEvent. */
  readonly maxEventBytes?: number
  /**
   * Give every write its `EventStore.<operation>` span (default false, as on SQLite): a span
   * costs about 10 µs of the client's CPU, a tenth of a one-event append's wait.
   */
  readonly spans?: boolean
}

export type PostgresStoreOptions = PostgresOptions & PostgresEventStoreOptions
