/**
 * `/stats`: executions by status over time, calls / failures / p50 / p95 per tool and tokens by
 * model, as charts, for a window kept in the address (`?range=24h|7d|30d|all`). Totals come from
 * `/api/v1/stats`; the status-over-time series from `/api/v1/stats/series`, counted by the server
 * over every execution in the window (per hour for 24h, else per day).
 */
import { duration } from "@cratos/agent/timeline"
import { useLocation } from "preact-iso"
import { get } from "../api/client.js"
import type { Stats as StatsData, StatusSeries } from "../api/types.js"
import { BarChart } from "../components/BarChart.js"
import { ProblemView } from "../components/Problem.js"
import { bucketFor, gridOfSeries } from "../lib/buckets.js"
import { STATUSES } from "../lib/filters.js"
import { useLoad } from "../lib/useLoad.js"

const RANGES = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000, all: Number.POSITIVE_INFINITY } as const
type Range = keyof typeof RANGES
const STATUS_COLOR: Readonly<Record<string, string>> = { pending: "--pending", running: "--running", completed: "--ok", failed: "--bad" }
const load = async (range: Range, signal: AbortSignal) => {
  const now = Date.now()
  const since = Number.isFinite(RANGES[range]) ? new Date(now - RANGES[range]).toISOString() : undefined
  const from = since === undefined ? Number.NaN : Date.parse(since)
  const bucket = bucketFor(from, now)
  const [stats, series] = await Promise.all([
    get<StatsData>("/api/v1/stats", { since }, signal),
    get<StatusSeries>("/api/v1/stats/series", { since, bucket }, signal)
  ])
  return { stats, series, from, to: now }
}

export const Stats = () => {
  const location = useLocation()
  const range: Range = (Object.keys(RANGES) as Array<Range>).find((r) => r === location.query["range"]) ?? "7d"
  const [data] = useLoad(range, (signal) => load(range, signal))
  return (
    <>
      <div class="page-head">
        <h1>Stats</h1>
        <nav aria-label="Time range" class="ranges">
          {(Object.keys(RANGES) as Array<Range>).map((r) => (
            <a key={r} href={`/stats?range=${r}`} aria-current={r === range ? "page" : undefined}>
              {r === "all" ? "all time" : `last ${r}`}
            </a>
          ))}
        </nav>
      </div>
      {data.state === "loading" ? (
        <p aria-busy="true">Loading…</p>
      ) : data.state === "error" ? (
        <ProblemView problem={data.problem} />
      ) : (
        (() => {
          const { stats, series, from, to } = data.value
          const s = stats.executions_by_status
          const buckets = gridOfSeries(series.points, series.bucket, from, to)
          const tools = stats.tools
          return (
            <>
              <p data-testid="totals">
                {STATUSES.map((k) => `${s[k]} ${k}`).join(" · ")}
              </p>
              <div class="charts">
                <BarChart
                  testId="chart-status"
                  title={`Executions by status per ${series.bucket}`}
                  labels={buckets.labels}
                  stacked
                  series={STATUSES.map((k) => ({ label: k, values: buckets.counts[k], color: STATUS_COLOR[k]! }))}
                />
                <BarChart
                  testId="chart-calls"
                  title="Calls and failures per tool"
                  labels={tools.map((t) => t.tool)}
                  series={[
                    { label: "calls", values: tools.map((t) => t.calls), color: "--accent" },
                    { label: "failures", values: tools.map((t) => t.failures), color: "--bad" }
                  ]}
                />
                <BarChart
                  testId="chart-durations"
                  title="Duration per tool (p50, p95)"
                  labels={tools.map((t) => t.tool)}
                  format={duration}
                  series={[
                    { label: "p50", values: tools.map((t) => t.p50_ms), color: "--accent" },
                    { label: "p95", values: tools.map((t) => t.p95_ms), color: "--warn" }
                  ]}
                />
                <BarChart
                  testId="chart-tokens"
                  title="Tokens by model"
                  labels={stats.tokens_by_model.map((m) => m.model)}
                  series={[{ label: "tokens", values: stats.tokens_by_model.map((m) => m.tokens), color: "--accent" }]}
                />
              </div>
            </>
          )
        })()
      )}
    </>
  )
}
