/**
 * Reading lines from the person: chat messages and approval answers share one reader over
 * stdin, so lines typed (or piped) ahead are never lost between a prompt and the next. Prompts
 * go to stderr, keeping stdout for results (`cratos run --json` stays parseable while asking).
 * The reader is created on first use and closed with the scope.
 */
import * as readline from "node:readline"
import { Context, Effect, Layer, Option } from "effect"

export interface TerminalShape {
  /** stdin is a terminal: a person is there to answer. */
  readonly interactive: boolean
  /** Shows the prompt and reads one line; None at the end of input (Ctrl-D, Ctrl-C, end of pipe). */
  readonly readLine: (prompt: string) => Effect.Effect<Option.Option<string>>
}

export class Terminal extends Context.Tag("@cratos/agent/cli/Terminal")<Terminal, TerminalShape>() {}

/** stdin/stderr of the process. */
export const layerProcess: Layer.Layer<Terminal> = Layer.scoped(
  Terminal,
  Effect.gen(function* () {
    const interactive = process.stdin.isTTY === true
    let rl: readline.Interface | undefined
    let lines: AsyncIterator<string> | undefined
    const open = () => {
      if (rl === undefined) {
        rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: interactive })
        // Ctrl-C at a prompt ends the input, as Ctrl-D does (the session then ends cleanly).
        rl.on("SIGINT", () => rl?.close())
        lines = rl[Symbol.asyncIterator]()
      }
      return { rl, lines: lines! }
    }
    yield* Effect.addFinalizer(() => Effect.sync(() => rl?.close()))
    const readLine = (prompt: string) =>
      Effect.promise(async () => {
        const { rl, lines } = open()
        if (interactive) {
          rl.setPrompt(prompt)
          rl.prompt()
        }
        const next = await lines.next().catch(() => ({ done: true as const, value: undefined }))
        return next.done === true ? Option.none<string>() : Option.some(next.value)
      })
    return { interactive, readLine }
  })
)

/** A terminal answering from a list of lines (tests). */
export const layerLines = (input: ReadonlyArray<string>, interactive = true): Layer.Layer<Terminal> =>
  Layer.sync(Terminal, () => {
    const queue = [...input]
    return {
      interactive,
      readLine: () => Effect.sync(() => (queue.length === 0 ? Option.none() : Option.some(queue.shift()!)))
    }
  })
