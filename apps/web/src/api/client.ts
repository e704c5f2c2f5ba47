import { CSRF_HEADER } from "@cratos/http/browserSession"
import { takeEarly } from "./early.js"

/**
 * The UI's calls to `/api/v1`, authenticated by the session cookie that the login link set
 * (same origin only); a request that changes something also carries the CSRF header the API asks
 * for. Failures are RFC 9457 problems; a 401 means "not logged in".
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string
  ) {
    super(`${status} ${title}: ${detail}`)
  }
  get unauthorized(): boolean {
    return this.status === 401
  }
}

const problemOf = async (response: Response): Promise<ApiProblem> => {
  const text = await response.text()
  try {
    const body = JSON.parse(text) as { title?: unknown; detail?: unknown }
    return new ApiProblem(
      response.status,
      typeof body.title === "string" ? body.title : response.statusText,
      typeof body.detail === "string" ? body.detail : ""
    )
  } catch {
    return new ApiProblem(response.status, response.statusText || "Error", text.slice(0, 200))
  }
}

const call = async <A>(method: "GET" | "POST", path: string, body?: unknown, signal?: AbortSignal): Promise<A> => {
  const init: RequestInit = {
    method,
    credentials: "same-origin",
    headers:
      body === undefined
        ? { Accept: "application/json" }
        : { Accept: "application/json", "Content-Type": "application/json", [CSRF_HEADER]: "1" }
  }
  if (body !== undefined) init.body = JSON.stringify(body)
  if (signal !== undefined) init.signal = signal
  const response = await ((method === "GET" ? takeEarly(path) : undefined) ?? fetch(path, init))
  if (!response.ok) throw await problemOf(response)
  return (await response.json()) as A
}

/** `GET path?query` (undefined and empty values left out). */
export const get = <A>(
  path: string,
  query: Readonly<Record<string, string | number | undefined>> = {},
  signal?: AbortSignal
) => {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, String(v))
  const qs = params.toString()
  return call<A>("GET", qs === "" ? path : `${path}?${qs}`, undefined, signal)
}

export const post = <A>(path: string, body: unknown) => call<A>("POST", path, body)
