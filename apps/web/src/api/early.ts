/**
 * The list's first call, started by the first line of the bundle that runs: on `/`, the page's
 * `GET /api/v1/executions?…` leaves while the rest of the JavaScript is still being evaluated,
 * instead of after the list page's first render. The page's own `get` of the same URL takes the
 * response (once). Nothing heavy here: no Effect, no domain, so it runs before them.
 */

/** The list page's size, and the filters it sends, in the order it sends them. */
export const LIST_PAGE = 50
export const FILTER_KEYS = ["status", "user", "channel", "since", "until", "search"] as const

/** The list call for filters (empty values left out), as `get` spells it. */
export const listUrl = (filters: { readonly [K in (typeof FILTER_KEYS)[number]]?: string | undefined }): string => {
  const params = new URLSearchParams()
  for (const key of FILTER_KEYS) {
    const value = (filters[key] ?? "").trim()
    if (value !== "") params.set(key, value)
  }
  params.set("limit", String(LIST_PAGE))
  return `/api/v1/executions?${params.toString()}`
}

const started = new Map<string, Promise<Response>>()

/**
 * Starts the list's call when the address is the list (`/`, with its filters as given: one the
 * page drops as invalid only makes a URL it never asks for).
 */
export const startEarly = (location: { readonly pathname: string; readonly search: string }): void => {
  if (location.pathname !== "/") return
  const query = Object.fromEntries(new URLSearchParams(location.search))
  if ("token" in query) return
  const url = listUrl(query)
  started.set(url, fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }))
}

/** The response of a call started early for exactly this URL, once; then undefined. */
export const takeEarly = (url: string): Promise<Response> | undefined => {
  const response = started.get(url)
  started.clear()
  return response
}
