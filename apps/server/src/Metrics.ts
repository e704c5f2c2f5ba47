/**
 * Prometheus metrics (prom-client): appends by outcome, request durations by route and status,
 * open SSE streams, and each projection's lag (read when scraped). Labels are route templates
 * and outcomes, never ids, tokens or values.
 */
import client from "prom-client"

export interface Metrics {
  readonly registry: client.Registry
  readonly appends: client.Counter<"outcome">
  readonly requests: client.Histogram<"method" | "route" | "status">
  readonly sseStreams: client.Gauge
  readonly projectorLag: client.Gauge<"projection">
}

export const makeMetrics = (): Metrics => {
  const registry = new client.Registry()
  client.collectDefaultMetrics({ register: registry })
  return {
    registry,
    appends: new client.Counter({
      name: "cratos_appends_total",
      help: "Appends and starts of executions through the API, by outcome",
      labelNames: ["outcome"],
      registers: [registry]
    }),
    requests: new client.Histogram({
      name: "cratos_http_request_duration_seconds",
      help: "HTTP request durations (SSE streams: time to the first byte)",
      labelNames: ["method", "route", "status"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry]
    }),
    sseStreams: new client.Gauge({ name: "cratos_sse_streams", help: "Open SSE streams", registers: [registry] }),
    projectorLag: new client.Gauge({
      name: "cratos_projector_lag_events",
      help: "Events of the log each projection has not applied yet",
      labelNames: ["projection"],
      registers: [registry]
    })
  }
}
