/**
 * `GET /api/v1/executions/{id}/reruns`: the execution a rerun re-ran, and the reruns of an
 * execution, as the log records them (`cratos replay --mode rerun` writes the original's id as
 * the rerun's MessageReceived `message.thread_id`; a thread_id naming no execution is no link).
 */
import { ExecutionStatus } from "@cratos/domain"
import { Schema } from "effect"

/** The other end of a link: enough to name it in a page (the list's own fields). */
export const LinkedExecution = Schema.Struct({
  id: Schema.String,
  status: ExecutionStatus,
  created_at: Schema.String
}).annotations({ identifier: "LinkedExecution" })
export type LinkedExecution = typeof LinkedExecution.Type

export const RerunLinks = Schema.Struct({
  execution_id: Schema.String,
  /** The execution this one re-ran, or null. */
  rerun_of: Schema.NullOr(LinkedExecution),
  /** The executions that re-ran this one, oldest first. */
  reruns: Schema.Array(LinkedExecution)
}).annotations({ identifier: "RerunLinks" })
export type RerunLinks = typeof RerunLinks.Type
