/**
 * Reading lines from the person: chat messages and approval answers share one reader over
 * stdin, so lines typed (or piped) ahead are never lost between a prompt and the next. Prompts
 * go to stderr, keeping stdout for results (`cratos run --json` stays parseable while asking).
 * The reader is created on first use and closed with the scope.
 */
import * as readline from "node:readline"
import { Context, Effect, Layer, Option, type Scope } from "effect"

export interface ReadOptions {
  /**
   * Ctrl-C answers this read with None and the input stays open (an approval prompt: Ctrl-C
   * declines the step, the session goes on). Otherwise Ctrl-C at the prompt ends the input.
   */
  readonly cancellable?: boolean
}

export interface TerminalShape {
  /** stdin is a terminal: a person is there to answer. */
  readonly interactive: boolean
  /** Shows the prompt and reads one line; None at the end of input (Ctrl-D, Ctrl-C, end of pipe). */
  readonly readLine: (prompt: string, options?: ReadOptions) => Effect.Effect<Option.Option<string>>
}

/** Builds the reader over the process's stdin/stderr (closed with the scope). */
const makeProcess: Effect.Effect<TerminalShape, never, Scope.Scope> = Effect.gen(function* () {
  const interactive = process.stdin.isTTY === true
  let rl: readline.Interface | undefined
  /** Lines typed (or piped) ahead of a read. */
  const queue: Array<string> = []
  let ended = false
  let waiting: { readonly resume: (line: Option.Option<string>) => void; readonly cancellable: boolean } | undefined
  const answer = (line: Option.Option<string>) => {
    const w = waiting
    waiting = undefined
    w?.resume(line)
  }
  const open = () => {
    if (rl === undefined) {
      rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: interactive })
      rl.on("line", (line) => (waiting === undefined ? queue.push(line) : answer(Option.some(line))))
      rl.on("close", () => {
        ended = true
        answer(Option.none())
      })
      // On a terminal readline takes Ctrl-C as a key: at a cancellable prompt it answers None;
      // at another prompt it ends the input as Ctrl-D does; while no prompt is up (a tool is
      // running) it is the interrupt it would have been without readline.
      rl.on("SIGINT", () => {
        if (waiting?.cancellable === true) {
          process.stderr.write("^C\n")
          answer(Option.none())
        } else if (waiting !== undefined) rl?.close()
        else process.kill(process.pid, "SIGINT")
      })
    }
    return rl
  }
  yield* Effect.addFinalizer(() => Effect.sync(() => rl?.close()))
  const readLine = (prompt: string, options: ReadOptions = {}) =>
    Effect.async<Option.Option<string>>((resume) => {
      const reader = open()
      const queued = queue.shift()
      if (queued !== undefined) return resume(Effect.succeed(Option.some(queued)))
      if (ended) return resume(Effect.succeed(Option.none()))
      if (interactive) {
        reader.setPrompt(prompt)
        reader.prompt()
      }
      waiting = { resume: (line) => resume(Effect.succeed(line)), cancellable: options.cancellable === true }
      return Effect.sync(() => {
        waiting = undefined
      })
    })
  return { interactive, readLine }
})

/** Reading lines from the person; `make`/`layer`: over the process's stdin/stderr. */
export class Terminal extends Context.Tag("@cratos/agent/cli/Terminal")<Terminal, TerminalShape>() {
  static readonly make = makeProcess
  static readonly layer: Layer.Layer<Terminal> = Layer.scoped(Terminal, makeProcess)
}

/** stdin/stderr of the process (Terminal.layer). */
export const layerProcess: Layer.Layer<Terminal> = Terminal.layer

/** A terminal answering from a list of lines (tests). */
export const layerLines = (input: ReadonlyArray<string>, interactive = true): Layer.Layer<Terminal> =>
  Layer.sync(Terminal, () => {
    const queue = [...input]
    return {
      interactive,
      readLine: () => Effect.sync(() => (queue.length === 0 ? Option.none() : Option.some(queue.shift()!)))
    }
  })
