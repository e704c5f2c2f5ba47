/**
 * Entry point of `cratos`: runs the CLI over the process's arguments with the process's
 * stdout/stderr/stdin, and exits with the code the command ended with. Ctrl-C (SIGINT), SIGTERM
 * and SIGHUP (a closed terminal) interrupt the running command the same way: its finalizers run
 * (an execution in progress is recorded as interrupted, the database is closed), then it exits 130.
 */
import { Effect, Fiber, Layer } from "effect"
import { main } from "./cli/Cli.js"
import * as Output from "./cli/Output.js"
import * as Terminal from "./cli/Terminal.js"

const fiber = Effect.runFork(
  main(process.argv.slice(2)).pipe(Effect.provide(Layer.merge(Output.layerProcess, Terminal.layerProcess)))
)
const interrupt = () => void Effect.runFork(Fiber.interrupt(fiber))
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, interrupt)
fiber.addObserver((exit) => {
  process.exitCode = exit._tag === "Success" ? exit.value : 130
})
