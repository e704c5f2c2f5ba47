/**
 * `http_get`: GETs an http(s) URL and returns its body as text, up to the output limit.
 * Other schemes are refused (Validation). An HTTP error status is a failed step that still
 * records the status and body: 401/403 as Permission, others as Network.
 */
import { Effect, Schema } from "effect"
import { defineTool } from "./defineTool.js"
import { ToolError, validation } from "./ToolError.js"
import { decodeCapped } from "./truncate.js"

const Input = Schema.Struct({ url: Schema.String })

/** The URL if it parses and is http(s); credentials in it are not echoed back. */
export const parseHttpUrl = (text: string): Effect.Effect<URL, ToolError> =>
  Effect.gen(function* () {
    const url = URL.canParse(text) ? new URL(text) : undefined
    if (url === undefined) return yield* validation("http_get needs an absolute http:// or https:// URL")
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return yield* validation(`http_get refuses the ${url.protocol.replace(/:$/, "")} scheme: only http and https`)
    }
    return url
  })

/** What a URL looks like in messages: no user name or password. */
const shownUrl = (url: URL): string => {
  const copy = new URL(url)
  copy.username = ""
  copy.password = ""
  return copy.toString()
}

const readCapped = async (body: ReadableStream<Uint8Array> | null, cap: number) => {
  if (body === null) return { bytes: new Uint8Array(0), more: false }
  const reader = body.getReader()
  const chunks: Array<Uint8Array> = []
  let size = 0
  let more = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (size + value.length > cap) {
        chunks.push(value.subarray(0, cap - size))
        size = cap
        more = true
        break
      }
      chunks.push(value)
      size += value.length
    }
  } finally {
    if (more) await reader.cancel().catch(() => undefined)
    reader.releaseLock()
  }
  return { bytes: Buffer.concat(chunks, size), more }
}

const networkReason = (e: unknown): string => {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : undefined
  return code ?? (cause instanceof Error ? cause.message : "request failed")
}

export const HttpGet = defineTool({
  name: "http_get",
  summary: "GET an http(s) URL and return the body as text",
  input: Input,
  run: ({ url: text }, ctx) =>
    Effect.gen(function* () {
      const url = yield* parseHttpUrl(text)
      const shown = shownUrl(url)
      const response = yield* Effect.tryPromise({
        try: async (signal) => {
          const res = await fetch(url, { method: "GET", redirect: "follow", signal })
          const { bytes, more } = await readCapped(res.body, ctx.limits.outputBytes)
          return {
            status: res.status,
            statusText: res.statusText,
            contentType: res.headers.get("content-type"),
            bytes,
            more
          }
        },
        catch: (e) => new ToolError({ errorType: "Network", reason: `GET ${shown} failed: ${networkReason(e)}` })
      })
      const binary = response.bytes.includes(0)
      const body = binary ? undefined : decodeCapped(response.bytes, response.more)
      const output = {
        url: shown,
        status: response.status,
        content_type: response.contentType,
        body: body?.text ?? null,
        binary,
        truncated: response.more
      }
      if (response.status >= 400) {
        return yield* new ToolError({
          errorType: response.status === 401 || response.status === 403 ? "Permission" : "Network",
          reason: `GET ${shown} answered HTTP ${response.status} ${response.statusText}`.trimEnd(),
          output,
          ...(body === undefined ? {} : { text: body.text })
        })
      }
      return {
        output,
        text:
          body === undefined
            ? `(${shown} returned a binary body of ${response.bytes.length}+ bytes; not shown)`
            : body.text
      }
    })
})
