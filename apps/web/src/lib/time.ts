/** Times for people: the browser's zone on screen, the exact stored UTC instant on hover. */
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit"
})

/** The instant in the browser's zone, or the text itself when it is not a time. */
export const localTime = (instant: string): string => {
  const date = new Date(instant)
  return Number.isNaN(date.getTime()) ? instant : dateTime.format(date)
}

/** Milliseconds from `a` to `b` (RFC 3339), or null when either is missing or unreadable. */
export const millisBetween = (a: string | null, b: string | null): number | null => {
  if (a === null || b === null) return null
  const ms = Date.parse(b) - Date.parse(a)
  return Number.isNaN(ms) ? null : ms
}
