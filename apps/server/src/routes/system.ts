/** `/healthz` (no auth), `/metrics` (Prometheus text, no auth, no secrets), `/api/v1/openapi.json`. */
import { openApiDocument } from "@cratos/http"
import { Projector } from "@cratos/projector"
import { HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { authenticate } from "../Authenticate.js"
import { ServerContext } from "../ServerContext.js"

export const healthz = Effect.succeed(HttpServerResponse.unsafeJson({ status: "ok" }))

export const metrics = Effect.gen(function* () {
  const context = yield* ServerContext
  const lag = yield* (yield* Projector).lag.pipe(Effect.option)
  if (lag._tag === "Some") {
    for (const p of lag.value.projections) context.metrics.projectorLag.set({ projection: p.name }, p.lag)
  }
  const text = yield* Effect.promise(() => context.metrics.registry.metrics())
  return HttpServerResponse.text(text, { contentType: context.metrics.registry.contentType })
})

let document: string | undefined

export const openapi = Effect.gen(function* () {
  yield* authenticate("read")
  document ??= JSON.stringify(openApiDocument())
  return HttpServerResponse.text(document, { contentType: "application/json" })
})
