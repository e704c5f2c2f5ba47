/** Helpers for the tools' tests: a temporary workspace and running one tool. */
import { mkdtemp, realpath, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { Effect, type Either } from "effect"
import type { ToolSuccess } from "./Tool.js"
import type { ToolError } from "./ToolError.js"
import { Tools, type ToolsOptions } from "./Tools.js"

/** A fresh temporary folder (real path), removed when the scope closes. */
export const tempDir = (prefix = "cratos-agent-") =>
  Effect.acquireRelease(
    Effect.promise(async () => realpath(await mkdtemp(path.join(tmpdir(), prefix)))),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )

/** Runs a tool of a registry made with `options`, as an Either. */
export const runTool = (
  name: string,
  input: unknown,
  options: ToolsOptions
): Effect.Effect<Either.Either<ToolSuccess, ToolError>> => Effect.either(Tools.make(options).run(name, input))
