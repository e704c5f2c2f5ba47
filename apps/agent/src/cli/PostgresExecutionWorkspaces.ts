/** `ExecutionWorkspaces` on PostgreSQL: the same table and answers as on SQLite, on the store's pool. */
import { PostgresDatabase, pgStorageError } from "@cratos/store/postgres"
import { Effect, Option } from "effect"
import type { ExecutionWorkspacesShape } from "./ExecutionWorkspacesShape.js"

export const make = Effect.map(
  PostgresDatabase,
  ({ pool, location }): ExecutionWorkspacesShape => ({
    record: (executionId, workspace) =>
      Effect.tryPromise({
        try: () =>
          pool.query(
            "INSERT INTO execution_workspaces (execution_id, workspace) VALUES ($1, $2) " +
              "ON CONFLICT (execution_id) DO UPDATE SET workspace = excluded.workspace",
            [executionId, workspace]
          ),
        catch: (e) => pgStorageError("ExecutionWorkspaces.record", location, e)
      }).pipe(Effect.asVoid),
    get: (executionId) =>
      Effect.tryPromise({
        try: async () =>
          (
            await pool.query<{ workspace: string }>(
              "SELECT workspace FROM execution_workspaces WHERE execution_id = $1",
              [executionId]
            )
          ).rows[0]?.workspace,
        catch: (e) => pgStorageError("ExecutionWorkspaces.get", location, e)
      }).pipe(Effect.map(Option.fromNullable))
  })
)
