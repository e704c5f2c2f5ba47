import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { runTool } from "./testing.js"

/** A loopback HTTP server on a free port, closed with the scope. */
const server = (handler: Parameters<typeof createServer>[1]) =>
  Effect.acquireRelease(
    Effect.async<{ readonly srv: Server; readonly base: string }>((resume) => {
      const srv = createServer(handler)
      srv.listen(0, "127.0.0.1", () => {
        const { port } = srv.address() as AddressInfo
        resume(Effect.succeed({ srv, base: `http://127.0.0.1:${port}` }))
      })
    }),
    ({ srv }) =>
      Effect.async<void>((resume) => {
        srv.closeAllConnections()
        srv.close(() => resume(Effect.void))
      })
  )

describe("http_get", () => {
  it.live("refuses schemes other than http(s) and unparsable URLs", () =>
    Effect.gen(function* () {
      for (const url of ["file:///etc/passwd", "ftp://example.com/x", "data:text/plain,hi", "javascript:alert(1)"]) {
        const result = yield* runTool("http_get", { url }, {})
        expect(Either.isLeft(result) && result.left.errorType, url).toBe("Validation")
      }
      const relative = yield* runTool("http_get", { url: "/just/a/path" }, {})
      expect(Either.isLeft(relative) && relative.left.errorType).toBe("Validation")
    })
  )

  it.scopedLive("GETs a loopback URL", () =>
    Effect.gen(function* () {
      const { base } = yield* server((req, res) => {
        res.setHeader("content-type", "text/plain")
        res.end(`you asked for ${req.method} ${req.url}`)
      })
      const ok = Either.getOrThrow(yield* runTool("http_get", { url: `${base}/hello?x=1` }, {}))
      expect(ok.text).toBe("you asked for GET /hello?x=1")
      expect(ok.output).toMatchObject({ status: 200, content_type: "text/plain", truncated: false })
    })
  )

  it.scopedLive("caps the body, reports error statuses, times out", () =>
    Effect.gen(function* () {
      const { base } = yield* server((req, res) => {
        if (req.url === "/big") res.end("x".repeat(10_000))
        else if (req.url === "/private") {
          res.statusCode = 403
          res.end("go away")
        } else if (req.url === "/missing") {
          res.statusCode = 404
          res.end("nothing here")
        } else setTimeout(() => res.end("late"), 5_000)
      })
      const big = Either.getOrThrow(yield* runTool("http_get", { url: `${base}/big` }, { limits: { outputBytes: 10 } }))
      expect(big.text).toBe("xxxxxxxxxx\n… [truncated: showing the first 10 bytes]")
      const forbidden = yield* runTool("http_get", { url: `${base}/private` }, {})
      expect(Either.isLeft(forbidden) && forbidden.left.errorType).toBe("Permission")
      const missing = yield* runTool("http_get", { url: `${base}/missing` }, {})
      expect(Either.isLeft(missing) && missing.left.errorType).toBe("Network")
      expect(Either.isLeft(missing) && missing.left.reason).toBe(`GET ${base}/missing answered HTTP 404 Not Found`)
      const slow = yield* runTool("http_get", { url: `${base}/slow` }, { timeouts: { http_get: "200 millis" } })
      expect(Either.isLeft(slow) && slow.left.errorType).toBe("Timeout")
    })
  )

  it.live("an unreachable host is a Network error", () =>
    Effect.gen(function* () {
      // port 9 on loopback: nothing listens (connection refused)
      const result = yield* runTool("http_get", { url: "http://127.0.0.1:9/" }, {})
      expect(Either.isLeft(result) && result.left.errorType).toBe("Network")
    })
  )
})
