/**
 * Where a command writes its data: stdout, or a file (`--out FILE`). A file is written to a
 * temporary name beside it and renamed when complete, so a failed export never leaves a
 * truncated file under the name asked for.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect } from "effect"
import { CliFailure } from "./errors.js"
import { Output, writeTo } from "./Output.js"

export interface Sink {
  readonly write: (text: string) => Effect.Effect<void>
}

const closeStream = (stream: fs.WriteStream) =>
  Effect.async<void, CliFailure>((resume) => {
    stream.end((e?: Error | null) =>
      resume(e == null ? Effect.void : Effect.fail(new CliFailure({ reason: `cannot write ${stream.path}: ${e.message}` })))
    )
  })

/** Runs `use` with a sink on `file` (stdout when undefined); the file appears only on success. */
export const withSink = <A, E, R>(file: string | undefined, use: (sink: Sink) => Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    if (file === undefined) {
      const out = yield* Output
      return yield* use({ write: out.write })
    }
    const target = path.resolve(file)
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`)
    const stream = yield* Effect.try({
      try: () => fs.createWriteStream(temp, { flags: "wx", mode: 0o600 }),
      catch: (e) => new CliFailure({ reason: `cannot write ${target}: ${(e as Error).message}` })
    })
    const failed = { error: null as Error | null }
    stream.on("error", (e) => (failed.error = e))
    const result = yield* use({ write: (text) => writeTo(stream, text) }).pipe(
      Effect.onError(() =>
        Effect.sync(() => {
          stream.destroy()
          fs.rmSync(temp, { force: true })
        })
      )
    )
    yield* closeStream(stream)
    if (failed.error !== null) {
      fs.rmSync(temp, { force: true })
      return yield* Effect.fail(new CliFailure({ reason: `cannot write ${target}: ${failed.error.message}` }))
    }
    yield* Effect.try({
      try: () => fs.renameSync(temp, target),
      catch: (e) => new CliFailure({ reason: `cannot write ${target}: ${(e as Error).message}` })
    })
    return result
  })
