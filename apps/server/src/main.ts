/**
 * `cratos-serve [--host H] [--port P] [--db FILE] [--projector on|off] [--web DIR]`: the server
 * alone. Exits 0 after a graceful stop, 1 with one line when it cannot start.
 */
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { Effect, Logger, LogLevel } from "effect"
import { serve } from "./serve.js"

const { values } = parseArgs({
  options: {
    host: { type: "string" },
    port: { type: "string" },
    db: { type: "string" },
    projector: { type: "string" },
    web: { type: "string" },
    "rate-per-second": { type: "string" },
    "max-streams": { type: "string" }
  }
})

const defaultWeb = fileURLToPath(new URL("../../web/dist", import.meta.url))

const number = (name: string, text: string | undefined) => {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < 0) {
    process.stderr.write(`cratos: --${name} must be a whole number, got ${JSON.stringify(text)}\n`)
    process.exit(2)
  }
  return n
}

const port = number("port", values.port)
const rate = number("rate-per-second", values["rate-per-second"])
const maxStreams = number("max-streams", values["max-streams"])
if (values.projector !== undefined && values.projector !== "on" && values.projector !== "off") {
  process.stderr.write(`cratos: --projector must be on or off\n`)
  process.exit(2)
}
const web = values.web ?? defaultWeb

const program = serve({
  db: values.db,
  ...(values.host === undefined ? {} : { host: values.host }),
  ...(port === undefined ? {} : { port }),
  ...(values.projector === undefined ? {} : { projector: values.projector === "on" }),
  ...(rate === undefined ? {} : { ratePerSecond: rate, rateBurst: rate * 2 }),
  ...(maxStreams === undefined ? {} : { maxStreamsPerToken: maxStreams }),
  webDist: existsSync(web) ? web : null
}).pipe(
  Effect.provide(Logger.minimumLogLevel(LogLevel.Warning)),
  Effect.catchAll((e) =>
    Effect.sync(() => {
      process.stderr.write(`cratos: cannot serve: ${e.message}\n`)
      process.exitCode = 1
    })
  )
)

Effect.runPromise(program).then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    process.stderr.write(`cratos: server failed: ${e instanceof Error ? e.name : "defect"}\n`)
    process.exit(1)
  }
)
