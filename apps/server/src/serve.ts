/**
 * `cratos serve`: opens the database, starts the server, prints where it listens and the login
 * link on stderr, and runs until SIGTERM or SIGINT, then stops gracefully and returns (exit 0).
 */
import { encryptionEnabled } from "@cratos/store"
import { Effect } from "effect"
import { startServer } from "./HttpServer.js"
import { defaultServerOptions, type ServerOptions } from "./ServerOptions.js"
import { serverStorage } from "./ServerStorage.js"

export interface ServeArgs extends Partial<ServerOptions> {
  readonly db?: string | undefined
  /** Seal ingested content at rest (default: on unless CRATOS_ENCRYPTION=off). */
  readonly encryption?: boolean
  /** Where the two lines go (default stderr). */
  readonly print?: (line: string) => void
}

const signal = Effect.async<NodeJS.Signals>((resume) => {
  const on = (s: NodeJS.Signals) => () => resume(Effect.succeed(s))
  const term = on("SIGTERM")
  const int = on("SIGINT")
  process.once("SIGTERM", term)
  process.once("SIGINT", int)
  return Effect.sync(() => {
    process.off("SIGTERM", term)
    process.off("SIGINT", int)
  })
})

export const serve = (args: ServeArgs = {}) => {
  const {
    db,
    encryption = encryptionEnabled(undefined),
    print = (line: string) => process.stderr.write(`${line}\n`),
    ...given
  } = args
  const options: ServerOptions = { ...defaultServerOptions, ...given }
  return Effect.scoped(
    Effect.gen(function* () {
      const server = yield* startServer(options)
      print(`cratos: listening on ${server.url}`)
      print(`cratos: open ${server.loginUrl}`)
      const received = yield* signal
      print(`cratos: ${received}: stopping (in-flight requests get ${options.shutdownGraceMs / 1000} s)`)
      yield* server.stop
    })
  ).pipe(Effect.provide(serverStorage(db, encryption)))
}
