/**
 * Entry point of `cratos`: runs the CLI over the process's arguments with the process's
 * stdout/stderr/stdin, and exits with the code the command ended with. Ctrl-C interrupts the
 * running command (its finalizers run: the database is closed), then exits 130.
 */
import { Effect, Fiber, Layer } from "effect"
import { main } from "./cli/Cli.js"
import * as Output from "./cli/Output.js"
import * as Terminal from "./cli/Terminal.js"

const fiber = Effect.runFork(
  main(process.argv.slice(2)).pipe(Effect.provide(Layer.merge(Output.layerProcess, Terminal.layerProcess)))
)
process.once("SIGINT", () => void Effect.runFork(Fiber.interrupt(fiber)))
fiber.addObserver((exit) => {
  process.exitCode = exit._tag === "Success" ? exit.value : 130
})
