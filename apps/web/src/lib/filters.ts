/**
 * The list's filters as they live in the address bar (`/?status=failed&user=ann&…`), so a
 * filtered view survives a reload and can be shared. Pure: query in, filter out, and back.
 */
import { Channel, ExecutionStatus } from "@cratos/domain"
import { FILTER_KEYS } from "../api/early.js"

/** The domain's own lists (one source for the CLI, the API and the page). */
export const STATUSES = ExecutionStatus.literals
export const CHANNELS = Channel.literals

export interface Filters {
  readonly status: string
  readonly user: string
  readonly channel: string
  /** RFC 3339 instants (UTC), or "". */
  readonly since: string
  readonly until: string
  readonly search: string
}

export { FILTER_KEYS }

export const emptyFilters: Filters = { status: "", user: "", channel: "", since: "", until: "", search: "" }

const pick = (
  query: Readonly<Record<string, string | undefined>>,
  key: keyof Filters,
  allowed?: ReadonlyArray<string>
) => {
  const value = (query[key] ?? "").trim()
  return allowed === undefined || allowed.includes(value) ? value : ""
}

/** Filters from a parsed query; unknown statuses and channels are dropped. */
export const filtersFromQuery = (query: Readonly<Record<string, string | undefined>>): Filters => ({
  status: pick(query, "status", STATUSES),
  user: pick(query, "user"),
  channel: pick(query, "channel", CHANNELS),
  since: pick(query, "since"),
  until: pick(query, "until"),
  search: pick(query, "search")
})

/** The query string of filters (empty values left out, stable key order), without `?`. */
export const queryOfFilters = (filters: Filters): string => {
  const params = new URLSearchParams()
  for (const key of FILTER_KEYS) if (filters[key] !== "") params.set(key, filters[key])
  return params.toString()
}

/** A `datetime-local` value (the browser's zone) as an RFC 3339 UTC instant, or "". */
export const instantOfLocal = (local: string): string => {
  if (local === "") return ""
  const date = new Date(local)
  return Number.isNaN(date.getTime()) ? "" : date.toISOString()
}

/** An instant as a `datetime-local` value in the browser's zone, or "". */
export const localOfInstant = (instant: string): string => {
  if (instant === "") return ""
  const date = new Date(instant)
  if (Number.isNaN(date.getTime())) return ""
  const p = (n: number) => String(n).padStart(2, "0")
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}`
}
