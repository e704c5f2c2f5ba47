/**
 * The `cratos` program (apps/agent/src/cli/Cli.ts `main`) run in this process over an argv, with
 * its stdout and stderr captured: the same code as the bin minus the process wiring, so tests can
 * make hundreds of invocations quickly. (The bin itself is exercised by the fault suite.)
 */
import { Effect, Layer } from "effect"
import { main } from "../../apps/agent/src/cli/Cli.js"
import { makeMemory } from "../../apps/agent/src/cli/Output.js"
import * as Terminal from "../../apps/agent/src/cli/Terminal.js"

export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export const runCli = async (argv: ReadonlyArray<string>): Promise<CliRun> => {
  // The in-memory output writes what the process output writes (control characters made visible).
  const output = makeMemory()
  const code = await Effect.runPromise(
    main(argv).pipe(Effect.provide(Layer.merge(output.layer, Terminal.layerLines([], false))))
  )
  return { code, stdout: output.stdout(), stderr: output.stderr() }
}
