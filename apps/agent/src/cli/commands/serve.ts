/** `cratos serve`: the server of @cratos/server with the command's flags (the web UI from apps/web/dist). */
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { serve as runServer } from "@cratos/server"
import { encryptionEnabled } from "@cratos/store"
import { Effect } from "effect"
import type { InvocationOf } from "../Commands.js"
import { CliFailure, ExitCode } from "../errors.js"

const DEFAULT_WEB = fileURLToPath(new URL("../../../../web/dist", import.meta.url))

export const serve = (inv: InvocationOf<"serve">) => {
  const f = inv.flags
  // The server owns SIGINT/SIGTERM: both are its graceful stop and exit 0 (main.ts would
  // interrupt the command on either and exit 130 once the uninterruptible stop had finished).
  process.removeAllListeners("SIGINT")
  process.removeAllListeners("SIGTERM")
  const web = f.web ?? DEFAULT_WEB
  return runServer({
    db: f.db,
    ...(f.host === undefined ? {} : { host: f.host }),
    ...(f.port === undefined ? {} : { port: f.port }),
    ...(f.projector === undefined ? {} : { projector: f.projector === "on" }),
    webDist: existsSync(web) ? web : null,
    encryption: encryptionEnabled(f.encryption)
  }).pipe(
    Effect.mapError((e) => new CliFailure({ reason: `cannot serve: ${e.message}` })),
    Effect.as(ExitCode.Ok),
    // SIGINT/SIGTERM are the server's own way to stop: the graceful stop is its end (exit 0).
    Effect.uninterruptible
  )
}
