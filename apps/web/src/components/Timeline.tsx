/**
 * The execution's timeline in the seed's design, one row per event: `[mm:ss]` since the first
 * event, the event type's icon and the one-line summary — all from the CLI's shared Timeline
 * module, so the page and `cratos show` say the same. Each row opens to its masked payload.
 * Virtualized: a 5,000-event history keeps only the rows in view in the DOM.
 */
import { describeEvent, elapsed } from "@cratos/agent/timeline"
import { useCallback, useEffect, useRef, useState } from "preact/hooks"
import type { ExecutionEvent } from "../api/types.js"
import { maskedPayload } from "../lib/mask.js"
import { useVirtual } from "../lib/useVirtual.js"
import { JsonView } from "./JsonView.js"
import { Time } from "./Time.js"

const errorBadge = (event: ExecutionEvent) =>
  event.type === "ErrorOccurred" ? (
    <span class={`err ${event.recoverable ? "recoverable" : "fatal"}`}>
      {event.error_type} · {event.recoverable ? "recoverable" : "fatal"}
    </span>
  ) : event.type === "ToolCompleted" && !event.output_masked.success ? (
    <span class="err recoverable">tool failed</span>
  ) : null

const NARROW = "(max-width: 600px)"

/** A closed row's height in px: its head (34 px, 58 px on narrow screens) and its 1 px border. */
const rowHeight = () => (window.matchMedia(NARROW).matches ? 59 : 35)

export const Timeline = ({ events, upTo }: { readonly events: ReadonlyArray<ExecutionEvent>; readonly upTo: number }) => {
  const scroller = useRef<HTMLDivElement>(null)
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set())
  // A closed row is exactly rowHeight() high (CSS fixes its head's height).
  const virtual = useVirtual({ count: events.length, estimateSize: rowHeight, getScrollElement: () => scroller.current })
  // crossing the narrow-screen width changes every closed row's height
  useEffect(() => {
    const query = window.matchMedia(NARROW)
    const remeasure = () => virtual.measure()
    query.addEventListener("change", remeasure)
    return () => query.removeEventListener("change", remeasure)
  }, [virtual])
  // Only an opened row is measured (reading a height forces a layout, which made scrolling 5,000
  // rows slow); a closed one is ROW high by CSS, and closing a row gives it that height back.
  const measure = useCallback(
    (el: HTMLLIElement | null) => {
      if (el !== null && el.dataset["open"] === "true") virtual.measureElement(el)
    },
    [virtual]
  )
  const first = events[0]
  if (first === undefined) return <p>(no events)</p>
  const toggle = (i: number) =>
    setOpen((s) => {
      const next = new Set(s)
      if (next.has(i)) {
        next.delete(i)
        virtual.resizeItem(i, rowHeight())
      } else next.add(i)
      return next
    })
  return (
    <div class="timeline" ref={scroller} data-testid="timeline" data-count={events.length}>
      <ol style={{ height: `${virtual.getTotalSize()}px` }} aria-label={`${events.length} events`}>
        {virtual.getVirtualItems().map((item) => {
          const event = events[item.index]!
          const { icon, summary } = describeEvent(event)
          const isOpen = open.has(item.index)
          return (
            <li
              key={item.key}
              data-index={item.index}
              ref={measure}
              class={`row${item.index >= upTo ? " future" : ""}${event.type === "ErrorOccurred" ? " error" : ""}`}
              style={{ transform: `translateY(${item.start}px)` }}
              data-type={event.type}
              data-open={isOpen ? "true" : "false"}
            >
              <button type="button" class="row-head" aria-expanded={isOpen} onClick={() => toggle(item.index)}>
                <span class="n">{item.index + 1}</span>
                <span class="elapsed" title={`${event.timestamp} (UTC)`}>
                  {elapsed(first.timestamp, event.timestamp)}
                </span>
                <span class="icon" role="img" aria-label={event.type}>
                  {icon}
                </span>
                <span class="summary">{summary}</span>
                {errorBadge(event)}
              </button>
              {isOpen ? (
                <div class="payload">
                  <p>
                    {event.type} at <Time at={event.timestamp} />
                  </p>
                  <JsonView value={maskedPayload(event)} label={`event ${item.index + 1}`} />
                </div>
              ) : null}
            </li>
          )
        })}
      </ol>
    </div>
  )
}
