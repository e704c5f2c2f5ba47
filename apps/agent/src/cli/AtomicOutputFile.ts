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

export interface OutputFile {
  readonly write: (text: string) => Effect.Effect<void>
}

const closeStream = (stream: fs.WriteStream) =>
  Effect.async<void, CliFailure>((resume) => {
    if (stream.destroyed) return resume(Effect.void)
    stream.end((e?: Error | null) =>
      resume(
        e == null ? Effect.void : Effect.fail(new CliFailure({ reason: `cannot write ${stream.path}: ${e.message}` }))
      )
    )
  })

/**
 * Why `target` cannot be written, checked before anything is: a folder, a missing folder, or an
 * existing file without `force`.
 */
const refusal = (target: string, force: boolean): string | undefined => {
  let stat: fs.Stats | undefined
  try {
    stat = fs.statSync(target)
  } catch {
    stat = undefined
  }
  if (stat?.isDirectory() === true) return `--out ${target} is a folder; give a file name`
  if (stat !== undefined && !force) return `--out ${target} exists; add --force to replace it`
  const dir = path.dirname(target)
  let dirStat: fs.Stats | undefined
  try {
    dirStat = fs.statSync(dir)
  } catch {
    dirStat = undefined
  }
  if (dirStat === undefined) return `--out ${target}: no such folder ${dir}`
  if (!dirStat.isDirectory()) return `--out ${target}: ${dir} is not a folder`
  return undefined
}

/**
 * Runs `use` with an output on `file` (stdout when undefined); the file appears only on success,
 * and replaces an existing one only with `force`.
 */
export const withOutputFile = <A, E, R>(
  file: string | undefined,
  use: (sink: OutputFile) => Effect.Effect<A, E, R>,
  options: { readonly force?: boolean } = {}
) =>
  Effect.gen(function* () {
    if (file === undefined) {
      const out = yield* Output
      return yield* use({ write: out.write })
    }
    const target = path.resolve(file)
    const refused = refusal(target, options.force === true)
    if (refused !== undefined) return yield* Effect.fail(new CliFailure({ reason: refused }))
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
