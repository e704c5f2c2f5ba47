/**
 * The routes of `CratosApi` and the web UI, each wrapped the same way: a `ProblemResponse` is
 * written as its problem; any other failure or defect is logged (its tag, never its values) and
 * answered with a bare 500 problem (no stack trace leaves the server); the duration is recorded by
 * route template and status.
 */
import { HttpRouter, HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import { Cause, Effect } from "effect"
import { fail, notFound, type ProblemResponse, respond, serverError } from "./Problems.js"
import { ServerContext } from "./ServerContext.js"
import { appendEvents } from "./routes/appendEvents.js"
import { listApprovals } from "./routes/approvals.js"
import { createExecution } from "./routes/createExecution.js"
import { decideApproval } from "./routes/decideApproval.js"
import { executionHistory } from "./routes/executionHistory.js"
import { listExecutions } from "./routes/listExecutions.js"
import { logPage } from "./routes/logPage.js"
import { reruns } from "./routes/reruns.js"
import { showExecution } from "./routes/showExecution.js"
import { stats } from "./routes/stats.js"
import { statusSeries } from "./routes/statusSeries.js"
import { streamExecution, streamLog } from "./routes/streams.js"
import { healthz, metrics, openapi } from "./routes/system.js"
import { web } from "./routes/web.js"

const wrap =
  (route: string) =>
  <R>(handler: Effect.Effect<HttpServerResponse.HttpServerResponse, ProblemResponse, R>) =>
    Effect.gen(function* () {
      const context = yield* ServerContext
      const request = yield* HttpServerRequest.HttpServerRequest
      const start = performance.now()
      const response = yield* handler.pipe(
        Effect.catchTag("ProblemResponse", (p) => Effect.succeed(respond(p.problem, p.headers))),
        Effect.catchAllCause((cause) =>
          Cause.isInterruptedOnly(cause)
            ? Effect.failCause(cause)
            : Effect.logError(
                `${request.method} ${route} failed: ${Cause.squash(cause) instanceof Error ? (Cause.squash(cause) as Error).name : "defect"}`
              ).pipe(Effect.as(respond(serverError())))
        )
      )
      context.metrics.requests.observe(
        { method: request.method, route, status: String(response.status) },
        (performance.now() - start) / 1000
      )
      return response
    })

const API = "/api/v1"

const noRoute = Effect.fail(fail(notFound("no such route")))

export const router = HttpRouter.empty
  .pipe(
    HttpRouter.post(`${API}/executions`, wrap(`${API}/executions`)(createExecution)),
    HttpRouter.get(`${API}/executions`, wrap(`${API}/executions`)(listExecutions)),
    HttpRouter.get(`${API}/executions/:id`, wrap(`${API}/executions/{id}`)(showExecution)),
    HttpRouter.post(`${API}/executions/:id/events`, wrap(`${API}/executions/{id}/events`)(appendEvents)),
    HttpRouter.get(`${API}/executions/:id/events`, wrap(`${API}/executions/{id}/events`)(streamExecution)),
    HttpRouter.get(`${API}/executions/:id/history`, wrap(`${API}/executions/{id}/history`)(executionHistory)),
    HttpRouter.post(`${API}/executions/:id/approval`, wrap(`${API}/executions/{id}/approval`)(decideApproval)),
    HttpRouter.get(`${API}/executions/:id/reruns`, wrap(`${API}/executions/{id}/reruns`)(reruns))
  )
  .pipe(
    // a second pipe: one takes at most 20 functions
    HttpRouter.get(`${API}/events`, wrap(`${API}/events`)(streamLog)),
    HttpRouter.get(`${API}/approvals`, wrap(`${API}/approvals`)(listApprovals)),
    HttpRouter.get(`${API}/stats`, wrap(`${API}/stats`)(stats)),
    HttpRouter.get(`${API}/stats/series`, wrap(`${API}/stats/series`)(statusSeries)),
    HttpRouter.get(`${API}/log`, wrap(`${API}/log`)(logPage)),
    HttpRouter.get(`${API}/openapi.json`, wrap(`${API}/openapi.json`)(openapi)),
    HttpRouter.get("/healthz", wrap("/healthz")(healthz)),
    HttpRouter.get("/metrics", wrap("/metrics")(metrics)),
    HttpRouter.all(`${API}/*`, wrap(`${API}/*`)(Effect.fail(fail(notFound("no such route in /api/v1"))))),
    HttpRouter.get("*", wrap("/*")(web)),
    HttpRouter.post("*", wrap("/*")(noRoute)),
    HttpRouter.put("*", wrap("/*")(noRoute)),
    HttpRouter.patch("*", wrap("/*")(noRoute)),
    HttpRouter.del("*", wrap("/*")(noRoute))
  )
