/**
 * The running server: a `node:http` server (its header, URL and slow-client limits set here)
 * whose requests go to the Effect router through `NodeHttpServer.makeHandler`, the in-process
 * projector, and a graceful stop: stop accepting, end SSE streams, let in-flight requests finish
 * (at most `shutdownGraceMs`), then close what is left.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { problemContentType } from "@cratos/http"
import { Projector, type ReadModel } from "@cratos/projector"
import type { ContentReader, EventStore, StorageError } from "@cratos/store"
import { HttpIncomingMessage, HttpMiddleware } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Deferred, Effect, Layer, Option, type Scope } from "effect"
import { LogHead } from "./LogHead.js"
import { router } from "./Router.js"
import { ServerContext, type ServerContextShape } from "./ServerContext.js"
import type { ServerOptions } from "./ServerOptions.js"
import { TokenStore } from "./tokens/TokenStore.js"

export interface RunningServer {
  /** `http://HOST:PORT` with the port actually bound. */
  readonly url: string
  /** The login link for the browser (its token lives as long as this process). */
  readonly loginUrl: string
  /** Stops gracefully; resolves when every connection is closed. */
  readonly stop: Effect.Effect<void>
  readonly context: ServerContextShape
}

const hostInUrl = (host: string) => (host.includes(":") ? `[${host}]` : host)

const uriTooLong = (res: http.ServerResponse, max: number) => {
  res.writeHead(414, { "content-type": problemContentType, connection: "close" })
  res.end(
    JSON.stringify({
      type: "urn:cratos:problem:uri-too-long",
      title: "URI too long",
      status: 414,
      detail: `the request target is over ${max} characters`
    })
  )
}

export const startServer = (
  options: ServerOptions
): Effect.Effect<
  RunningServer,
  StorageError | Error,
  EventStore | ContentReader | ReadModel | Projector | TokenStore | Scope.Scope
> =>
  Effect.gen(function* () {
    const context = yield* ServerContext.make(options)
    const head = yield* LogHead.make(options.pollMs)
    const tokens = yield* TokenStore
    const services = Layer.mergeAll(
      Layer.succeed(ServerContext, context),
      Layer.succeed(LogHead, head),
      Layer.succeed(TokenStore, tokens),
      NodeHttpServer.layerContext
    )
    // No span per request: nothing here exports traces, and the platform's tracer middleware
    // (URL parse, header redaction, span attributes) cost a fifth of a bare node:http server's
    // CPU per request (BENCHMARKS.md, HTTP).
    // The body cap is set once here, for every request's fiber, rather than per request.
    const handler = yield* NodeHttpServer.makeHandler(router).pipe(
      HttpMiddleware.withTracerDisabledWhenEffect(() => true),
      HttpIncomingMessage.withMaxBodySize(Option.some(options.maxBodyBytes)),
      Effect.provide(services)
    )

    if (options.projector) {
      const projector = yield* Projector
      // One leading projector per database (PostgreSQL: an advisory lock; a standby server keeps
      // serving reads and writes, and takes over when the leader dies).
      yield* projector.followAsLeader.pipe(
        Effect.catchAll((e) => Effect.logError(`projector stopped: ${e._tag}`)),
        // interruptible even when the caller is not (cratos serve runs uninterruptibly to its stop)
        Effect.interruptible,
        Effect.forkScoped
      )
    }

    let inFlight = 0
    const server = http.createServer(
      {
        maxHeaderSize: options.maxHeaderBytes,
        requestTimeout: options.requestTimeoutMs,
        headersTimeout: options.headersTimeoutMs,
        // how often node looks for clients past those timeouts (its default, 30 s, let a slow
        // client hold a connection up to 30 s past them)
        connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs),
        keepAliveTimeout: 5_000
      },
      (req, res) => {
        if ((req.url ?? "").length > options.maxUrlLength) return uriTooLong(res, options.maxUrlLength)
        inFlight++
        res.once("close", () => inFlight--)
        handler(req, res)
      }
    )
    yield* Effect.async<void, Error>((resume) => {
      server.once("error", (e) => resume(Effect.fail(e)))
      server.listen(options.port, options.host, () => resume(Effect.void))
    })
    const address = server.address() as AddressInfo
    const url = `http://${hostInUrl(options.host)}:${address.port}`

    let stopping: Promise<void> | undefined
    const stopNow = (): Promise<void> =>
      (stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        Effect.runSync(Deferred.succeed(context.shuttingDown, undefined))
        const deadline = Date.now() + options.shutdownGraceMs
        const tick = setInterval(() => {
          server.closeIdleConnections()
          if (inFlight === 0 || Date.now() >= deadline) {
            clearInterval(tick)
            server.closeAllConnections()
          }
        }, 25)
      }))
    const stop = Effect.promise(stopNow)
    yield* Effect.addFinalizer(() => stop)

    return { url, loginUrl: `${url}/?token=${context.loginToken.text}`, stop, context }
  })
