/**
 * The worker process: parse the command line, open the database, run the projector, and turn
 * the outcome into an exit code. 0: done (or stopped by SIGINT/SIGTERM after the current batch);
 * 1: a fatal error, logged as one line (bad database, poison under `stop`); 2: bad usage.
 */
import { runProjector } from "@cratos/projector"
import { EventStore } from "@cratos/store"
import { Cause, Effect, Either, Exit, Fiber, Layer, Logger, LogLevel, Option } from "effect"
import { JsonLogger } from "./JsonLogger.js"
import { parseWorkerArgs, USAGE, type WorkerArgs } from "./WorkerArgs.js"

export const program = (args: WorkerArgs) =>
  runProjector({
    follow: args.follow,
    rebuild: args.rebuild,
    poison: args.poison,
    ...(args.batchSize === undefined ? {} : { batchSize: args.batchSize })
  }).pipe(Effect.provide(EventStore.layer(args.db === undefined ? {} : { path: args.db })))

const logging = Layer.merge(JsonLogger, Logger.minimumLogLevel(LogLevel.Info))

/** One line for a failure: the typed error's message, or the defect. */
const describe = (cause: Cause.Cause<unknown>): { readonly msg: string; readonly error: string } => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const e = failure.value as { readonly _tag?: unknown; readonly message?: unknown }
    return { msg: typeof e.message === "string" ? e.message : String(e), error: typeof e._tag === "string" ? e._tag : "Error" }
  }
  const defect = Cause.squash(cause)
  return { msg: defect instanceof Error ? defect.message : String(defect), error: "Defect" }
}

/** Runs the worker for `argv`; resolves to the exit code. Signals interrupt the run. */
export const runWorker = (argv: ReadonlyArray<string>): Promise<number> => {
  const parsed = parseWorkerArgs(argv)
  if (Either.isLeft(parsed)) {
    process.stderr.write(`cratos-projector: ${parsed.left.message}\n\n${USAGE}`)
    return Promise.resolve(2)
  }
  if (parsed.right._tag === "Help") {
    process.stdout.write(USAGE)
    return Promise.resolve(0)
  }
  const args = parsed.right
  const fiber = Effect.runFork(
    program(args).pipe(
      Effect.onInterrupt(() => Effect.logInfo("stopped by signal")),
      Effect.tapErrorCause((cause) =>
        Cause.isInterruptedOnly(cause)
          ? Effect.void
          : Effect.logFatal(describe(cause).msg).pipe(Effect.annotateLogs({ error: describe(cause).error }))
      ),
      Effect.provide(logging)
    )
  )
  const stop = () => {
    Effect.runFork(Fiber.interrupt(fiber))
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  return Effect.runPromise(Fiber.await(fiber)).then((exit) => {
    process.off("SIGINT", stop)
    process.off("SIGTERM", stop)
    return Exit.isSuccess(exit) || Cause.isInterruptedOnly(exit.cause) ? 0 : 1
  })
}
