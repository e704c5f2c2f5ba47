/**
 * Tool calls as bars on the execution's time axis (as Jaeger and Temporal draw a trace): one row
 * per call, offset by its start, as long as it took, coloured by its outcome.
 */
import { duration } from "@cratos/agent/timeline"
import type { ExecutionEvent } from "../api/types.js"
import { spansOf } from "../lib/waterfall.js"

/** Bars drawn at most; a longer execution says how many more it has (its timeline has them all). */
export const MAX_BARS = 200

export const Waterfall = ({ events }: { readonly events: ReadonlyArray<ExecutionEvent> }) => {
  const { spans: all, totalMs } = spansOf(events)
  if (all.length === 0) return <p class="muted">No tool calls.</p>
  const spans = all.slice(0, MAX_BARS)
  const scale = totalMs === 0 ? 1 : totalMs
  return (
    <div class="waterfall" data-testid="waterfall">
      <div class="axis" aria-hidden="true">
        <span>0</span>
        <span>{duration(totalMs / 2)}</span>
        <span>{duration(totalMs)}</span>
      </div>
      <ul>
        {spans.map((s) => {
          const left = (s.startMs / scale) * 100
          const width = Math.max(0.6, ((s.endMs - s.startMs) / scale) * 100)
          const label = `${s.tool}: ${s.status === "open" ? "still running" : s.status}, started at ${duration(s.startMs)}, took ${duration(s.endMs - s.startMs)}`
          return (
            <li key={s.index} title={label}>
              <span class="tool">{s.tool}</span>
              <span class="track">
                <span
                  class={`bar ${s.status}`}
                  style={{ left: `${Math.min(left, 99.4)}%`, width: `${Math.min(width, 100 - Math.min(left, 99.4))}%` }}
                  role="img"
                  aria-label={label}
                />
              </span>
              <span class="dur">{duration(s.endMs - s.startMs)}</span>
            </li>
          )
        })}
      </ul>
      {all.length > spans.length ? (
        <p class="muted">
          The first {spans.length} of {all.length} tool calls; the timeline below has every one.
        </p>
      ) : null}
    </div>
  )
}
