/**
 * The shapes of the ReadModel service: its rows, filters and results, shared by the service
 * (ReadModel.ts) and its query building (ReadModelQueries.ts).
 *
 * Rows are snake_case because the CLI prints them as they are (`--json`).
 */
import type { RerunLinksOf } from "./RerunLinks.js"
import type { ExecutionStatus, Timestamp } from "@cratos/domain"
import type { ExecutionNotFound, StorageError } from "@cratos/store"
import type { Effect } from "effect"
import type { InvalidQuery } from "./errors.js"
import type { ProjectorStatus } from "./ProjectionLag.js"

/** One execution as the CLI shows it: the `executions` row and its summary. */
export interface ExecutionRow {
  readonly id: string
  readonly user_id: string
  readonly channel: string
  readonly status: ExecutionStatus
  readonly created_at: string
  readonly completed_at: string | null
  readonly input_text: string
  readonly event_count: number
  readonly goal: string | null
  readonly step_count: number
  readonly tools_used: ReadonlyArray<string>
  readonly tool_calls: number
  readonly tool_failures: number
  readonly tool_time_ms: number
  readonly tokens_used: number
  readonly model_used: string | null
  readonly approval_pending: boolean
  readonly error_count: number
  readonly first_event_at: string | null
  readonly last_event_at: string | null
}

/** A bound of a time filter: a timestamp, or any RFC 3339 text (compared as an instant). */
export type InstantInput = Timestamp.Timestamp | string

export interface ListFilter {
  readonly user?: string | undefined
  readonly status?: ExecutionStatus | undefined
  readonly channel?: string | undefined
  /** Created at or after this instant. */
  readonly since?: InstantInput | undefined
  /** Created at or before this instant. */
  readonly until?: InstantInput | undefined
  /** A substring of `input_text` (case-insensitive for ASCII, as SQLite's LIKE). */
  readonly search?: string | undefined
  /** Only executions that completed although some of their tool calls failed (`tool_failures > 0`). */
  readonly hasFailures?: boolean | undefined
  /** Default 50; at most 10000. */
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}

export interface ToolStats {
  readonly tool: string
  readonly calls: number
  readonly failures: number
  /** Nearest-rank percentiles of `duration_ms`. */
  readonly p50_ms: number
  readonly p95_ms: number
}

export interface ModelTokens {
  readonly model: string
  readonly tokens: number
  readonly executions: number
}

export interface Stats {
  readonly executions_by_status: Readonly<Record<ExecutionStatus, number>>
  readonly tools: ReadonlyArray<ToolStats>
  /** Tokens of each execution are counted under the model of its last plan. */
  readonly tokens_by_model: ReadonlyArray<ModelTokens>
}

/** The width of a bucket of `statusSeries`, in UTC. */
export type SeriesBucket = "hour" | "day"

export interface StatusSeriesOptions {
  /** Executions that started at or after `since`, at or before `until` (as instants). */
  readonly since?: InstantInput | undefined
  readonly until?: InstantInput | undefined
  readonly bucket: SeriesBucket
  /** Only this user's executions (a token restricted to one user). */
  readonly user?: string | undefined
}

/** One bucket: its start (RFC 3339 UTC) and how many executions of each status started in it. */
export type StatusPoint = { readonly start: string } & Readonly<Record<ExecutionStatus, number>>

export interface ReadModelShape {
  /** Executions matching the filter, newest first (by `created_at` as an instant). */
  readonly list: (filter?: ListFilter) => Effect.Effect<ReadonlyArray<ExecutionRow>, InvalidQuery | StorageError>
  readonly get: (id: string) => Effect.Effect<ExecutionRow, ExecutionNotFound | StorageError>
  /** The newest execution's id (of one user), or null when there is none. */
  readonly latestId: (user?: string) => Effect.Effect<string | null, StorageError>
  /** Counts since an instant (by execution `created_at`, tool call completion time). */
  readonly stats: (options?: {
    readonly since?: InstantInput | undefined
    /** Only this user's executions (a token restricted to one user). */
    readonly user?: string | undefined
  }) => Effect.Effect<Stats, InvalidQuery | StorageError>
  /** The ids (ordered) that start with `prefix`, at most `limit` (`cratos show <prefix>`). */
  readonly idsStartingWith: (prefix: string, limit: number) => Effect.Effect<ReadonlyArray<string>, StorageError>
  /** Executions by status per UTC hour or day of their start, oldest first (non-empty buckets only). */
  readonly statusSeries: (
    options: StatusSeriesOptions
  ) => Effect.Effect<ReadonlyArray<StatusPoint>, InvalidQuery | StorageError>
  /** The execution `id` re-ran (its MessageReceived's `thread_id`, when it names one) and its reruns. */
  readonly rerunLinks: (id: string) => Effect.Effect<RerunLinksOf, StorageError>
  /** How far each projection is behind the log. */
  readonly status: () => Effect.Effect<ProjectorStatus, StorageError>
}
