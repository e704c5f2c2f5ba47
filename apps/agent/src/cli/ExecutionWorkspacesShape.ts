/** What `ExecutionWorkspaces` offers, on either database. */
import type { StorageError } from "@cratos/store"
import type { Effect, Option } from "effect"

export interface ExecutionWorkspacesShape {
  /** Records (or replaces) the workspace of an execution. */
  readonly record: (executionId: string, workspace: string) => Effect.Effect<void, StorageError>
  /** The workspace recorded for an execution, if any. */
  readonly get: (executionId: string) => Effect.Effect<Option.Option<string>, StorageError>
}
