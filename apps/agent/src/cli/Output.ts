/**
 * Where the CLI writes: stdout for results, stderr for messages and progress. Writes wait for
 * the stream to drain, so a long export holds bounded memory; a closed pipe (`cratos export |
 * head`) ends the output quietly instead of failing.
 */
import { Context, Effect, Layer } from "effect"
import { colorsWanted } from "./Colors.js"

export interface OutputShape {
  /** Writes text to stdout as is. */
  readonly write: (text: string) => Effect.Effect<void>
  /** Writes a line to stdout. */
  readonly line: (text: string) => Effect.Effect<void>
  /** Writes a line to stderr. */
  readonly error: (text: string) => Effect.Effect<void>
  /** Whether stdout is a terminal (tables and colours) or a pipe. */
  readonly stdoutIsTTY: boolean
  /** Whether stderr is a terminal (progress lines). */
  readonly stderrIsTTY: boolean
  /** Whether to colour stdout (Colors.ts: a terminal, no NO_COLOR). */
  readonly colors: boolean
  /**
   * Writes a line to stdout that `paint` colours after the text was made printable: the only
   * escape sequences written are the ones `paint` adds.
   */
  readonly paintedLine: (text: string, paint: (printableText: string) => string) => Effect.Effect<void>
}

/** Writes to a Node stream, waiting for `drain` when its buffer is full. */
export const writeTo = (stream: NodeJS.WritableStream, text: string): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    const s = stream as NodeJS.WritableStream & { destroyed?: boolean; writableNeedDrain?: boolean }
    if (s.destroyed === true) return resume(Effect.void)
    const ok = stream.write(text)
    if (ok) return resume(Effect.void)
    const done = () => {
      stream.off("drain", done)
      stream.off("close", done)
      stream.off("error", done)
      resume(Effect.void)
    }
    stream.on("drain", done)
    stream.on("close", done)
    stream.on("error", done)
  })

/**
 * Control characters from the data (a message may carry ESC sequences that retitle, clear or
 * recolour the reader's terminal) are written visibly as `\u001b`; newlines and tabs stay.
 * JSON output is unchanged in meaning: JSON.stringify already escapes C0 controls, and a raw
 * DEL or C1 character inside a JSON string written as `\u0085` is the same string.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/
const CONTROLS = new RegExp(CONTROL.source, "g")
export const printable = (text: string): string =>
  CONTROL.test(text) ? text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : text

/** Builds the process's stdout and stderr. */
const makeProcess: Effect.Effect<OutputShape> = Effect.sync(() => {
  // A reader that went away (EPIPE) is not an error of ours: stop writing, exit normally.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0)
    })
  }
  return {
    write: (text) => writeTo(process.stdout, printable(text)),
    line: (text) => writeTo(process.stdout, printable(text) + "\n"),
    error: (text) => writeTo(process.stderr, printable(text) + "\n"),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    colors: colorsWanted(process.stdout.isTTY === true, process.env),
    paintedLine: (text, paint) => writeTo(process.stdout, paint(printable(text)) + "\n")
  }
})

/** Where the CLI writes; `make`/`layer`: the process's stdout and stderr. */
export class Output extends Context.Tag("@cratos/agent/cli/Output")<Output, OutputShape>() {
  static readonly make = makeProcess
  static readonly layer: Layer.Layer<Output> = Layer.effect(Output, makeProcess)
}

/** The process's stdout and stderr (Output.layer). */
export const layerProcess: Layer.Layer<Output> = Output.layer

/** An in-memory output for tests: what was written, per stream. */
export const makeMemory = () => {
  const stdout: Array<string> = []
  const stderr: Array<string> = []
  const shape: OutputShape = {
    write: (text) => Effect.sync(() => void stdout.push(printable(text))),
    line: (text) => Effect.sync(() => void stdout.push(printable(text) + "\n")),
    error: (text) => Effect.sync(() => void stderr.push(printable(text) + "\n")),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    colors: false,
    paintedLine: (text, paint) => Effect.sync(() => void stdout.push(paint(printable(text)) + "\n"))
  }
  return { shape, layer: Layer.succeed(Output, shape), stdout: () => stdout.join(""), stderr: () => stderr.join("") }
}
