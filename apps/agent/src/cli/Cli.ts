/**
 * The `cratos` program: parses the command line, opens what the command needs, runs it, and
 * turns whatever it ends with into an exit code and at most one line on stderr (errors.ts).
 * A usage error is reported before any database is opened.
 */
import { Cause, Effect, Either, HashMap, Layer, Logger, LogLevel } from "effect"
import { type Invocation, isCommandName, parseCommandLine, specs, usageOf } from "./Commands.js"
import { completionCommands, completionScript, SHELLS } from "@cratos/cli-kit"
import { type CratosFailure, describeCause, ExitCode } from "./errors.js"
import { Output } from "./Output.js"
import type { Storage } from "./Storage.js"
import type { Terminal } from "./Terminal.js"
import { VERSION } from "./Version.js"

/**
 * Log lines (a world-readable database file, a row the projector dead-lettered) go to stderr,
 * never stdout, one line each with their annotations: `cratos: warning: <message> (k=v …)`.
 */
const loggerLayer = (verbose: boolean) =>
  Layer.mergeAll(
    Logger.replace(
      Logger.defaultLogger,
      Logger.make(({ annotations, logLevel, message }) => {
        const text = Array.isArray(message) ? message.map(String).join(" ") : String(message)
        const level = logLevel._tag === "Warning" ? "warning" : logLevel.label.toLowerCase()
        const pairs = [...HashMap.toEntries(annotations)].map(
          ([k, v]) => `${k}=${typeof v === "string" && /^[^\s"=]*$/.test(v) ? v : JSON.stringify(v)}`
        )
        process.stderr.write(`cratos: ${level}: ${text}${pairs.length === 0 ? "" : ` (${pairs.join(" ")})`}\n`)
      })
    ),
    Logger.minimumLogLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
  )

/**
 * Whether the command seals what it writes: `--encryption`, else $CRATOS_ENCRYPTION, else on
 * (the store's `encryptionEnabled`, restated here so this file loads no store code). Commands
 * that record nothing (no `--encryption` flag) never create the master key.
 */
const encryptionOn = (inv: Invocation): boolean =>
  "encryption" in inv.flags &&
  (inv.flags.encryption ?? process.env["CRATOS_ENCRYPTION"] ?? "on").toLowerCase() !== "off"

const READS: ReadonlySet<string> = new Set(["list", "show", "stats", "export"])

/** Runs a parsed command (its implementation is loaded now). */
const dispatch = (inv: Invocation): Effect.Effect<ExitCode, CratosFailure, Output | Storage | Terminal> => {
  switch (inv.command) {
    case "list":
      return Effect.promise(() => import("./commands/list.js")).pipe(Effect.flatMap((m) => m.list(inv)))
    case "show":
      return Effect.promise(() => import("./commands/show.js")).pipe(Effect.flatMap((m) => m.show(inv)))
    case "stats":
      return Effect.promise(() => import("./commands/stats.js")).pipe(Effect.flatMap((m) => m.stats(inv)))
    case "export":
      return Effect.promise(() => import("./commands/export.js")).pipe(Effect.flatMap((m) => m.exportCmd(inv)))
    case "import":
      return Effect.promise(() => import("./commands/import.js")).pipe(Effect.flatMap((m) => m.importCmd(inv)))
    case "prune":
      return Effect.promise(() => import("./commands/prune.js")).pipe(Effect.flatMap((m) => m.prune(inv)))
    case "project":
      return Effect.promise(() => import("./commands/project.js")).pipe(Effect.flatMap((m) => m.project(inv)))
    case "run":
    case "replay":
    case "chat":
      return Effect.promise(() => import("./AgentCommands.js")).pipe(Effect.flatMap((m) => m.runAgentCommand(inv)))
    case "token":
      return Effect.promise(() => import("./commands/token.js")).pipe(Effect.flatMap((m) => m.token(inv)))
    case "serve":
      return Effect.promise(() => import("./commands/serve.js")).pipe(Effect.flatMap((m) => m.serve(inv)))
    case "forget":
      return Effect.promise(() => import("./commands/forget.js")).pipe(Effect.flatMap((m) => m.forget(inv)))
    case "key":
      return Effect.promise(() => import("./commands/key.js")).pipe(Effect.flatMap((m) => m.key(inv)))
    case "help":
    case "completion":
      return Effect.succeed(ExitCode.Ok)
  }
}

/** `--server URL`: list, show, stats and export read through the API (no database opened). */
const dispatchRemote = (inv: Invocation): Effect.Effect<ExitCode, CratosFailure, Output> | undefined => {
  switch (inv.command) {
    case "list":
      return Effect.promise(() => import("./remote/remoteReads.js")).pipe(Effect.flatMap((m) => m.remoteList(inv)))
    case "show":
      return Effect.promise(() => import("./remote/remoteReads.js")).pipe(Effect.flatMap((m) => m.remoteShow(inv)))
    case "stats":
      return Effect.promise(() => import("./remote/remoteReads.js")).pipe(Effect.flatMap((m) => m.remoteStats(inv)))
    case "export":
      return Effect.promise(() => import("./remote/remoteExport.js")).pipe(Effect.flatMap((m) => m.remoteExport(inv)))
    default:
      return undefined
  }
}

/** The whole program over its arguments; never fails: every end is an exit code. */
export const main = (argv: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const out = yield* Output
    const parsed = parseCommandLine(argv)
    if (Either.isLeft(parsed)) {
      yield* out.error(`cratos: ${parsed.left.reason}\n\n${usageOf(parsed.left.command)}`)
      return ExitCode.Usage
    }
    const inv = parsed.right
    if (inv.flags.version) {
      yield* out.line(`cratos ${VERSION}`)
      return ExitCode.Ok
    }
    if (inv.command === "chat" && inv.flags.help && argv.every((a) => a.startsWith("-"))) {
      yield* out.line(usageOf(null))
      return ExitCode.Ok
    }
    if (inv.command === "help") {
      if (inv.args !== undefined && !isCommandName(inv.args)) {
        yield* out.error(`cratos: unknown command ${JSON.stringify(inv.args)}\n\n${usageOf(null)}`)
        return ExitCode.Usage
      }
      yield* out.line(usageOf(inv.args ?? null))
      return ExitCode.Ok
    }
    if (inv.flags.help) {
      yield* out.line(usageOf(inv.command))
      return ExitCode.Ok
    }
    if (inv.command === "completion") {
      const shell = SHELLS.find((s) => s === inv.args)
      if (shell === undefined) {
        const reason = `completion: unknown shell ${JSON.stringify(inv.args)}; one of ${SHELLS.join(", ")}`
        yield* out.error(`cratos: ${reason}\n\n${usageOf("completion")}`)
        return ExitCode.Usage
      }
      yield* out.write(completionScript(shell, "cratos", completionCommands(specs)))
      return ExitCode.Ok
    }
    const verbose = inv.flags.verbose
    const { requireExistingDatabase, storageLayer } = yield* Effect.promise(() => import("./Storage.js"))
    const isRead = READS.has(inv.command)
    const remote = inv.flags.server === undefined ? undefined : dispatchRemote(inv)
    if (inv.flags.server !== undefined && remote === undefined) {
      yield* out.error(`cratos: --server works with list, show, stats and export\n\n${usageOf(inv.command)}`)
      return ExitCode.Usage
    }
    const program =
      remote ??
      (inv.command === "serve"
        ? // the server opens its own storage
          Effect.promise(() => import("./commands/serve.js")).pipe(Effect.flatMap((m) => m.serve(inv)))
        : dispatch(inv).pipe(
            // Read commands wait less for another writer's lock (they go on without a catch-up).
            Effect.provide(
              storageLayer(inv.flags.db, {
                ...(isRead ? { busyTimeoutMs: 1000 } : {}),
                encryption: encryptionOn(inv)
              })
            ),
            (run) => (isRead ? Effect.zipRight(requireExistingDatabase(inv.flags.db), run) : run)
          ))
    return yield* program.pipe(
      Effect.provide(loggerLayer(verbose)),
      Effect.catchAllCause((cause) =>
        Effect.gen(function* () {
          if (Cause.isInterruptedOnly(cause)) return ExitCode.Interrupted
          const report = describeCause(cause, verbose)
          yield* out.error(`cratos: ${report.line}${report.usage ? `\n\n${usageOf(inv.command)}` : ""}`)
          return report.exitCode
        })
      )
    )
  })
