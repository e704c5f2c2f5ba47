/**
 * The worker process: parse the command line, open the database, run the projector, and turn
 * the outcome into an exit code. 0: done (or stopped by SIGINT/SIGTERM/SIGHUP after the current batch);
 * 1: a fatal error, logged as one line (bad database, poison under `stop`); 2: bad usage.
 */
import { describeDefect, describeKnown, type KnownFailure } from "@cratos/cli-kit"
import { type ProjectorDatabase, runProjector } from "@cratos/projector"
import { AbandonedExecutions, type EventStore, leaseSettingsFromEnv, type WriterLeases } from "@cratos/store"
import { Cause, Duration, Effect, Either, Exit, Fiber, type Layer, Option, Schedule } from "effect"
import { parseWorkerArgs, USAGE, type WorkerArgs } from "./WorkerArgs.js"

/** The worker's version (`--version`): apps/projector/package.json's. */
export const VERSION = "0.1.0"

/** What the run needs from main: the store, the projector's database and the leases on the chosen database. */
export type WorkerLayer = Layer.Layer<EventStore | ProjectorDatabase | WriterLeases, KnownFailure>

/** How often a following worker looks for executions whose writer died. */
export const SWEEP_INTERVAL = Duration.seconds(5)

/**
 * Closes executions whose writer died (writer leases, issue 15) and logs their ids; a failure to
 * do so is a warning, not the worker's end (projecting goes on).
 */
export const sweepAbandoned = Effect.flatMap(AbandonedExecutions, (a) => a.sweep).pipe(
  Effect.tap((ids) =>
    ids.length === 0
      ? Effect.void
      : Effect.logWarning("closed executions whose writer stopped").pipe(Effect.annotateLogs({ executions: ids }))
  ),
  Effect.catchAll((e) => Effect.logWarning(`closing abandoned executions: ${e.message}`)),
  Effect.provide(AbandonedExecutions.layer(leaseSettingsFromEnv()))
)

export const program = (args: WorkerArgs) =>
  Effect.gen(function* () {
    yield* sweepAbandoned
    if (args.follow)
      yield* Effect.forkScoped(Effect.repeat(Effect.delay(sweepAbandoned, SWEEP_INTERVAL), Schedule.forever))
    return yield* runProjector({
      follow: args.follow,
      rebuild: args.rebuild,
      poison: args.poison,
      ...(args.batchSize === undefined ? {} : { batchSize: args.batchSize })
    })
  }).pipe(Effect.scoped)

/** One line for a failure (the describer `cratos` uses, @cratos/cli-kit), and its kind. */
const describe = (cause: Cause.Cause<KnownFailure>): { readonly msg: string; readonly error: string } =>
  Option.match(Cause.failureOption(cause), {
    onSome: (e) => ({ msg: describeKnown(e).line, error: e._tag }),
    onNone: () => ({ msg: describeDefect(Cause.squash(cause), false).line, error: "Defect" })
  })

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
  if (parsed.right._tag === "Version") {
    process.stdout.write(`cratos-projector ${VERSION}\n`)
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
  const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const
  for (const signal of SIGNALS) process.once(signal, stop)
  return Effect.runPromise(Fiber.await(fiber)).then((exit) => {
    for (const signal of SIGNALS) process.off(signal, stop)
    return Exit.isSuccess(exit) || Cause.isInterruptedOnly(exit.cause) ? 0 : 1
  })
}
