/**
 * The HTTP API of Cratos Core as one `HttpApi` definition: the server implements it, the CLI's
 * `--server` mode and the web UI call it through `HttpApiClient`, and the OpenAPI 3.1 document is
 * generated from it (`openApiDocument`). Browser-safe: no Node import here or below.
 *
 * Every `/api/v1` route needs `Authorization: Bearer TOKEN` (or, for the web UI on its own origin,
 * the session cookie set by the login link); `/healthz` and `/metrics` do not.
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, HttpApiSecurity, OpenApi } from "@effect/platform"
import type { Timestamp, Uuid } from "@cratos/domain"
import { Schema } from "effect"
import { SESSION_COOKIE } from "./BrowserSession.js"
import { RerunLinks } from "./RerunLinks.js"
import { StatusSeries, StatusSeriesQuery } from "./StatusSeries.js"
import {
  BadRequest,
  Conflict,
  Forbidden,
  NotFound,
  PayloadTooLarge,
  ServerError,
  TooManyRequests,
  Unauthorized,
  Unavailable,
  Unprocessable
} from "./Problem.js"
import {
  AppendEvents,
  AppendHeaders,
  ApprovalDecision,
  CreateExecution,
  EventsAppended,
  ExecutionCreated,
  ExecutionDetail,
  ExecutionHistory,
  ExecutionIdParam,
  ExecutionPage,
  Health,
  ListQuery,
  HistoryQuery,
  LogPage,
  LogPageQuery,
  LogStreamQuery,
  PendingApprovals,
  ShowQuery,
  Stats,
  StatsQuery
} from "./Schemas.js"

/** The branded types the API's schemas carry (named here so the declaration can name them). */
export type ApiBrands = Timestamp.Timestamp | Uuid.Uuid

export { CSRF_HEADER, SESSION_COOKIE } from "./BrowserSession.js"

/** Server-sent events, documented as text (the typed client does not read them). */
const EventStream = HttpApiSchema.Text({ contentType: "text/event-stream" }).annotations({
  description:
    "SSE: each event as `id: <position>`, `event: <type>`, `data: <wire JSON>`; `Last-Event-ID` resumes after that position."
})

const LastEventId = Schema.Struct({ "last-event-id": Schema.optional(Schema.NumberFromString) })

const executions = HttpApiGroup.make("executions")
  .add(
    HttpApiEndpoint.post("create", "/executions")
      .setPayload(CreateExecution)
      .addSuccess(ExecutionCreated, { status: 201 })
      .addError(BadRequest)
      .addError(Conflict)
      .addError(Unprocessable)
      .addError(PayloadTooLarge)
      .annotate(OpenApi.Summary, "Start an execution with its MessageReceived")
  )
  .add(
    HttpApiEndpoint.post("append", "/executions/:id/events")
      .setPath(ExecutionIdParam)
      .setHeaders(AppendHeaders)
      .setPayload(AppendEvents)
      .addSuccess(EventsAppended)
      .addError(BadRequest)
      .addError(NotFound)
      .addError(Conflict)
      .addError(Unprocessable)
      .addError(PayloadTooLarge)
      .annotate(OpenApi.Summary, "Append events, checked by the decider")
  )
  .add(
    HttpApiEndpoint.get("list", "/executions")
      .setUrlParams(ListQuery)
      .addSuccess(ExecutionPage)
      .addError(BadRequest)
      .annotate(OpenApi.Summary, "Executions, newest first, keyset paged")
  )
  .add(
    HttpApiEndpoint.get("show", "/executions/:id")
      .setPath(ExecutionIdParam)
      .setUrlParams(ShowQuery)
      .addSuccess(ExecutionDetail)
      .addError(BadRequest)
      .addError(NotFound)
      .annotate(OpenApi.Summary, "An execution and its events (as `cratos show ID --json`)")
  )
  .add(
    HttpApiEndpoint.get("history", "/executions/:id/history")
      .setPath(ExecutionIdParam)
      .setUrlParams(HistoryQuery)
      .addSuccess(ExecutionHistory)
      .addError(NotFound)
      .annotate(OpenApi.Summary, "An execution's stored events in order, with their positions (as `cratos export ID`)")
  )
  .add(
    HttpApiEndpoint.get("streamExecution", "/executions/:id/events")
      .setPath(ExecutionIdParam)
      .setHeaders(LastEventId)
      .addSuccess(EventStream)
      .addError(NotFound)
      .addError(TooManyRequests)
      .annotate(OpenApi.Summary, "SSE of one execution's events; `event: end` after its terminal event")
  )
  .add(
    HttpApiEndpoint.post("decideApproval", "/executions/:id/approval")
      .setPath(ExecutionIdParam)
      .setPayload(ApprovalDecision)
      .addSuccess(EventsAppended)
      .addError(BadRequest)
      .addError(NotFound)
      .addError(Conflict)
      .annotate(OpenApi.Summary, "Approve or deny the pending approval (appends ApprovalReceived)")
  )
  .add(
    HttpApiEndpoint.get("reruns", "/executions/:id/reruns")
      .setPath(ExecutionIdParam)
      .addSuccess(RerunLinks)
      .addError(NotFound)
      .annotate(OpenApi.Summary, "The execution a rerun re-ran, and this execution's reruns (as recorded in the log)")
  )

const log = HttpApiGroup.make("log")
  .add(
    HttpApiEndpoint.get("streamAll", "/events")
      .setUrlParams(LogStreamQuery)
      .setHeaders(LastEventId)
      .addSuccess(EventStream)
      .addError(BadRequest)
      .addError(TooManyRequests)
      .annotate(OpenApi.Summary, "SSE of the whole log; `?from=head` starts at its end instead of replaying it")
  )
  .add(
    HttpApiEndpoint.get("approvals", "/approvals")
      .addSuccess(PendingApprovals)
      .annotate(OpenApi.Summary, "Pending approvals (details masked)")
  )
  .add(
    HttpApiEndpoint.get("stats", "/stats")
      .setUrlParams(StatsQuery)
      .addSuccess(Stats)
      .addError(BadRequest)
      .annotate(OpenApi.Summary, "Counts as `cratos stats --json`")
  )
  .add(
    HttpApiEndpoint.get("statusSeries", "/stats/series")
      .setUrlParams(StatusSeriesQuery)
      .addSuccess(StatusSeries)
      .addError(BadRequest)
      .annotate(OpenApi.Summary, "Executions by status per UTC hour or day of their start, counted over the read model")
  )
  .add(
    HttpApiEndpoint.get("openapi", "/openapi.json")
      .addSuccess(Schema.Unknown)
      .annotate(OpenApi.Summary, "This document")
  )

/** JSON reads that end, over the whole log (what `cratos --server … export --all` pages through). */
const exports = HttpApiGroup.make("export").add(
  HttpApiEndpoint.get("log", "/log")
    .setUrlParams(LogPageQuery)
    .addSuccess(LogPage)
    .addError(BadRequest)
    .annotate(OpenApi.Summary, "The log's stored events in position order, paged (as `cratos export --all`)")
)

/** Bearer token for programs; the session cookie for the web UI (same origin only). */
export const bearer = HttpApiSecurity.bearer
export const session = HttpApiSecurity.apiKey({ in: "cookie", key: SESSION_COOKIE })

const system = HttpApiGroup.make("system", { topLevel: true })
  .add(HttpApiEndpoint.get("healthz", "/healthz").addSuccess(Health).annotate(OpenApi.Summary, "Liveness (no auth)"))
  .add(
    HttpApiEndpoint.get("metrics", "/metrics")
      .addSuccess(HttpApiSchema.Text({ contentType: "text/plain; version=0.0.4" }))
      .annotate(OpenApi.Summary, "Prometheus text (no auth, no secrets)")
  )

export class CratosApi extends HttpApi.make("cratos")
  .add(executions.addError(Unauthorized).addError(Forbidden).addError(TooManyRequests).prefix("/api/v1"))
  .add(log.addError(Unauthorized).addError(Forbidden).addError(TooManyRequests).prefix("/api/v1"))
  .add(system)
  .add(exports.addError(Unauthorized).addError(Forbidden).addError(TooManyRequests).prefix("/api/v1"))
  .addError(ServerError)
  .addError(Unavailable)
  .annotate(OpenApi.Title, "Cratos Core")
  .annotate(OpenApi.Version, "1.0.0")
  .annotate(
    OpenApi.Description,
    "The event-sourced execution history of an AI assistant: record executions, read them, follow them live."
  ) {}
