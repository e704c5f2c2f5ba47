/**
 * The worker process: parse the command line, open the database, run the projector, and turn
 * the outcome into an exit code. 0: done (or stopped by SIGINT/SIGTERM after the current batch);
 * 1: a fatal error, logged as one line (bad database, poison under `stop`); 2: bad usage.
 */
import { runProjector } from "@cratos/projector"
import type { Database, EventStore } from "@cratos/store"
import { Cause, Effect, Either, Exit, Fiber, type Layer, Option } from "effect"
import { parseWorkerArgs, USAGE, type WorkerArgs } from "./WorkerArgs.js"

/** What the run needs from main: the store on the chosen file, and the logger. */
export type WorkerLayer = Layer.Layer<Database | EventStore, unknown>

export const program = (args: WorkerArgs) =>
  runProjector({
    follow: args.follow,
    rebuild: args.rebuild,
    poison: args.poison,
    ...(args.batchSize === undefined ? {} : { batchSize: args.batchSize })
  })

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

/**
 * Runs the worker for `argv` with the layers `provide` gives for the parsed arguments; resolves
 * to the exit code. SIGINT/SIGTERM interrupt the run (the batch in progress completes first).
 */
export const runWorker = (
  argv: ReadonlyArray<string>,
  provide: (args: WorkerArgs) => { readonly store: WorkerLayer; readonly logging: Layer.Layer<never> }
): Promise<number> => {
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
  const layers = provide(args)
  const fiber = Effect.runFork(
    program(args).pipe(
      Effect.provide(layers.store),
      Effect.onInterrupt(() => Effect.logInfo("stopped by signal")),
      Effect.tapErrorCause((cause) =>
        Cause.isInterruptedOnly(cause)
          ? Effect.void
          : Effect.logFatal(describe(cause).msg).pipe(Effect.annotateLogs({ error: describe(cause).error }))
      ),
      Effect.provide(layers.logging)
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
