/**
 * The workspace each execution ran in (table `execution_workspaces`): recorded when the CLI runs
 * an execution, read by `replay --mode rerun` to run it again in the same folder when no
 * `--workspace` is given. An execution recorded before this table existed (or imported) has none.
 */
import { Database, type PostgresDatabase, toStorageError } from "@cratos/store"
import { Context, Effect, Layer, Option } from "effect"
import type { ExecutionWorkspacesShape } from "./ExecutionWorkspacesShape.js"

export type { ExecutionWorkspacesShape } from "./ExecutionWorkspacesShape.js"

export class ExecutionWorkspaces extends Context.Tag("@cratos/agent/cli/ExecutionWorkspaces")<
  ExecutionWorkspaces,
  ExecutionWorkspacesShape
>() {
  static readonly make = Effect.gen(function* () {
    const { connection, path } = yield* Database
    const insert = connection.prepare<[string, string]>(
      "INSERT INTO execution_workspaces (execution_id, workspace) VALUES (?, ?) " +
        "ON CONFLICT (execution_id) DO UPDATE SET workspace = excluded.workspace"
    )
    const select = connection
      .prepare<[string], string>("SELECT workspace FROM execution_workspaces WHERE execution_id = ?")
      .pluck()
    return ExecutionWorkspaces.of({
      record: (executionId, workspace) =>
        Effect.try({
          try: () => void insert.run(executionId, workspace),
          catch: (e) => toStorageError("ExecutionWorkspaces.record", path, e)
        }),
      get: (executionId) =>
        Effect.try({
          try: () => Option.fromNullable(select.get(executionId)),
          catch: (e) => toStorageError("ExecutionWorkspaces.get", path, e)
        })
    })
  })

  static readonly layer: Layer.Layer<ExecutionWorkspaces, never, Database> = Layer.effect(
    ExecutionWorkspaces,
    ExecutionWorkspaces.make
  )

  /** On PostgreSQL (the store's pool; its module loaded on first use). */
  static readonly layerPostgres: Layer.Layer<ExecutionWorkspaces, never, PostgresDatabase> = Layer.effect(
    ExecutionWorkspaces,
    Effect.flatMap(
      Effect.promise(() => import("./PostgresExecutionWorkspaces.js")),
      (m) => m.make
    )
  )
}
