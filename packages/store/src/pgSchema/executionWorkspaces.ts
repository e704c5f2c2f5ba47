/** `execution_workspaces` on PostgreSQL: the SQLite table column for column (see `../schema/executionWorkspaces.ts`). */
import { pgTable, text } from "drizzle-orm/pg-core"
import { executions } from "./executions.js"

export const executionWorkspaces = pgTable("execution_workspaces", {
  executionId: text("execution_id")
    .primaryKey()
    .references(() => executions.id, { onDelete: "cascade" }),
  /** Absolute path of the workspace folder. */
  workspace: text("workspace").notNull()
})
